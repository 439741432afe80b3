#include "tests/fuzz/relay_fuzz_harness.h"

#include <google/protobuf/stubs/logging.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/hex.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "confidant/v1/relay.pb.h"
#include "crypto/sender_certificate.h"
#include "server/codes.h"
#include "server/log.h"
#include "server/relay_keys.h"
#include "server/relay_service.h"
#include "server/storage/memory_storage.h"
#include "server/worker_pool.h"
#include "tests/fuzz/relay_world.h"

namespace confidant::fuzz {
namespace {

using server::MailboxId;
using server::StoredEnvelope;

constexpr int64_t kStartUnixSeconds = 1790000000;
// Generous: an ASan build on a busy 2-core machine is slow, and a call that
// takes this long is a hang.
constexpr auto kCallTimeout = std::chrono::seconds(60);
constexpr absl::Duration kDrainTimeout = absl::Seconds(60);
// Receive: read at most this many messages before cancelling.
constexpr int kMaxStreamMessages = 16;

std::string_view HandlerName(RelayHandler h) {
  switch (h) {
    case RelayHandler::kRegister:
      return "Accounts.Register";
    case RelayHandler::kGetAccount:
      return "Accounts.GetAccount";
    case RelayHandler::kUploadKeys:
      return "Keys.UploadKeys";
    case RelayHandler::kGetPreKeyBundle:
      return "Keys.GetPreKeyBundle";
    case RelayHandler::kGetPreKeyCount:
      return "Keys.GetPreKeyCount";
    case RelayHandler::kListTrustPersons:
      return "Directory.ListTrustPersons";
    case RelayHandler::kGetRelayKeys:
      return "Certificates.GetRelayKeys";
    case RelayHandler::kGetSenderCertificate:
      return "Certificates.GetSenderCertificate";
    case RelayHandler::kSend:
      return "Mailbox.Send";
    case RelayHandler::kReceive:
      return "Mailbox.Receive";
    case RelayHandler::kAck:
      return "Mailbox.Ack";
  }
  return "?";
}

std::string MethodPath(RelayHandler h) {
  std::string name(HandlerName(h));
  const size_t dot = name.find('.');
  return absl::StrCat("/confidant.v1.", name.substr(0, dot), "/",
                      name.substr(dot + 1));
}

// The request type of `h`, parsed from `bytes` exactly as the relay does.
bool ParsesAsRequest(RelayHandler h, const std::string& bytes) {
  switch (h) {
    case RelayHandler::kRegister:
      return v1::RegisterRequest().ParseFromString(bytes);
    case RelayHandler::kGetAccount:
      return v1::GetAccountRequest().ParseFromString(bytes);
    case RelayHandler::kUploadKeys:
      return v1::UploadKeysRequest().ParseFromString(bytes);
    case RelayHandler::kGetPreKeyBundle:
      return v1::GetPreKeyBundleRequest().ParseFromString(bytes);
    case RelayHandler::kGetPreKeyCount:
      return v1::GetPreKeyCountRequest().ParseFromString(bytes);
    case RelayHandler::kListTrustPersons:
      return v1::ListTrustPersonsRequest().ParseFromString(bytes);
    case RelayHandler::kGetRelayKeys:
      return v1::GetRelayKeysRequest().ParseFromString(bytes);
    case RelayHandler::kGetSenderCertificate:
      return v1::GetSenderCertificateRequest().ParseFromString(bytes);
    case RelayHandler::kSend:
      return v1::SendRequest().ParseFromString(bytes);
    case RelayHandler::kReceive:
      return v1::ReceiveRequest().ParseFromString(bytes);
    case RelayHandler::kAck:
      return v1::AckRequest().ParseFromString(bytes);
  }
  return false;
}

// Storage whose backing store is replaced between inputs, so that the
// services (and their gRPC server) live for the whole run while every input
// sees a fresh world. Swap only while no call is in flight.
class SwappableStorage final : public server::Storage {
 public:
  void Reset(std::unique_ptr<server::Storage> next) {
    current_ = std::move(next);
  }
  server::Storage& current() { return *current_; }

  server::OrganisationStore& organisations() override {
    return current_->organisations();
  }
  server::AccountStore& accounts() override { return current_->accounts(); }
  server::KeyStore& keys() override { return current_->keys(); }
  server::MailboxStore& mailboxes() override { return current_->mailboxes(); }
  absl::Status Checkpoint(const std::string& target_dir) override {
    return current_->Checkpoint(target_dir);
  }
  absl::StatusOr<uint64_t> BytesOnDisk() override {
    return current_->BytesOnDisk();
  }
  absl::Status Flush() override { return current_->Flush(); }
  absl::Status Forget() override { return current_->Forget(); }
  bool HasUnforgottenWrites() override {
    return current_->HasUnforgottenWrites();
  }

 private:
  std::unique_ptr<server::Storage> current_;
};

// base::FakeRandom restarted from the same seed for every input, so that ids
// and secrets handed out by Register repeat from run to run.
class ResettableRandom final : public base::Random {
 public:
  void Reset() {
    absl::MutexLock lock(&mu_);
    fake_ = std::make_unique<base::FakeRandom>(0x5eed);
  }
  std::string Bytes(size_t n) override {
    absl::MutexLock lock(&mu_);
    return fake_->Bytes(n);
  }

 private:
  absl::Mutex mu_;
  std::unique_ptr<base::FakeRandom> fake_ ABSL_GUARDED_BY(mu_) =
      std::make_unique<base::FakeRandom>(0x5eed);
};

// What the relay holds about the world, as text: equal before and after a
// call that must not change anything.
std::string Describe(server::Storage& storage, uint32_t now_hour) {
  std::string out;
  absl::StatusOr<server::AccountStore::Counts> counts =
      storage.accounts().Count(now_hour);
  absl::StatusOr<uint64_t> queued = storage.mailboxes().CountQueued();
  absl::StatusOr<std::vector<server::OrganisationRecord>> orgs =
      storage.organisations().List();
  if (!counts.ok() || !queued.ok() || !orgs.ok()) return "storage failed";
  absl::StrAppend(&out, "employees=", counts->employees,
                  " trust_persons=", counts->trust_persons,
                  " open_invites=", counts->open_invites, " queued=", *queued,
                  "\n");
  for (const auto& org : *orgs) absl::StrAppend(&out, "org ", org.id, "\n");
  for (const WorldAccount& account : WorldAccounts()) {
    absl::StrAppend(&out, "account ", base::HexEncode(account.id), ":");
    absl::StatusOr<server::AccountRecord> record =
        storage.accounts().Get(account.id);
    if (record.ok()) {
      absl::StrAppend(&out, " kind=", record->kind,
                      " profile=", record->profile.ShortDebugString());
    }
    absl::StatusOr<server::IdentityRecord> identity =
        storage.keys().GetIdentity(account.id);
    if (identity.ok()) {
      absl::StrAppend(&out,
                      " identity=", base::HexEncode(identity->identity_key),
                      " reg=", identity->registration_id,
                      " spk=", identity->signed_pre_key.id, "/",
                      base::HexEncode(identity->signed_pre_key.public_key));
    }
    absl::StatusOr<uint32_t> one_time =
        storage.keys().CountOneTimePreKeys(account.id);
    absl::StrAppend(&out, " one_time=", one_time.ok() ? *one_time : 999999);
    absl::StatusOr<std::vector<StoredEnvelope>> mailbox =
        storage.mailboxes().Read(MailboxId{account.id, 1}, 0, 1000, 1 << 30);
    if (mailbox.ok()) {
      for (const StoredEnvelope& e : *mailbox) {
        absl::StrAppend(&out, " env", e.seq, "=", e.content.size());
      }
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

bool IsAllowed(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

bool MayTalk(const WorldAccount& a, const WorldAccount& b) {
  if (a.kind == b.kind) return false;
  for (const auto& org : a.organisation_ids) {
    if (std::find(b.organisation_ids.begin(), b.organisation_ids.end(), org) !=
        b.organisation_ids.end()) {
      return true;
    }
  }
  return false;
}

// Whether the relay must have refused `key` at upload: u of small order
// (the list libsodium refuses, RFC 7748 §6.1's attack points) or not below
// p = 2^255 - 19. Written out independently of the relay's check.
bool IsDegenerateKey(const std::string& key) {
  if (key.size() != 33) return false;  // refused as malformed anyway
  const auto* u = reinterpret_cast<const unsigned char*>(key.data()) + 1;
  if (u[31] & 0x80) return true;
  bool ff = true;
  for (int i = 1; i < 31; ++i) ff = ff && u[i] == 0xff;
  if (u[31] == 0x7f && ff && u[0] >= 0xec) return true;  // p - 1 ... 2^255 - 1
  static const unsigned char kSmallOrder[][32] = {
      {0},
      {1},
      {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
       0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
       0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
      {0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1,
       0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c,
       0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
  };
  for (const auto& bad : kSmallOrder) {
    if (std::equal(u, u + 32, bad)) return true;
  }
  return false;
}

const WorldAccount* AccountById(std::string_view id) {
  for (const WorldAccount& account : WorldAccounts()) {
    if (account.id == id) return &account;
  }
  return nullptr;
}

// The outcome of one call.
struct CallResult {
  grpc::Status status;
  std::string response;               // unary calls
  std::vector<std::string> messages;  // Receive
};

std::string BytesOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

class Harness {
 public:
  Harness()
      : clock_(absl::FromUnixSeconds(kStartUnixSeconds)),
        pool_(1),
        keys_(*server::RelayKeys::InMemory(clock_, std::string(32, 'F'))),
        services_(storage_, clock_, random_, pool_, *keys_, FuzzLimits()) {
    // Protobuf logs every string field with invalid UTF-8; the relay turns
    // those into INVALID_ARGUMENT, which is what is checked.
    google::protobuf::SetLogHandler(nullptr);
    server::SetMinLogLevel(server::LogLevel::kError);
    storage_.Reset(server::NewMemoryStorage());
    grpc::ServerBuilder builder;
    for (grpc::Service* service : services_.services()) {
      builder.RegisterService(service);
    }
    builder.SetMaxReceiveMessageSize(
        static_cast<int>(FuzzLimits().max_envelope_bytes) + 64 * 1024);
    server_ = builder.BuildAndStart();
    if (server_ == nullptr) Abort("harness", "cannot start the gRPC server");
    channel_ = server_->InProcessChannel(grpc::ChannelArguments());
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
  }

  void Run(RelayHandler handler, Caller caller, const std::string& request) {
    handler_ = handler;
    // A fresh world; an hour later each time, so that every rate-limit
    // bucket has refilled and no input depends on the ones before it.
    storage_.Reset(server::NewMemoryStorage());
    clock_.Advance(absl::Hours(1));
    random_.Reset();
    now_hour_ = clock_.NowHour();
    if (absl::Status s = SeedWorld(storage_.current(), now_hour_); !s.ok()) {
      Abort("harness", absl::StrCat("seeding failed: ", s.ToString()));
    }
    const std::string before = Describe(storage_.current(), now_hour_);

    CallResult result = handler == RelayHandler::kReceive
                            ? CallStreaming(caller, request)
                            : CallUnary(caller, request);
    const bool parsed = ParsesAsRequest(handler, request);
    if (verbose_) {
      std::fprintf(stderr, "%.*s caller=%d parsed=%d -> %d %s (%zu messages)\n",
                   static_cast<int>(HandlerName(handler).size()),
                   HandlerName(handler).data(), static_cast<int>(caller),
                   parsed, static_cast<int>(result.status.error_code()),
                   result.status.error_message().c_str(),
                   result.messages.size());
    }
    CheckCommon(caller, parsed, result);
    const bool read_only = handler == RelayHandler::kGetAccount ||
                           handler == RelayHandler::kGetPreKeyCount ||
                           handler == RelayHandler::kListTrustPersons ||
                           handler == RelayHandler::kGetRelayKeys ||
                           handler == RelayHandler::kGetSenderCertificate ||
                           handler == RelayHandler::kReceive;
    if (read_only || !result.status.ok()) {
      Expect(Describe(storage_.current(), now_hour_) == before,
             "the stored state changed although the call failed or only "
             "reads");
    }
    if (result.status.ok() || handler == RelayHandler::kReceive) {
      CheckSuccess(caller, request, result);
    }

    // No task of this call may touch the storage once it is replaced.
    if (!services_.WaitForCallsToFinish(kDrainTimeout) ||
        services_.OpenStreams() != 0) {
      Abort(HandlerName(handler),
            "a call did not finish after the client left");
    }
  }

 private:
  [[noreturn]] void Abort(std::string_view where, std::string_view what) {
    std::fprintf(stderr, "relay fuzzer (%.*s): %.*s\n",
                 static_cast<int>(where.size()), where.data(),
                 static_cast<int>(what.size()), what.data());
    std::abort();
  }

  void Expect(bool condition, std::string_view what) {
    if (!condition) Abort(HandlerName(handler_), what);
  }

  // An oracle for a reported, not yet fixed finding: aborts like Expect
  // unless `finding` is listed in CONFIDANT_FUZZ_KNOWN (comma-separated), so
  // that fuzzing can go on past it; then it is reported once.
  void ExpectUnlessKnown(bool condition, std::string_view finding,
                         std::string_view what) {
    if (condition) return;
    const char* known = std::getenv("CONFIDANT_FUZZ_KNOWN");
    for (absl::string_view name :
         absl::StrSplit(known != nullptr ? known : "", ',')) {
      if (std::string_view(name.data(), name.size()) == finding) {
        if (reported_.insert(std::string(finding)).second) {
          std::fprintf(stderr, "relay fuzzer: known finding %.*s seen\n",
                       static_cast<int>(finding.size()), finding.data());
        }
        return;
      }
    }
    Abort(HandlerName(handler_),
          absl::StrCat(std::string(finding), ": ", std::string(what)));
  }

  void Authorise(grpc::ClientContext& ctx, Caller caller) {
    const CallerCredentials c = CredentialsFor(caller);
    if (c.send_account) ctx.AddMetadata("x-confidant-account-bin", c.account);
    if (c.send_secret) ctx.AddMetadata("x-confidant-secret-bin", c.secret);
    ctx.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  }

  // Waits for `tag` on the queue; a call stuck past the deadline is a hang.
  bool Await(void* tag) {
    void* got = nullptr;
    bool ok = false;
    const auto deadline = std::chrono::system_clock::now() + kCallTimeout +
                          std::chrono::seconds(5);
    if (cq_.AsyncNext(&got, &ok, deadline) !=
        grpc::CompletionQueue::NextStatus::GOT_EVENT) {
      Abort(HandlerName(handler_), "no completion: the call hangs");
    }
    if (got != tag) Abort("harness", "unexpected completion-queue tag");
    return ok;
  }

  CallResult CallUnary(Caller caller, const std::string& request) {
    grpc::ClientContext ctx;
    Authorise(ctx, caller);
    grpc::Slice slice(request);
    grpc::ByteBuffer in(&slice, 1);
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
        stub_->PrepareUnaryCall(&ctx, MethodPath(handler_), in, &cq_);
    call->StartCall();
    grpc::ByteBuffer out;
    CallResult result;
    call->Finish(&out, &result.status, this);
    Await(this);
    if (result.status.ok()) result.response = BytesOf(out);
    return result;
  }

  // Receive: sends the request, reads until queue_empty (or a few messages),
  // then cancels, as a client that has caught up does.
  CallResult CallStreaming(Caller caller, const std::string& request) {
    grpc::ClientContext ctx;
    Authorise(ctx, caller);
    std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
        stub_->PrepareCall(&ctx, MethodPath(handler_), &cq_);
    CallResult result;
    int tag_start, tag_write, tag_read, tag_finish;
    call->StartCall(&tag_start);
    bool open = Await(&tag_start);
    if (open) {
      grpc::Slice slice(request);
      grpc::ByteBuffer in(&slice, 1);
      call->WriteLast(in, grpc::WriteOptions(), &tag_write);
      open = Await(&tag_write);
    }
    bool caught_up = false;
    while (open && !caught_up &&
           static_cast<int>(result.messages.size()) < kMaxStreamMessages) {
      grpc::ByteBuffer message;
      call->Read(&message, &tag_read);
      if (!Await(&tag_read)) {
        open = false;  // the server ended the stream: keep its status
        break;
      }
      result.messages.push_back(BytesOf(message));
      v1::ReceiveResponse parsed;
      caught_up = parsed.ParseFromString(result.messages.back()) &&
                  parsed.has_queue_empty();
    }
    if (open) ctx.TryCancel();
    call->Finish(&result.status, &tag_finish);
    Await(&tag_finish);
    return result;
  }

  void CheckCommon(Caller caller, bool parsed, const CallResult& result) {
    const grpc::StatusCode code = result.status.error_code();
    const bool cancelled_by_us = handler_ == RelayHandler::kReceive &&
                                 code == grpc::StatusCode::CANCELLED &&
                                 !result.messages.empty();
    Expect(IsAllowed(code) || cancelled_by_us,
           absl::StrCat("status ", code, " (\"", result.status.error_message(),
                        "\") is not one a client can act on"));
    if (code != grpc::StatusCode::OK && !cancelled_by_us) {
      Expect(!result.status.error_message().empty(),
             "an error without a message");
    }
    if (!parsed) {
      Expect(code == grpc::StatusCode::INVALID_ARGUMENT,
             absl::StrCat("an undecodable request got status ", code,
                          " instead of INVALID_ARGUMENT"));
      return;
    }
    if (handler_ == RelayHandler::kGetRelayKeys) {
      Expect(
          code == grpc::StatusCode::OK,
          absl::StrCat("GetRelayKeys, which needs no credentials, got ", code));
      return;
    }
    if (handler_ != RelayHandler::kRegister && AccountFor(caller) == nullptr) {
      Expect(code == grpc::StatusCode::UNAUTHENTICATED,
             absl::StrCat("bad credentials got status ", code,
                          " instead of UNAUTHENTICATED"));
    }
  }

  void CheckSuccess(Caller caller, const std::string& request,
                    const CallResult& result) {
    const WorldAccount* me = AccountFor(caller);
    server::Storage& storage = storage_.current();
    switch (handler_) {
      case RelayHandler::kRegister: {
        v1::RegisterRequest req;
        v1::RegisterResponse resp;
        req.ParseFromString(request);
        Expect(resp.ParseFromString(result.response), "unparsable response");
        Expect(resp.account_id().size() == 16 && resp.secret().size() == 32,
               "account id or secret of the wrong size");
        absl::StatusOr<server::AccountRecord> stored =
            storage.accounts().Get(resp.account_id());
        Expect(stored.ok(), "the registered account is not stored");
        Expect(stored->secret_hash ==
                   server::DomainHash(server::kSecretDomain, resp.secret()),
               "the returned secret does not match the stored hash");
        Expect(stored->kind == resp.kind(), "stored kind differs");
        std::vector<std::string> expected_orgs;
        if (req.has_access_code()) {
          Expect(resp.kind() == v1::ACCOUNT_KIND_EMPLOYEE,
                 "an access code made a non-employee");
          absl::StatusOr<std::string> code =
              server::NormaliseCode(req.access_code());
          for (const WorldOrganisation& org : WorldOrganisations()) {
            if (code.ok() && *server::NormaliseCode(org.access_code) == *code) {
              expected_orgs.push_back(org.id);
            }
          }
        } else {
          Expect(resp.kind() == v1::ACCOUNT_KIND_TRUST_PERSON,
                 "an invite made a non-trust-person");
          absl::StatusOr<std::string> code =
              server::NormaliseCode(req.invite_code());
          for (const WorldInvite& invite : WorldInvites()) {
            if (code.ok() && *server::NormaliseCode(invite.code) == *code) {
              Expect(!invite.expired, "an expired invite was accepted");
              expected_orgs = invite.organisation_ids;
            }
          }
          ExpectUnlessKnown(
              stored->profile.GetReflection()
                  ->GetUnknownFields(stored->profile)
                  .empty(),
              "profile-unknown-fields",
              "the stored profile carries unknown fields that no validation "
              "looked at (they are served to every employee)");
        }
        std::vector<std::string> got_orgs;
        for (const auto& ref : resp.organisations())
          got_orgs.push_back(ref.id());
        Expect(got_orgs == expected_orgs &&
                   stored->organisation_ids == expected_orgs,
               "registered into other organisations than the code names");
        return;
      }
      case RelayHandler::kGetAccount: {
        v1::GetAccountResponse resp;
        Expect(resp.ParseFromString(result.response), "unparsable response");
        Expect(resp.account_id() == me->id && resp.kind() == me->kind,
               "another account's identity");
        Expect(resp.has_keys() == (me->identity_seed != 0), "has_keys wrong");
        Expect(
            resp.has_profile() == (me->kind == v1::ACCOUNT_KIND_TRUST_PERSON),
            "profile present for an employee or missing for a trust person");
        std::vector<std::string> orgs;
        for (const auto& ref : resp.organisations()) orgs.push_back(ref.id());
        Expect(orgs == me->organisation_ids, "wrong organisations");
        return;
      }
      case RelayHandler::kUploadKeys: {
        v1::UploadKeysRequest req;
        v1::UploadKeysResponse resp;
        req.ParseFromString(request);
        Expect(resp.ParseFromString(result.response), "unparsable response");
        absl::StatusOr<uint32_t> count =
            storage.keys().CountOneTimePreKeys(me->id);
        Expect(count.ok() && *count == resp.one_time_pre_key_count(),
               "the returned count differs from the stored one");
        Expect(*count <= FuzzLimits().max_one_time_pre_keys,
               "more one-time pre-keys stored than the limit");
        std::set<uint32_t> ids;
        if (!req.replace_identity()) {
          ids.insert(me->one_time_pre_key_ids.begin(),
                     me->one_time_pre_key_ids.end());
        }
        for (const auto& k : req.one_time_pre_keys()) ids.insert(k.id());
        Expect(ids.size() == *count, "the one-time pre-key count is wrong");
        absl::StatusOr<server::IdentityRecord> identity =
            storage.keys().GetIdentity(me->id);
        Expect(identity.ok(), "keys accepted but no identity stored");
        Expect(req.identity_key().empty() == (req.registration_id() == 0),
               "identity_key accepted without registration_id, or "
               "registration_id without identity_key");
        if (req.registration_id() != 0) {
          Expect(identity->registration_id == req.registration_id(),
                 "the uploaded registration id was not stored");
        }
        if (!req.identity_key().empty()) {
          Expect(identity->identity_key == req.identity_key(),
                 "the uploaded identity key was not stored");
        }
        Expect(!IsDegenerateKey(req.identity_key()) &&
                   !IsDegenerateKey(req.signed_pre_key().public_key()),
               "an identity key or signed pre-key of small order, or not "
               "canonical, was accepted");
        for (const auto& k : req.one_time_pre_keys()) {
          Expect(!IsDegenerateKey(k.public_key()),
                 "a one-time pre-key of small order, or not canonical, was "
                 "accepted");
        }
        if (me->identity_seed == 0 || req.replace_identity()) {
          Expect(!req.identity_key().empty() && req.has_signed_pre_key() &&
                     req.registration_id() != 0,
                 "a first upload without identity, registration id or signed "
                 "pre-key was accepted");
        } else {
          Expect(identity->identity_key ==
                     FixedXeddsaKey(me->identity_seed).public_key(),
                 "the identity key changed without replace_identity");
        }
        return;
      }
      case RelayHandler::kGetPreKeyBundle: {
        v1::GetPreKeyBundleRequest req;
        v1::GetPreKeyBundleResponse resp;
        req.ParseFromString(request);
        Expect(resp.ParseFromString(result.response), "unparsable response");
        const WorldAccount* peer = AccountById(req.account_id());
        Expect(peer != nullptr && MayTalk(*me, *peer),
               "a bundle for someone the caller may not contact");
        Expect(peer->identity_seed != 0,
               "a bundle for an account without keys");
        const FixedXeddsaKey key(
            static_cast<unsigned char>(peer->identity_seed));
        Expect(resp.account_id() == peer->id && resp.device_id() == 1 &&
                   resp.identity_key() == key.public_key() &&
                   resp.registration_id() ==
                       static_cast<uint32_t>(100 + peer->identity_seed) &&
                   resp.signed_pre_key().id() == 1 &&
                   resp.signed_pre_key().public_key() ==
                       SeededSignedPreKey(peer->identity_seed),
               "the bundle differs from the stored keys");
        absl::StatusOr<uint32_t> left =
            storage.keys().CountOneTimePreKeys(peer->id);
        if (peer->one_time_pre_key_ids.empty()) {
          Expect(!resp.has_one_time_pre_key(), "a one-time pre-key from none");
        } else {
          const uint32_t lowest =
              *std::min_element(peer->one_time_pre_key_ids.begin(),
                                peer->one_time_pre_key_ids.end());
          Expect(resp.has_one_time_pre_key() &&
                     resp.one_time_pre_key().id() == lowest &&
                     resp.one_time_pre_key().public_key() ==
                         FixedPublicKey(lowest * 100 + peer->identity_seed),
                 "not the lowest one-time pre-key");
          Expect(left.ok() && *left + 1 == peer->one_time_pre_key_ids.size(),
                 "the handed-out one-time pre-key was not removed");
        }
        return;
      }
      case RelayHandler::kGetPreKeyCount: {
        v1::GetPreKeyCountResponse resp;
        Expect(resp.ParseFromString(result.response), "unparsable response");
        Expect(resp.one_time_pre_key_count() == me->one_time_pre_key_ids.size(),
               "wrong one-time pre-key count");
        return;
      }
      case RelayHandler::kListTrustPersons: {
        v1::ListTrustPersonsRequest req;
        v1::ListTrustPersonsResponse resp;
        req.ParseFromString(request);
        Expect(resp.ParseFromString(result.response), "unparsable response");
        const std::string& org = resp.organisation().id();
        Expect(
            std::find(me->organisation_ids.begin(), me->organisation_ids.end(),
                      org) != me->organisation_ids.end(),
            "listed an organisation the caller does not belong to");
        Expect(req.organisation_id().empty() || req.organisation_id() == org,
               "listed another organisation than asked for");
        std::vector<std::string> expected;
        for (const WorldAccount& a : WorldAccounts()) {
          if (a.kind == v1::ACCOUNT_KIND_TRUST_PERSON && a.identity_seed != 0 &&
              std::find(a.organisation_ids.begin(), a.organisation_ids.end(),
                        org) != a.organisation_ids.end()) {
            expected.push_back(a.id);
          }
        }
        std::vector<std::string> got;
        for (const auto& tp : resp.trust_persons()) {
          got.push_back(tp.account_id());
          const WorldAccount* a = AccountById(tp.account_id());
          Expect(a != nullptr && a->identity_seed != 0 &&
                     tp.identity_key() ==
                         FixedXeddsaKey(
                             static_cast<unsigned char>(a->identity_seed))
                             .public_key(),
                 "a listed identity key differs from the stored one");
        }
        Expect(got == expected, "wrong set of trust persons");
        return;
      }
      case RelayHandler::kGetRelayKeys: {
        v1::GetRelayKeysResponse resp;
        Expect(resp.ParseFromString(result.response), "unparsable response");
        const std::vector<crypto::RelayPublicKey> chain = keys_->Chain();
        Expect(resp.keys_size() == static_cast<int>(chain.size()),
               "not every relay key was served");
        for (int i = 0; i < resp.keys_size(); ++i) {
          const v1::RelayKey& key = resp.keys(i);
          Expect(key.id() == chain[i].id &&
                     key.public_key() == chain[i].public_key &&
                     key.created_hour() == chain[i].created_hour &&
                     key.endorsement() == chain[i].endorsement,
                 "a served relay key differs from the relay's");
        }
        return;
      }
      case RelayHandler::kGetSenderCertificate: {
        v1::GetSenderCertificateResponse resp;
        Expect(resp.ParseFromString(result.response), "unparsable response");
        Expect(me->identity_seed != 0,
               "a certificate for an account without keys");
        absl::StatusOr<crypto::SenderCertificate> certificate =
            crypto::ParseSenderCertificate(resp.certificate());
        Expect(certificate.ok(), "the certificate does not parse");
        absl::StatusOr<crypto::RelayKeyRing> ring =
            crypto::RelayKeyRing::FromChain(keys_->Chain());
        Expect(ring.ok() && ring->Verify(*certificate, now_hour_).ok(),
               "the certificate does not verify against the relay's keys");
        Expect(certificate->account_id == me->id &&
                   certificate->identity_key ==
                       FixedXeddsaKey(
                           static_cast<unsigned char>(me->identity_seed))
                           .public_key(),
               "the certificate names another account or identity key");
        Expect(certificate->expiry_hour ==
                   now_hour_ + crypto::kSenderCertificateLifetimeHours,
               "the certificate does not expire one lifetime from now");
        return;
      }
      case RelayHandler::kSend: {
        v1::SendRequest req;
        v1::SendResponse resp;
        req.ParseFromString(request);
        Expect(resp.ParseFromString(result.response), "unparsable response");
        const WorldAccount* peer = AccountById(req.recipient_account_id());
        Expect(peer != nullptr && MayTalk(*me, *peer),
               "delivered to someone the sender may not contact");
        Expect(!req.content().empty() &&
                   req.content().size() <= FuzzLimits().max_envelope_bytes,
               "accepted an empty or oversized envelope");
        Expect(resp.seq() == static_cast<uint64_t>(peer->queued) + 1,
               "unexpected sequence number");
        absl::StatusOr<std::vector<StoredEnvelope>> stored =
            storage.mailboxes().Read(MailboxId{peer->id, 1}, resp.seq() - 1, 1,
                                     1 << 30);
        Expect(stored.ok() && stored->size() == 1 &&
                   (*stored)[0].seq == resp.seq() &&
                   (*stored)[0].content == req.content(),
               "the acknowledged envelope is not stored as sent");
        return;
      }
      case RelayHandler::kReceive: {
        CheckReceive(me, result);
        return;
      }
      case RelayHandler::kAck: {
        v1::AckRequest req;
        v1::AckResponse resp;
        req.ParseFromString(request);
        Expect(resp.ParseFromString(result.response), "unparsable response");
        std::set<uint64_t> asked(req.seqs().begin(), req.seqs().end());
        uint32_t present = 0;
        for (uint64_t seq : asked) {
          if (seq >= 1 && seq <= static_cast<uint64_t>(me->queued)) ++present;
        }
        Expect(resp.deleted() == present, "wrong number of deleted envelopes");
        absl::StatusOr<std::vector<StoredEnvelope>> left =
            storage.mailboxes().Read(MailboxId{me->id, 1}, 0, 1000, 1 << 30);
        Expect(left.ok() &&
                   left->size() + present == static_cast<size_t>(me->queued),
               "acknowledged envelopes are still stored, or others vanished");
        for (const StoredEnvelope& e : *left) {
          Expect(!asked.contains(e.seq), "an acknowledged envelope is stored");
        }
        return;
      }
    }
  }

  void CheckReceive(const WorldAccount* me, const CallResult& result) {
    if (result.messages.empty()) {
      Expect(!result.status.ok(), "a stream ended OK without any message");
      return;
    }
    Expect(me != nullptr, "a stream for bad credentials");
    int envelopes = 0;
    bool caught_up = false;
    for (const std::string& bytes : result.messages) {
      v1::ReceiveResponse message;
      Expect(message.ParseFromString(bytes), "unparsable stream message");
      Expect(!caught_up, "a message after queue_empty");
      if (message.has_queue_empty()) {
        caught_up = true;
        continue;
      }
      Expect(message.has_envelope(), "a message that is neither item");
      Expect(envelopes < me->queued, "more envelopes than were queued");
      Expect(
          message.envelope().seq() == static_cast<uint64_t>(envelopes) + 1 &&
              message.envelope().content() == SeededEnvelope(me->id, envelopes),
          "envelopes out of order or altered");
      ++envelopes;
    }
    Expect(caught_up && envelopes == me->queued,
           "queue_empty missing or before every queued envelope");
    Expect(result.status.error_code() == grpc::StatusCode::CANCELLED,
           "the stream ended by itself after queue_empty");
  }

  // CONFIDANT_FUZZ_VERBOSE=1 prints each call's outcome (for corpus work).
  const bool verbose_ = std::getenv("CONFIDANT_FUZZ_VERBOSE") != nullptr;
  std::set<std::string> reported_;
  RelayHandler handler_ = RelayHandler::kRegister;
  uint32_t now_hour_ = 0;
  base::FakeClock clock_;
  SwappableStorage storage_;
  ResettableRandom random_;
  server::WorkerPool pool_;
  std::unique_ptr<server::RelayKeys> keys_;
  server::RelayServices services_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  grpc::CompletionQueue cq_;
};

}  // namespace

int RunRelayFuzzInput(RelayHandler handler, const uint8_t* data, size_t size) {
  // Never destroyed: gRPC's and the pool's threads outlive any exit order.
  static Harness* harness = new Harness;
  const Caller caller =
      static_cast<Caller>(size == 0 ? 0 : data[0] % kCallerCount);
  const std::string request =
      size == 0
          ? std::string()
          : std::string(reinterpret_cast<const char*>(data) + 1, size - 1);
  harness->Run(handler, caller, request);
  return 0;
}

}  // namespace confidant::fuzz
