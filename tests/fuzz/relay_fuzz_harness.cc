// The relay fuzz harness (relay_fuzz_harness.h): the real services behind
// an in-process gRPC server, a fresh world per input, the unary and
// streaming calls, and the checks every call gets. What each handler's
// success must have done is relay_fuzz_oracle.cc.
#include "tests/fuzz/relay_fuzz_harness.h"

#include <google/protobuf/stubs/logging.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "base/hex.h"
#include "confidant/v1/relay.pb.h"
#include "server/log.h"
#include "server/relay_keys.h"
#include "server/relay_service.h"
#include "server/storage/memory_storage.h"
#include "server/worker_pool.h"
#include "tests/fuzz/relay_fuzz_harness_internal.h"
#include "tests/fuzz/relay_world.h"

namespace confidant::fuzz {
namespace {

using internal::CallResult;
using internal::Harness;
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

std::string BytesOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

}  // namespace

namespace internal {

Harness::Harness()
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

void Harness::Run(RelayHandler handler, Caller caller,
                  const std::string& request) {
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
                 HandlerName(handler).data(), static_cast<int>(caller), parsed,
                 static_cast<int>(result.status.error_code()),
                 result.status.error_message().c_str(), result.messages.size());
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
    Abort(HandlerName(handler), "a call did not finish after the client left");
  }
}

void Harness::Abort(std::string_view where, std::string_view what) {
  std::fprintf(stderr, "relay fuzzer (%.*s): %.*s\n",
               static_cast<int>(where.size()), where.data(),
               static_cast<int>(what.size()), what.data());
  std::abort();
}

void Harness::Expect(bool condition, std::string_view what) {
  if (!condition) Abort(HandlerName(handler_), what);
}

void Harness::ExpectUnlessKnown(bool condition, std::string_view finding,
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

void Harness::Authorise(grpc::ClientContext& ctx, Caller caller) {
  const CallerCredentials c = CredentialsFor(caller);
  if (c.send_account) ctx.AddMetadata("x-confidant-account-bin", c.account);
  if (c.send_secret) ctx.AddMetadata("x-confidant-secret-bin", c.secret);
  ctx.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
}

bool Harness::Await(void* tag) {
  void* got = nullptr;
  bool ok = false;
  const auto deadline =
      std::chrono::system_clock::now() + kCallTimeout + std::chrono::seconds(5);
  if (cq_.AsyncNext(&got, &ok, deadline) !=
      grpc::CompletionQueue::NextStatus::GOT_EVENT) {
    Abort(HandlerName(handler_), "no completion: the call hangs");
  }
  if (got != tag) Abort("harness", "unexpected completion-queue tag");
  return ok;
}

CallResult Harness::CallUnary(Caller caller, const std::string& request) {
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

CallResult Harness::CallStreaming(Caller caller, const std::string& request) {
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

void Harness::CheckCommon(Caller caller, bool parsed,
                          const CallResult& result) {
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

}  // namespace internal

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
