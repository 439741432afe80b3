#include "client/grpc_transport.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/host_port.h"
#include "client/platform/environment.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "confidant/v1/wire.h"

namespace confidant::client {
namespace {

// The variables gRPC consults to skip a proxy
// (grpc/doc/environment_variables.md).
constexpr const char* kNoProxyVariables[] = {"no_grpc_proxy", "no_proxy"};

// The relay's code and message; unreachable and timed-out relays get a
// message that names the address.
absl::Status FromGrpcStatus(const grpc::Status& status,
                            const std::string& address) {
  if (status.ok()) return absl::OkStatus();
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  if (code == absl::StatusCode::kUnavailable) {
    return absl::UnavailableError(absl::StrCat(
        "relay not reachable at ", address, ": ", status.error_message()));
  }
  if (code == absl::StatusCode::kDeadlineExceeded) {
    return absl::DeadlineExceededError(
        absl::StrCat("relay at ", address,
                     " did not answer in time: ", status.error_message()));
  }
  return absl::Status(code, status.error_message());
}

AccountKind FromProto(v1::AccountKind kind) {
  switch (kind) {
    case v1::ACCOUNT_KIND_EMPLOYEE:
      return AccountKind::kEmployee;
    case v1::ACCOUNT_KIND_TRUST_PERSON:
      return AccountKind::kTrustPerson;
    default:
      return AccountKind::kUnspecified;
  }
}

void ToProto(const TrustPersonProfile& in, v1::TrustPersonProfile* out) {
  out->set_display_name(in.display_name);
  switch (in.affiliation) {
    case Affiliation::kInternal:
      out->set_affiliation(v1::TRUST_PERSON_AFFILIATION_INTERNAL);
      break;
    case Affiliation::kExternal:
      out->set_affiliation(v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
      break;
    case Affiliation::kUnspecified:
      out->set_affiliation(v1::TRUST_PERSON_AFFILIATION_UNSPECIFIED);
      break;
  }
  for (const std::string& language : in.languages) out->add_languages(language);
  out->set_intro(in.intro);
}

TrustPersonProfile FromProto(const v1::TrustPersonProfile& in) {
  TrustPersonProfile out;
  out.display_name = in.display_name();
  switch (in.affiliation()) {
    case v1::TRUST_PERSON_AFFILIATION_INTERNAL:
      out.affiliation = Affiliation::kInternal;
      break;
    case v1::TRUST_PERSON_AFFILIATION_EXTERNAL:
      out.affiliation = Affiliation::kExternal;
      break;
    default:
      out.affiliation = Affiliation::kUnspecified;
      break;
  }
  out.languages.assign(in.languages().begin(), in.languages().end());
  out.intro = in.intro();
  return out;
}

Organisation FromProto(const v1::OrganisationRef& in) {
  return Organisation{in.id(), in.name()};
}

class GrpcReceiveStream final : public ReceiveStream {
 public:
  GrpcReceiveStream(
      std::unique_ptr<grpc::ClientContext> context,
      std::unique_ptr<grpc::ClientReader<v1::ReceiveResponse>> reader,
      std::string address)
      : context_(std::move(context)),
        reader_(std::move(reader)),
        address_(std::move(address)) {}

  ~GrpcReceiveStream() override {
    if (finished_) return;
    context_->TryCancel();
    v1::ReceiveResponse ignored;
    while (reader_->Read(&ignored)) {
    }
    reader_->Finish().IgnoreError();
  }

  absl::StatusOr<ReceiveEvent> Read() override {
    if (finished_) return final_status_;
    v1::ReceiveResponse response;
    while (reader_->Read(&response)) {
      ReceiveEvent event;
      if (response.has_queue_empty()) {
        event.queue_empty = true;
        return event;
      }
      if (!response.has_envelope()) continue;  // an item this client ignores
      v1::Envelope* envelope = response.mutable_envelope();
      event.envelope.seq = envelope->seq();
      event.envelope.content = std::move(*envelope->mutable_content());
      event.envelope.stored_hour = envelope->stored_hour();
      return event;
    }
    finished_ = true;
    const grpc::Status status = reader_->Finish();
    final_status_ =
        status.ok() ? absl::UnavailableError(absl::StrCat(
                          "relay at ", address_, " closed the mailbox stream"))
                    : FromGrpcStatus(status, address_);
    return final_status_;
  }

  void Cancel() override { context_->TryCancel(); }

 private:
  const std::unique_ptr<grpc::ClientContext> context_;
  const std::unique_ptr<grpc::ClientReader<v1::ReceiveResponse>> reader_;
  const std::string address_;
  bool finished_ = false;  // Read() and the destructor only: one thread
  absl::Status final_status_;
};

class GrpcTransport final : public RelayTransport {
 public:
  GrpcTransport(std::shared_ptr<grpc::Channel> channel, std::string address,
                absl::Duration call_timeout)
      : accounts_(v1::Accounts::NewStub(channel)),
        keys_(v1::Keys::NewStub(channel)),
        directory_(v1::Directory::NewStub(channel)),
        mailbox_(v1::Mailbox::NewStub(channel)),
        certificates_(v1::Certificates::NewStub(channel)),
        address_(std::move(address)),
        call_timeout_(call_timeout) {}

  void SetCredentials(std::string account_id,
                      crypto::SecretBytes secret) override {
    absl::MutexLock lock(&mu_);
    account_id_ = std::move(account_id);
    secret_ = std::move(secret);
  }

  absl::StatusOr<Registration> RegisterEmployee(
      std::string_view access_code) override {
    v1::RegisterRequest request;
    request.set_access_code(std::string(access_code));
    return Register(request);
  }

  absl::StatusOr<Registration> RegisterTrustPerson(
      std::string_view invite_code,
      const TrustPersonProfile& profile) override {
    v1::RegisterRequest request;
    request.set_invite_code(std::string(invite_code));
    ToProto(profile, request.mutable_profile());
    return Register(request);
  }

  absl::StatusOr<uint32_t> UploadKeys(const KeyUpload& upload) override {
    v1::UploadKeysRequest request;
    if (upload.identity_key.has_value()) {
      request.set_identity_key(*upload.identity_key);
      request.set_registration_id(upload.registration_id);
    }
    if (upload.signed_pre_key.has_value()) {
      v1::SignedPreKey* key = request.mutable_signed_pre_key();
      key->set_id(upload.signed_pre_key->id);
      key->set_public_key(upload.signed_pre_key->public_key);
      key->set_signature(upload.signed_pre_key->signature);
    }
    for (const OneTimePreKeyUpload& in : upload.one_time_pre_keys) {
      v1::OneTimePreKey* key = request.add_one_time_pre_keys();
      key->set_id(in.id);
      key->set_public_key(in.public_key);
    }
    request.set_replace_identity(upload.replace_identity);
    v1::UploadKeysResponse response;
    grpc::ClientContext context;
    PrepareUnary(&context);
    absl::Status status = FromGrpcStatus(
        keys_->UploadKeys(&context, request, &response), address_);
    if (!status.ok()) return status;
    return response.one_time_pre_key_count();
  }

  absl::StatusOr<PeerBundle> GetPreKeyBundle(
      std::string_view account_id) override {
    v1::GetPreKeyBundleRequest request;
    request.set_account_id(std::string(account_id));
    request.set_device_id(1);
    v1::GetPreKeyBundleResponse response;
    grpc::ClientContext context;
    PrepareUnary(&context);
    absl::Status status = FromGrpcStatus(
        keys_->GetPreKeyBundle(&context, request, &response), address_);
    if (!status.ok()) return status;
    if (response.account_id() != account_id) {
      return absl::DataLossError(
          "relay returned the bundle of another account");
    }
    PeerBundle out;
    out.account_id = response.account_id();
    crypto::PreKeyBundle& bundle = out.bundle;
    bundle.registration_id = response.registration_id();
    bundle.device_id = response.device_id() == 0 ? 1 : response.device_id();
    bundle.identity_key = response.identity_key();
    bundle.signed_pre_key_id = response.signed_pre_key().id();
    bundle.signed_pre_key_public = response.signed_pre_key().public_key();
    bundle.signed_pre_key_signature = response.signed_pre_key().signature();
    if (response.has_one_time_pre_key()) {
      bundle.one_time_pre_key = crypto::PreKeyBundle::OneTimePreKey{
          response.one_time_pre_key().id(),
          response.one_time_pre_key().public_key()};
    }
    return out;
  }

  absl::StatusOr<uint32_t> GetPreKeyCount() override {
    v1::GetPreKeyCountResponse response;
    grpc::ClientContext context;
    PrepareUnary(&context);
    absl::Status status = FromGrpcStatus(
        keys_->GetPreKeyCount(&context, v1::GetPreKeyCountRequest(), &response),
        address_);
    if (!status.ok()) return status;
    return response.one_time_pre_key_count();
  }

  absl::StatusOr<std::vector<crypto::RelayPublicKey>> GetRelayKeys() override {
    v1::GetRelayKeysResponse response;
    grpc::ClientContext context;
    PrepareUnary(&context);
    absl::Status status =
        FromGrpcStatus(certificates_->GetRelayKeys(
                           &context, v1::GetRelayKeysRequest(), &response),
                       address_);
    if (!status.ok()) return status;
    std::vector<crypto::RelayPublicKey> out;
    for (const v1::RelayKey& key : response.keys()) {
      out.push_back(crypto::RelayPublicKey{
          key.id(), key.public_key(), key.created_hour(), key.endorsement()});
    }
    return out;
  }

  absl::StatusOr<std::string> GetSenderCertificate() override {
    v1::GetSenderCertificateResponse response;
    grpc::ClientContext context;
    PrepareUnary(&context);
    absl::Status status = FromGrpcStatus(
        certificates_->GetSenderCertificate(
            &context, v1::GetSenderCertificateRequest(), &response),
        address_);
    if (!status.ok()) return status;
    return std::move(*response.mutable_certificate());
  }

  absl::StatusOr<TrustPersonList> ListTrustPersons(
      std::string_view organisation_id) override {
    v1::ListTrustPersonsRequest request;
    request.set_organisation_id(std::string(organisation_id));
    v1::ListTrustPersonsResponse response;
    grpc::ClientContext context;
    PrepareUnary(&context);
    absl::Status status = FromGrpcStatus(
        directory_->ListTrustPersons(&context, request, &response), address_);
    if (!status.ok()) return status;
    TrustPersonList out;
    out.organisation = FromProto(response.organisation());
    for (const v1::TrustPerson& in : response.trust_persons()) {
      out.trust_persons.push_back(DirectoryEntry{
          in.account_id(), FromProto(in.profile()), in.identity_key()});
    }
    return out;
  }

  absl::StatusOr<uint64_t> Send(std::string_view recipient_account_id,
                                std::string_view content) override {
    v1::SendRequest request;
    request.set_recipient_account_id(std::string(recipient_account_id));
    request.set_recipient_device_id(1);
    request.set_content(std::string(content));
    v1::SendResponse response;
    grpc::ClientContext context;
    PrepareUnary(&context);
    absl::Status status =
        FromGrpcStatus(mailbox_->Send(&context, request, &response), address_);
    if (!status.ok()) return status;
    return response.seq();
  }

  absl::StatusOr<uint32_t> Ack(absl::Span<const uint64_t> seqs) override {
    v1::AckRequest request;
    request.set_device_id(1);
    for (uint64_t seq : seqs) request.add_seqs(seq);
    v1::AckResponse response;
    grpc::ClientContext context;
    PrepareUnary(&context);
    absl::Status status =
        FromGrpcStatus(mailbox_->Ack(&context, request, &response), address_);
    if (!status.ok()) return status;
    return response.deleted();
  }

  absl::StatusOr<std::unique_ptr<ReceiveStream>> OpenReceive() override {
    auto context = std::make_unique<grpc::ClientContext>();
    AddCredentials(context.get());
    v1::ReceiveRequest request;
    request.set_device_id(1);
    std::unique_ptr<grpc::ClientReader<v1::ReceiveResponse>> reader =
        mailbox_->Receive(context.get(), request);
    return std::make_unique<GrpcReceiveStream>(std::move(context),
                                               std::move(reader), address_);
  }

 private:
  absl::StatusOr<Registration> Register(const v1::RegisterRequest& request) {
    v1::RegisterResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + call_timeout_));
    absl::Status status = FromGrpcStatus(
        accounts_->Register(&context, request, &response), address_);
    if (!status.ok()) return status;
    Registration out;
    out.account_id = response.account_id();
    out.secret = crypto::SecretBytes::CopyOf(response.secret());
    crypto::WipeString(*response.mutable_secret());
    out.kind = FromProto(response.kind());
    for (const v1::OrganisationRef& org : response.organisations()) {
      out.organisations.push_back(FromProto(org));
    }
    if (out.account_id.size() != 16 || out.secret.size() != 32) {
      return absl::DataLossError(
          "relay returned a malformed account id or secret");
    }
    return out;
  }

  void AddCredentials(grpc::ClientContext* context) {
    absl::MutexLock lock(&mu_);
    if (account_id_.empty()) return;
    context->AddMetadata(wire::kAccountHeader, account_id_);
    context->AddMetadata(wire::kSecretHeader, std::string(secret_.view()));
  }

  void PrepareUnary(grpc::ClientContext* context) {
    AddCredentials(context);
    context->set_deadline(absl::ToChronoTime(absl::Now() + call_timeout_));
  }

  const std::unique_ptr<v1::Accounts::Stub> accounts_;
  const std::unique_ptr<v1::Keys::Stub> keys_;
  const std::unique_ptr<v1::Directory::Stub> directory_;
  const std::unique_ptr<v1::Mailbox::Stub> mailbox_;
  const std::unique_ptr<v1::Certificates::Stub> certificates_;
  const std::string address_;
  const absl::Duration call_timeout_;
  absl::Mutex mu_;
  std::string account_id_ ABSL_GUARDED_BY(mu_);
  crypto::SecretBytes secret_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

void ClearProxyExceptions() {
  for (const char* name : kNoProxyVariables) {
    platform::RemoveEnvironmentVariable(name);
  }
}

absl::StatusOr<std::unique_ptr<RelayTransport>> CreateGrpcTransport(
    const GrpcTransportOptions& options) {
  const absl::StatusOr<base::HostPort> relay =
      base::ParseHostPort(options.address);
  if (!relay.ok() || relay->port == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "relay address '", options.address,
        "' is not HOST:PORT (for example relay.example.org:7443)"));
  }
  if (options.call_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("call timeout must be positive");
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.insecure) {
    if (!base::IsLoopbackHost(relay->host)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing plaintext to ", options.address,
          ": without TLS only a loopback relay (localhost, 127.0.0.0/8, ::1) "
          "is allowed"));
    }
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    if (!options.tls_ca_file.empty()) {
      std::ifstream in(options.tls_ca_file, std::ios::binary);
      std::stringstream pem;
      pem << in.rdbuf();
      if (!in || pem.str().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "cannot read the CA file '", options.tls_ca_file, "'"));
      }
      ssl.pem_root_certs = pem.str();
    }
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments args;
  // A client that stays connected: reconnect attempts from 1 s growing to
  // the app's own 60 s cap (gRPC's default cap is 120 s), and pings that
  // notice a silently dead network within about 40 s (the relay accepts a
  // ping every 10 s at most; server/relay.cc).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 60 * 1000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30 * 1000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10 * 1000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);  // a quiet stream
  if (options.http_proxy.empty()) {
    args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  } else {
    constexpr std::string_view kScheme = "http://";
    std::string_view rest = options.http_proxy;
    if (rest.substr(0, kScheme.size()) != kScheme) {
      return absl::InvalidArgumentError(
          absl::StrCat("proxy '", options.http_proxy,
                       "' must be http://HOST:PORT (an HTTP CONNECT proxy)"));
    }
    rest.remove_prefix(kScheme.size());
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    const absl::StatusOr<base::HostPort> proxy = base::ParseHostPort(rest);
    if (!proxy.ok() || proxy->port == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("proxy '", options.http_proxy,
                       "' must be http://HOST:PORT (an HTTP CONNECT proxy)"));
    }
    // gRPC reads no_grpc_proxy and no_proxy itself, when it connects, and
    // dials a host they name directly, past the proxy: on an employer's
    // machine that lists internal hosts, a Tor user would connect in the
    // clear. gRPC 1.51 has no channel argument against it, so the program
    // clears both at its start, and a proxy is refused while one is set.
    for (const char* name : kNoProxyVariables) {
      if (std::getenv(name) != nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            name,
            " is set, and gRPC would connect to the hosts it names past the "
            "proxy; the program must call ClearProxyExceptions() at its "
            "start"));
      }
    }
    args.SetString(GRPC_ARG_HTTP_PROXY, options.http_proxy);
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options.address, credentials, args);
  return std::make_unique<GrpcTransport>(std::move(channel), options.address,
                                         options.call_timeout);
}

}  // namespace confidant::client
