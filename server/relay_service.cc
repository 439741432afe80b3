// What the relay's public services share (relay_service_internal.h): parsing
// and serializing raw requests, authentication, the request checks several
// services make; and RelayServices, which owns the services (one file each:
// accounts_service.cc, keys_service.cc, directory_service.cc,
// certificates_service.cc, mailbox_service.cc, receive_reactor.cc).
#include "server/relay_service.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "confidant/v1/wire.h"
#include "server/codes.h"
#include "server/relay_service_internal.h"

namespace confidant::server {
namespace {

bool SharesOrganisation(const AccountRecord& a, const AccountRecord& b) {
  for (const auto& org : a.organisation_ids) {
    if (std::find(b.organisation_ids.begin(), b.organisation_ids.end(), org) !=
        b.organisation_ids.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::Status ValidateAccountId(std::string_view id, absl::string_view field) {
  if (id.size() != kAccountIdSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be exactly 16 bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> ValidateDevice(uint32_t device_id) {
  if (device_id == 0 || device_id == 1) return 1u;
  return absl::InvalidArgumentError("device_id must be 1 in this version");
}

std::string MailboxKey(const MailboxId& m) {
  std::string key = m.account_id;
  for (int shift = 24; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((m.device_id >> shift) & 0xff));
  }
  return key;
}

bool MayTalk(const AccountRecord& a, const AccountRecord& b) {
  const bool pair = (a.kind == v1::ACCOUNT_KIND_EMPLOYEE &&
                     b.kind == v1::ACCOUNT_KIND_TRUST_PERSON) ||
                    (a.kind == v1::ACCOUNT_KIND_TRUST_PERSON &&
                     b.kind == v1::ACCOUNT_KIND_EMPLOYEE);
  return pair && SharesOrganisation(a, b);
}

grpc::Status ShuttingDown() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "relay shutting down");
}

absl::Status ParseRequest(const grpc::ByteBuffer& in,
                          google::protobuf::MessageLite* out) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (in.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    if (out->ParseFromString(bytes)) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the request is not a valid ", out->GetTypeName(), " message"));
}

absl::Status SerializeResponse(const google::protobuf::MessageLite& message,
                               grpc::ByteBuffer* out) {
  std::string bytes;
  if (!message.SerializeToString(&bytes)) {
    return absl::InternalError("cannot serialize the response");
  }
  grpc::Slice slice(std::move(bytes));
  *out = grpc::ByteBuffer(&slice, 1);
  return absl::OkStatus();
}

uint64_t ConnectionKey(const grpc::CallbackServerContext& ctx) {
  return absl::HashOf(ctx.peer());
}

absl::StatusOr<AccountRecord> RelayServices::Shared::Authenticate(
    const grpc::CallbackServerContext& ctx) {
  const auto& md = ctx.client_metadata();
  auto account_it = md.find(wire::kAccountHeader);
  auto secret_it = md.find(wire::kSecretHeader);
  if (account_it == md.end() || secret_it == md.end()) {
    return absl::UnauthenticatedError(absl::StrCat("missing credentials (",
                                                   wire::kAccountHeader, ", ",
                                                   wire::kSecretHeader, ")"));
  }
  const std::string account_id(account_it->second.data(),
                               account_it->second.size());
  const std::string secret(secret_it->second.data(), secret_it->second.size());
  if (account_id.size() != kAccountIdSize ||
      secret.size() != wire::kSecretSize) {
    return absl::UnauthenticatedError("malformed credentials");
  }
  const std::string hash = DomainHash(kSecretDomain, secret);
  absl::StatusOr<AccountRecord> account = storage.accounts().Get(account_id);
  if (!account.ok()) {
    if (absl::IsNotFound(account.status())) {
      return absl::UnauthenticatedError("unknown account or wrong secret");
    }
    return account.status();
  }
  if (!ConstantTimeEquals(hash, account->secret_hash)) {
    return absl::UnauthenticatedError("unknown account or wrong secret");
  }
  return account;
}

absl::StatusOr<MailboxId> RelayServices::Shared::OwnMailbox(
    const grpc::CallbackServerContext& ctx, std::string_view account_id,
    uint32_t device_id) {
  absl::StatusOr<AccountRecord> me = Authenticate(ctx);
  if (!me.ok()) return me.status();
  absl::StatusOr<uint32_t> device = ValidateDevice(device_id);
  if (!device.ok()) return device.status();
  if (!account_id.empty() && account_id != me->id) {
    return absl::PermissionDeniedError(
        "that mailbox belongs to another account");
  }
  return MailboxId{me->id, *device};
}

absl::StatusOr<std::vector<v1::OrganisationRef>>
RelayServices::Shared::OrganisationRefs(const std::vector<std::string>& ids) {
  std::vector<v1::OrganisationRef> refs;
  for (const auto& id : ids) {
    absl::StatusOr<OrganisationRecord> org = storage.organisations().Get(id);
    if (!org.ok()) return org.status();
    v1::OrganisationRef ref;
    ref.set_id(org->id);
    ref.set_name(org->name);
    refs.push_back(std::move(ref));
  }
  return refs;
}

RelayServices::RelayServices(Storage& storage, base::Clock& clock,
                             base::Random& random, WorkerPool& pool,
                             RelayKeys& keys, const RelayLimits& limits)
    : shared_(std::make_unique<Shared>(storage, clock, random, pool, keys,
                                       limits)) {
  services_.push_back(NewAccountsService(*shared_));
  services_.push_back(NewKeysService(*shared_));
  services_.push_back(NewDirectoryService(*shared_));
  services_.push_back(NewCertificatesService(*shared_));
  services_.push_back(NewMailboxService(*shared_));
}

RelayServices::~RelayServices() = default;

std::vector<grpc::Service*> RelayServices::services() {
  std::vector<grpc::Service*> out;
  for (auto& s : services_) out.push_back(s.get());
  return out;
}

void RelayServices::BeginShutdown() { shared_->BeginShutdown(); }

bool RelayServices::WaitForCallsToFinish(absl::Duration timeout) {
  return shared_->WaitForCalls(timeout);
}

size_t RelayServices::OpenStreams() { return shared_->hub.ListenerCount(); }

}  // namespace confidant::server
