#include "server/relay_service.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/any_invocable.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "confidant/v1/wire.h"
#include "server/codes.h"
#include "server/mailbox_hub.h"
#include "server/rate_limiter.h"
#include "server/relay_service_internal.h"
#include "server/signature.h"
#include "server/status_util.h"
#include "server/text.h"

namespace confidant::server {
namespace {

using wire::kMaxIntroBytes;
using wire::kMaxKeyId;
using wire::kMaxNameBytes;
using wire::kMaxRegistrationId;
constexpr int kMaxLanguages = static_cast<int>(wire::kMaxLanguages);
// What one Receive stream reads from storage at a time, and so at most holds
// in memory besides the envelope being written: a client that never reads
// pins this much, however long its queue.
constexpr size_t kReadBatchCount = 64;
constexpr size_t kReadBatchBytes = 256 * 1024;

bool IsCleanText(std::string_view s, bool allow_newlines) {
  return CheckDisplayText(s, allow_newlines) == TextProblem::kNone;
}

absl::Status ValidateProfile(const v1::TrustPersonProfile& p) {
  if (p.display_name().empty() || p.display_name().size() > kMaxNameBytes ||
      !IsCleanText(p.display_name(), false)) {
    return absl::InvalidArgumentError(
        "profile.display_name must be 1..120 bytes of UTF-8 text without "
        "control or format characters (Unicode category Cf: direction marks "
        "and overrides, zero-width characters, byte order mark)");
  }
  if (p.affiliation() != v1::TRUST_PERSON_AFFILIATION_INTERNAL &&
      p.affiliation() != v1::TRUST_PERSON_AFFILIATION_EXTERNAL) {
    return absl::InvalidArgumentError(
        "profile.affiliation must be INTERNAL or EXTERNAL");
  }
  if (p.languages_size() > kMaxLanguages) {
    return absl::InvalidArgumentError("profile.languages: at most 10 entries");
  }
  for (const std::string& lang : p.languages()) {
    if (lang.size() < 2 || lang.size() > 8 ||
        !std::all_of(lang.begin(), lang.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || c == '-';
        })) {
      return absl::InvalidArgumentError(
          "profile.languages: each entry must be 2..8 characters of a-z or "
          "'-'");
    }
  }
  if (p.intro().size() > kMaxIntroBytes || !IsCleanText(p.intro(), true)) {
    return absl::InvalidArgumentError(
        "profile.intro must be at most 1000 bytes of UTF-8 text without "
        "control characters other than newlines and without format "
        "characters (Unicode category Cf)");
  }
  return absl::OkStatus();
}

absl::Status ValidatePublicKey(std::string_view key, absl::string_view field) {
  switch (CheckCurve25519PublicKey(key)) {
    case PublicKeyProblem::kNone:
      return absl::OkStatus();
    case PublicKeyProblem::kMalformed:
      return absl::InvalidArgumentError(
          absl::StrCat(field,
                       " must be a 33-byte Curve25519 public key starting "
                       "with 0x05"));
    case PublicKeyProblem::kNonCanonical:
      return absl::InvalidArgumentError(absl::StrCat(
          field,
          " is not a canonical Curve25519 key (its u coordinate is not "
          "below 2^255 - 19)"));
    case PublicKeyProblem::kSmallOrder:
      return absl::InvalidArgumentError(absl::StrCat(
          field,
          " is a Curve25519 point of small order, which would make every "
          "key agreement with it predictable"));
  }
  return absl::InvalidArgumentError(absl::StrCat(field, " is unusable"));
}

absl::Status ValidateAccountId(std::string_view id, absl::string_view field) {
  if (id.size() != kAccountIdSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be exactly 16 bytes"));
  }
  return absl::OkStatus();
}

// Device ids: v1 has one device per account; 0 (unset) reads as 1.
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

bool SharesOrganisation(const AccountRecord& a, const AccountRecord& b) {
  for (const auto& org : a.organisation_ids) {
    if (std::find(b.organisation_ids.begin(), b.organisation_ids.end(), org) !=
        b.organisation_ids.end()) {
      return true;
    }
  }
  return false;
}

// Only an employee and a trust person of a common organisation talk.
bool MayTalk(const AccountRecord& a, const AccountRecord& b) {
  const bool pair = (a.kind == v1::ACCOUNT_KIND_EMPLOYEE &&
                     b.kind == v1::ACCOUNT_KIND_TRUST_PERSON) ||
                    (a.kind == v1::ACCOUNT_KIND_TRUST_PERSON &&
                     b.kind == v1::ACCOUNT_KIND_EMPLOYEE);
  return pair && SharesOrganisation(a, b);
}

void CopySignedPreKey(const SignedPreKeyRecord& in, v1::SignedPreKey* out) {
  out->set_id(in.id);
  out->set_public_key(in.public_key);
  out->set_signature(in.signature);
}

}  // namespace

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

namespace {

using Shared = RelayServices::Shared;

// ---------------------------------------------------------------------------

using RawAccounts = v1::Accounts::WithRawCallbackMethod_Register<
    v1::Accounts::WithRawCallbackMethod_GetAccount<v1::Accounts::Service>>;
using RawKeys = v1::Keys::WithRawCallbackMethod_UploadKeys<
    v1::Keys::WithRawCallbackMethod_GetPreKeyBundle<
        v1::Keys::WithRawCallbackMethod_GetPreKeyCount<v1::Keys::Service>>>;
using RawDirectory = v1::Directory::WithRawCallbackMethod_ListTrustPersons<
    v1::Directory::Service>;
using RawMailbox = v1::Mailbox::WithRawCallbackMethod_Send<
    v1::Mailbox::WithRawCallbackMethod_Receive<
        v1::Mailbox::WithRawCallbackMethod_Ack<v1::Mailbox::Service>>>;

class AccountsService final : public RawAccounts {
 public:
  explicit AccountsService(Shared& s) : s_(s) {}

  grpc::ServerUnaryReactor* Register(grpc::CallbackServerContext* call,
                                     const grpc::ByteBuffer* in,
                                     grpc::ByteBuffer* out) override {
    return s_.Unary<v1::RegisterRequest, v1::RegisterResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::RegisterRequest& request,
               v1::RegisterResponse* resp) -> absl::Status {
          const v1::RegisterRequest* req = &request;
          return DoRegister(*req, resp);
        });
  }

  grpc::ServerUnaryReactor* GetAccount(grpc::CallbackServerContext* call,
                                       const grpc::ByteBuffer* in,
                                       grpc::ByteBuffer* out) override {
    return s_.Unary<v1::GetAccountRequest, v1::GetAccountResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::GetAccountRequest& request,
               v1::GetAccountResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          auto refs = s_.OrganisationRefs(me->organisation_ids);
          if (!refs.ok()) return refs.status();
          resp->set_account_id(me->id);
          resp->set_kind(me->kind);
          for (auto& r : *refs) *resp->add_organisations() = std::move(r);
          if (me->kind == v1::ACCOUNT_KIND_TRUST_PERSON) {
            *resp->mutable_profile() = me->profile;
          }
          absl::StatusOr<IdentityRecord> identity =
              s_.storage.keys().GetIdentity(me->id);
          if (!identity.ok() && !absl::IsNotFound(identity.status())) {
            return identity.status();
          }
          resp->set_has_keys(identity.ok());
          return absl::OkStatus();
        });
  }

 private:
  absl::Status DoRegister(const v1::RegisterRequest& req,
                          v1::RegisterResponse* resp) {
    AccountRecord account;
    const std::string secret = s_.random.Bytes(wire::kSecretSize);
    account.id = s_.random.Bytes(kAccountIdSize);
    account.secret_hash = DomainHash(kSecretDomain, secret);
    account.created_hour = s_.clock.NowHour();

    switch (req.credential_case()) {
      case v1::RegisterRequest::kAccessCode: {
        if (req.has_profile()) {
          return absl::InvalidArgumentError(
              "employees register without a profile");
        }
        absl::StatusOr<std::string> code = NormaliseCode(req.access_code());
        if (!code.ok()) return code.status();
        absl::StatusOr<OrganisationRecord> org =
            s_.storage.organisations().FindByAccessCode(
                DomainHash(kAccessCodeDomain, *code));
        if (!org.ok()) {
          if (absl::IsNotFound(org.status())) {
            return absl::PermissionDeniedError(
                "unknown access code (ask your organisation for the current "
                "one)");
          }
          return org.status();
        }
        if (!s_.register_limiter.TryAcquire(org->id)) {
          return absl::ResourceExhaustedError(
              "too many registrations for this organisation; try again in a "
              "minute");
        }
        account.kind = v1::ACCOUNT_KIND_EMPLOYEE;
        account.organisation_ids = {org->id};
        absl::Status st = s_.storage.accounts().Create(account);
        if (!st.ok()) return st;
        break;
      }
      case v1::RegisterRequest::kInviteCode: {
        if (!req.has_profile()) {
          return absl::InvalidArgumentError(
              "trust persons register with a profile");
        }
        absl::Status st = ValidateProfile(req.profile());
        if (!st.ok()) return st;
        absl::StatusOr<std::string> code = NormaliseCode(req.invite_code());
        if (!code.ok()) return code.status();
        account.kind = v1::ACCOUNT_KIND_TRUST_PERSON;
        account.profile = req.profile();
        // Only the fields ValidateProfile checked are stored and shown to
        // employees; anything else the client sent is dropped.
        account.profile.DiscardUnknownFields();
        absl::StatusOr<AccountRecord> created =
            s_.storage.accounts().CreateWithInvite(
                DomainHash(kInviteDomain, *code), s_.clock.NowHour(), account);
        if (!created.ok()) {
          if (absl::IsNotFound(created.status())) {
            return absl::PermissionDeniedError(
                "unknown or already used invite");
          }
          if (absl::IsFailedPrecondition(created.status())) {
            return absl::PermissionDeniedError(
                "this invite has expired; ask the administrator for a new one");
          }
          return created.status();
        }
        account = *std::move(created);
        break;
      }
      default:
        return absl::InvalidArgumentError(
            "either access_code or invite_code is required");
    }

    auto refs = s_.OrganisationRefs(account.organisation_ids);
    if (!refs.ok()) return refs.status();
    resp->set_account_id(account.id);
    resp->set_secret(secret);
    resp->set_kind(account.kind);
    for (auto& r : *refs) *resp->add_organisations() = std::move(r);
    return absl::OkStatus();
  }

  Shared& s_;
};

// ---------------------------------------------------------------------------

class KeysService final : public RawKeys {
 public:
  explicit KeysService(Shared& s) : s_(s) {}

  grpc::ServerUnaryReactor* UploadKeys(grpc::CallbackServerContext* call,
                                       const grpc::ByteBuffer* in,
                                       grpc::ByteBuffer* out) override {
    return s_.Unary<v1::UploadKeysRequest, v1::UploadKeysResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::UploadKeysRequest& request,
               v1::UploadKeysResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          const v1::UploadKeysRequest* req = &request;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          return DoUpload(*me, *req, resp);
        });
  }

  grpc::ServerUnaryReactor* GetPreKeyBundle(grpc::CallbackServerContext* call,
                                            const grpc::ByteBuffer* in,
                                            grpc::ByteBuffer* out) override {
    return s_.Unary<v1::GetPreKeyBundleRequest, v1::GetPreKeyBundleResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::GetPreKeyBundleRequest& request,
               v1::GetPreKeyBundleResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          const v1::GetPreKeyBundleRequest* req = &request;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          absl::Status st = ValidateAccountId(req->account_id(), "account_id");
          if (!st.ok()) return st;
          absl::StatusOr<uint32_t> device = ValidateDevice(req->device_id());
          if (!device.ok()) return device.status();
          if (!s_.bundle_limiter.TryAcquire(me->id)) {
            return absl::ResourceExhaustedError(
                "too many pre-key bundle requests; try again later");
          }
          absl::StatusOr<AccountRecord> peer =
              s_.storage.accounts().Get(req->account_id());
          if (!peer.ok() && !absl::IsNotFound(peer.status()))
            return peer.status();
          if (!peer.ok() || !MayTalk(*me, *peer)) {
            return absl::PermissionDeniedError(
                "no such account among the people you may contact");
          }
          absl::StatusOr<PreKeyBundleRecord> bundle =
              s_.storage.keys().TakeBundle(peer->id);
          if (!bundle.ok()) {
            if (absl::IsNotFound(bundle.status())) {
              return absl::FailedPreconditionError(
                  "that account has not uploaded its keys yet");
            }
            return bundle.status();
          }
          resp->set_account_id(peer->id);
          resp->set_device_id(*device);
          resp->set_registration_id(bundle->identity.registration_id);
          resp->set_identity_key(bundle->identity.identity_key);
          CopySignedPreKey(bundle->identity.signed_pre_key,
                           resp->mutable_signed_pre_key());
          if (bundle->one_time_pre_key.has_value()) {
            resp->mutable_one_time_pre_key()->set_id(
                bundle->one_time_pre_key->id);
            resp->mutable_one_time_pre_key()->set_public_key(
                bundle->one_time_pre_key->public_key);
          }
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetPreKeyCount(grpc::CallbackServerContext* call,
                                           const grpc::ByteBuffer* in,
                                           grpc::ByteBuffer* out) override {
    return s_.Unary<v1::GetPreKeyCountRequest, v1::GetPreKeyCountResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::GetPreKeyCountRequest& request,
               v1::GetPreKeyCountResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          absl::StatusOr<uint32_t> n =
              s_.storage.keys().CountOneTimePreKeys(me->id);
          if (!n.ok()) return n.status();
          resp->set_one_time_pre_key_count(*n);
          return absl::OkStatus();
        });
  }

 private:
  absl::Status DoUpload(const AccountRecord& me,
                        const v1::UploadKeysRequest& req,
                        v1::UploadKeysResponse* resp) {
    const RelayLimits& limits = s_.limits;
    if (!req.identity_key().empty()) {
      absl::Status st = ValidatePublicKey(req.identity_key(), "identity_key");
      if (!st.ok()) return st;
    }
    if (req.registration_id() > kMaxRegistrationId) {
      return absl::InvalidArgumentError("registration_id must be 1..16380");
    }
    // relay.proto: the registration id goes with the identity key, always
    // both or neither.
    if (!req.identity_key().empty() && req.registration_id() == 0) {
      return absl::InvalidArgumentError(
          "registration_id (1..16380) is required with identity_key");
    }
    if (req.identity_key().empty() && req.registration_id() != 0) {
      return absl::InvalidArgumentError(
          "registration_id may only be sent together with identity_key");
    }
    if (req.has_signed_pre_key()) {
      const v1::SignedPreKey& spk = req.signed_pre_key();
      if (spk.id() > kMaxKeyId) {
        return absl::InvalidArgumentError(
            "signed_pre_key.id must be below 2^24");
      }
      absl::Status st =
          ValidatePublicKey(spk.public_key(), "signed_pre_key.public_key");
      if (!st.ok()) return st;
      if (spk.signature().size() != kSignatureSize) {
        return absl::InvalidArgumentError(
            "signed_pre_key.signature must be exactly 64 bytes");
      }
    }
    if (static_cast<uint32_t>(req.one_time_pre_keys_size()) >
        limits.max_pre_keys_per_upload) {
      return absl::ResourceExhaustedError(
          absl::StrCat("at most ", limits.max_pre_keys_per_upload,
                       " one-time pre-keys per upload"));
    }
    KeyUpload upload;
    absl::flat_hash_set<uint32_t> ids;
    for (const v1::OneTimePreKey& k : req.one_time_pre_keys()) {
      if (k.id() > kMaxKeyId) {
        return absl::InvalidArgumentError(
            "one_time_pre_keys: ids must be below 2^24");
      }
      if (!ids.insert(k.id()).second) {
        return absl::InvalidArgumentError(
            "one_time_pre_keys: the same id appears twice");
      }
      absl::Status st =
          ValidatePublicKey(k.public_key(), "one_time_pre_keys.public_key");
      if (!st.ok()) return st;
      upload.one_time_pre_keys.push_back({k.id(), k.public_key()});
    }
    if (req.replace_identity() &&
        (req.identity_key().empty() || !req.has_signed_pre_key() ||
         req.registration_id() == 0)) {
      return absl::InvalidArgumentError(
          "replace_identity needs identity_key, registration_id and "
          "signed_pre_key");
    }

    absl::StatusOr<IdentityRecord> stored =
        s_.storage.keys().GetIdentity(me.id);
    if (!stored.ok() && !absl::IsNotFound(stored.status()))
      return stored.status();
    if (!stored.ok() &&
        (req.identity_key().empty() || !req.has_signed_pre_key() ||
         req.registration_id() == 0)) {
      return absl::FailedPreconditionError(
          "the first upload needs identity_key, registration_id and "
          "signed_pre_key");
    }
    upload.identity_key =
        req.identity_key().empty() ? stored->identity_key : req.identity_key();
    if (stored.ok() && upload.identity_key != stored->identity_key &&
        !req.replace_identity()) {
      return absl::FailedPreconditionError(
          "identity_key differs from the stored one; set replace_identity to "
          "change it");
    }
    upload.registration_id = req.registration_id();
    upload.replace_identity = req.replace_identity();
    if (req.has_signed_pre_key()) {
      const v1::SignedPreKey& spk = req.signed_pre_key();
      if (!VerifyXeddsaSignature(upload.identity_key, spk.public_key(),
                                 spk.signature())) {
        return absl::InvalidArgumentError(
            "signed_pre_key.signature does not verify against the identity "
            "key");
      }
      upload.signed_pre_key =
          SignedPreKeyRecord{spk.id(), spk.public_key(), spk.signature()};
    }
    absl::StatusOr<uint32_t> count =
        s_.storage.keys().Upload(me.id, upload, limits.max_one_time_pre_keys);
    if (!count.ok()) return count.status();
    resp->set_one_time_pre_key_count(*count);
    return absl::OkStatus();
  }

  Shared& s_;
};

// ---------------------------------------------------------------------------

class DirectoryService final : public RawDirectory {
 public:
  explicit DirectoryService(Shared& s) : s_(s) {}

  grpc::ServerUnaryReactor* ListTrustPersons(grpc::CallbackServerContext* call,
                                             const grpc::ByteBuffer* in,
                                             grpc::ByteBuffer* out) override {
    return s_.Unary<v1::ListTrustPersonsRequest, v1::ListTrustPersonsResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& context,
               const v1::ListTrustPersonsRequest& request,
               v1::ListTrustPersonsResponse* resp) -> absl::Status {
          const grpc::CallbackServerContext* ctx = &context;
          const v1::ListTrustPersonsRequest* req = &request;
          absl::StatusOr<AccountRecord> me = s_.Authenticate(*ctx);
          if (!me.ok()) return me.status();
          std::string org_id = req->organisation_id();
          if (org_id.empty()) {
            if (me->organisation_ids.size() != 1) {
              return absl::InvalidArgumentError(
                  "organisation_id is required for accounts in several "
                  "organisations");
            }
            org_id = me->organisation_ids.front();
          }
          if (std::find(me->organisation_ids.begin(),
                        me->organisation_ids.end(),
                        org_id) == me->organisation_ids.end()) {
            return absl::PermissionDeniedError(
                "you do not belong to that organisation");
          }
          absl::StatusOr<OrganisationRecord> org =
              s_.storage.organisations().Get(org_id);
          if (!org.ok()) return org.status();
          absl::StatusOr<std::vector<AccountRecord>> people =
              s_.storage.accounts().ListTrustPersons(org_id);
          if (!people.ok()) return people.status();
          resp->mutable_organisation()->set_id(org->id);
          resp->mutable_organisation()->set_name(org->name);
          for (const AccountRecord& p : *people) {
            absl::StatusOr<IdentityRecord> identity =
                s_.storage.keys().GetIdentity(p.id);
            if (absl::IsNotFound(identity.status()))
              continue;  // not reachable yet
            if (!identity.ok()) return identity.status();
            v1::TrustPerson* tp = resp->add_trust_persons();
            tp->set_account_id(p.id);
            *tp->mutable_profile() = p.profile;
            tp->set_identity_key(identity->identity_key);
          }
          return absl::OkStatus();
        });
  }

 private:
  Shared& s_;
};

// ---------------------------------------------------------------------------

// One Receive stream. Reads envelopes from storage in batches after a cursor
// (storage makes them visible in sequence order), writes one at a time, and
// sleeps until the hub says the mailbox changed. At most one pool task and one
// write are outstanding, and Finish is called only when neither is, so no task
// can outlive the reactor. gRPC operations are started outside mu_ (gRPC may
// run a completion inline) and never from hub callbacks.
class ReceiveReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                             public MailboxHub::Listener {
 public:
  ReceiveReactor(Shared& s, grpc::CallbackServerContext* ctx,
                 const grpc::ByteBuffer* in)
      : s_(s), connection_key_(ConnectionKey(*ctx)) {
    if (!s_.CallStarted()) {
      {
        absl::MutexLock lock(&mu_);
        finished_ = true;
      }
      Finish(ShuttingDown());
      return;
    }
    {
      absl::MutexLock lock(&mu_);
      task_running_ = true;
    }
    s_.pool.Schedule([this, ctx, in] { Start(*ctx, *in); }, connection_key_);
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) finish_requested_ = true;  // the client went away
    }
    Step();
  }

  void OnCancel() override {
    {
      absl::MutexLock lock(&mu_);
      finish_requested_ = true;
      finish_status_ = grpc::Status::CANCELLED;
    }
    Step();
  }

  void OnDone() override {
    if (subscribed_) s_.hub.Unsubscribe(mailbox_key_, this);
    Shared& shared = s_;
    delete this;
    shared.CallEnded();
  }

  void OnMailboxChanged() override {
    absl::MutexLock lock(&mu_);
    dirty_ = true;
    WakeLocked();
  }

  void OnShutdown() override {
    absl::MutexLock lock(&mu_);
    finish_requested_ = true;
    finish_status_ = ShuttingDown();
    WakeLocked();
  }

 private:
  // From hub callbacks: if idle, let a pool task take the next step.
  void WakeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || writing_ || task_running_) return;
    task_running_ = true;
    s_.pool.Schedule(
        [this] {
          Decision next;
          {
            absl::MutexLock lock(&mu_);
            task_running_ = false;
            next = DecideLocked();
          }
          Run(next);
        },
        connection_key_);
  }

  void Start(const grpc::CallbackServerContext& ctx,
             const grpc::ByteBuffer& in) {
    v1::ReceiveRequest req;
    absl::Status st = ParseRequest(in, &req);
    if (st.ok()) st = Setup(ctx, req);
    Decision next;
    {
      absl::MutexLock lock(&mu_);
      task_running_ = false;
      if (!st.ok()) {
        finish_requested_ = true;
        finish_status_ = ToGrpcStatus(st);
      } else {
        dirty_ = true;  // read the queue
      }
      next = DecideLocked();
    }
    Run(next);
  }

  absl::Status Setup(const grpc::CallbackServerContext& ctx,
                     const v1::ReceiveRequest& req) {
    absl::StatusOr<MailboxId> mailbox =
        s_.OwnMailbox(ctx, req.account_id(), req.device_id());
    if (!mailbox.ok()) return mailbox.status();
    mailbox_ = *std::move(mailbox);
    mailbox_key_ = MailboxKey(mailbox_);
    absl::Status subscribed = s_.hub.Subscribe(mailbox_key_, this);
    if (!subscribed.ok()) return subscribed;  // full, or shutting down
    subscribed_ = true;
    return absl::OkStatus();
  }

  void ReadTask() {
    absl::StatusOr<std::vector<StoredEnvelope>> batch =
        s_.storage.mailboxes().Read(mailbox_, cursor_, kReadBatchCount,
                                    kReadBatchBytes);
    Decision next;
    {
      absl::MutexLock lock(&mu_);
      task_running_ = false;
      if (!batch.ok()) {
        finish_requested_ = true;
        finish_status_ = ToGrpcStatus(batch.status());
      } else {
        if (!batch->empty()) {
          cursor_ = batch->back().seq;
          dirty_ = true;  // there may be more behind this batch
        } else if (!sent_queue_empty_) {
          queue_empty_due_ = true;
        }
        for (StoredEnvelope& e : *batch) pending_.push_back(std::move(e));
      }
      next = DecideLocked();
    }
    Run(next);
  }

  // What to do next, decided under mu_ and started outside it.
  enum class Next { kNothing, kWrite, kFinish, kRead };
  struct Decision {
    Next next = Next::kNothing;
    grpc::Status status;
  };

  // Decides the next operation and starts it outside mu_.
  void Step() {
    Decision next;
    {
      absl::MutexLock lock(&mu_);
      next = DecideLocked();
    }
    Run(next);
  }

  // A task clears task_running_ and decides in one critical section: were
  // the two apart, another thread could finish the call in between and the
  // reactor be deleted under the task.
  Decision DecideLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Decision d;
    if (finished_ || writing_ || task_running_) return d;
    if (finish_requested_) {
      finished_ = true;
      d.status = finish_status_;
      d.next = Next::kFinish;
    } else if (!pending_.empty()) {
      StoredEnvelope e = std::move(pending_.front());
      pending_.pop_front();
      v1::ReceiveResponse response;
      v1::Envelope* out = response.mutable_envelope();
      out->set_seq(e.seq);
      out->set_content(std::move(e.content));
      out->set_stored_hour(e.stored_hour);
      (void)SerializeResponse(response, &out_);
      writing_ = true;
      d.next = Next::kWrite;
    } else if (queue_empty_due_) {
      queue_empty_due_ = false;
      sent_queue_empty_ = true;
      v1::ReceiveResponse response;
      response.mutable_queue_empty();
      (void)SerializeResponse(response, &out_);
      writing_ = true;
      d.next = Next::kWrite;
    } else if (dirty_) {
      dirty_ = false;
      task_running_ = true;
      d.next = Next::kRead;
    }
    return d;
  }

  // Starts what DecideLocked chose. After Finish the reactor may already be
  // gone, so nothing here touches it afterwards.
  void Run(const Decision& d) {
    switch (d.next) {
      case Next::kWrite:
        StartWrite(&out_);  // untouched until OnWriteDone
        break;
      case Next::kFinish:
        Finish(d.status);
        break;
      case Next::kRead:
        s_.pool.Schedule([this] { ReadTask(); }, connection_key_);
        break;
      case Next::kNothing:
        break;
    }
  }

  Shared& s_;
  const uint64_t connection_key_;
  // Written by Setup before the first read, read-only afterwards.
  MailboxId mailbox_;
  std::string mailbox_key_;
  bool subscribed_ = false;
  // Touched only by the single outstanding ReadTask.
  uint64_t cursor_ = 0;
  // Owned by the outstanding write while writing_ is set.
  grpc::ByteBuffer out_;

  absl::Mutex mu_;
  std::deque<StoredEnvelope> pending_ ABSL_GUARDED_BY(mu_);
  bool task_running_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;
  bool queue_empty_due_ ABSL_GUARDED_BY(mu_) = false;
  bool sent_queue_empty_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status finish_status_ ABSL_GUARDED_BY(mu_);
};

class MailboxService final : public RawMailbox {
 public:
  explicit MailboxService(Shared& s) : s_(s) {}

  grpc::ServerUnaryReactor* Send(grpc::CallbackServerContext* call,
                                 const grpc::ByteBuffer* in,
                                 grpc::ByteBuffer* out) override {
    return s_.UnaryAsync<v1::SendRequest, v1::SendResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& ctx, v1::SendRequest& req,
               Shared::Done<v1::SendResponse> done) {
          absl::StatusOr<MailboxId> mailbox = CheckSend(ctx, req);
          if (!mailbox.ok()) {
            std::move(done)(mailbox.status());
            return;
          }
          // Runs on the storage writer once the envelope is durable.
          auto appended =
              [this, key = MailboxKey(*mailbox),
               done = std::move(done)](absl::StatusOr<uint64_t> seq) mutable {
                if (!seq.ok()) {
                  if (absl::IsResourceExhausted(seq.status())) {
                    std::move(done)(absl::ResourceExhaustedError(
                        "the recipient's mailbox is full; try again later"));
                  } else {
                    std::move(done)(seq.status());
                  }
                  return;
                }
                v1::SendResponse response;
                response.set_seq(*seq);
                s_.hub.Notify(key);
                std::move(done)(std::move(response));
              };
          s_.storage.mailboxes().AppendAsync(
              *mailbox, std::move(*req.mutable_content()), s_.clock.NowHour(),
              s_.limits.max_queued_per_mailbox, std::move(appended));
        });
  }

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Receive(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* in) override {
    return new ReceiveReactor(s_, ctx, in);
  }

  grpc::ServerUnaryReactor* Ack(grpc::CallbackServerContext* call,
                                const grpc::ByteBuffer* in,
                                grpc::ByteBuffer* out) override {
    return s_.UnaryAsync<v1::AckRequest, v1::AckResponse>(
        call, in, out,
        [this](const grpc::CallbackServerContext& ctx,
               const v1::AckRequest& req, Shared::Done<v1::AckResponse> done) {
          absl::StatusOr<MailboxId> mailbox = CheckAck(ctx, req);
          if (!mailbox.ok()) {
            std::move(done)(mailbox.status());
            return;
          }
          s_.storage.mailboxes().DeleteAsync(
              *mailbox,
              std::vector<uint64_t>(req.seqs().begin(), req.seqs().end()),
              [done =
                   std::move(done)](absl::StatusOr<uint32_t> deleted) mutable {
                if (!deleted.ok()) {
                  std::move(done)(deleted.status());
                  return;
                }
                v1::AckResponse response;
                response.set_deleted(*deleted);
                std::move(done)(std::move(response));
              });
        });
  }

 private:
  // Everything Send checks before storing: the sender, the recipient, the
  // content and the rate limits. Returns the recipient's mailbox.
  absl::StatusOr<MailboxId> CheckSend(const grpc::CallbackServerContext& ctx,
                                      const v1::SendRequest& req) {
    absl::StatusOr<AccountRecord> me = s_.Authenticate(ctx);
    if (!me.ok()) return me.status();
    absl::Status st =
        ValidateAccountId(req.recipient_account_id(), "recipient_account_id");
    if (!st.ok()) return st;
    absl::StatusOr<uint32_t> device = ValidateDevice(req.recipient_device_id());
    if (!device.ok()) return device.status();
    if (req.content().empty()) {
      return absl::InvalidArgumentError("content is empty");
    }
    if (req.content().size() > s_.limits.max_envelope_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("content is larger than the limit of ",
                       s_.limits.max_envelope_bytes, " bytes"));
    }
    if (!s_.send_limiter.TryAcquire(me->id) ||
        !s_.send_bytes_limiter.TryAcquire(
            me->id, static_cast<double>(req.content().size()))) {
      return absl::ResourceExhaustedError("sending too fast; try again later");
    }
    absl::StatusOr<AccountRecord> peer =
        s_.storage.accounts().Get(req.recipient_account_id());
    if (!peer.ok() && !absl::IsNotFound(peer.status())) return peer.status();
    if (!peer.ok() || !MayTalk(*me, *peer)) {
      return absl::PermissionDeniedError(
          "no such recipient among the people you may contact");
    }
    return MailboxId{peer->id, *device};
  }

  // Everything Ack checks before deleting. Returns the caller's mailbox.
  absl::StatusOr<MailboxId> CheckAck(const grpc::CallbackServerContext& ctx,
                                     const v1::AckRequest& req) {
    absl::StatusOr<MailboxId> mailbox =
        s_.OwnMailbox(ctx, req.account_id(), req.device_id());
    if (!mailbox.ok()) return mailbox.status();
    if (req.seqs().empty() ||
        req.seqs_size() > static_cast<int>(wire::kMaxAcksPerCall)) {
      return absl::InvalidArgumentError("seqs must hold 1..1000 entries");
    }
    return mailbox;
  }

 private:
  Shared& s_;
};

}  // namespace

RelayServices::RelayServices(Storage& storage, base::Clock& clock,
                             base::Random& random, WorkerPool& pool,
                             RelayKeys& keys, const RelayLimits& limits)
    : shared_(std::make_unique<Shared>(storage, clock, random, pool, keys,
                                       limits)) {
  services_.push_back(std::make_unique<AccountsService>(*shared_));
  services_.push_back(std::make_unique<KeysService>(*shared_));
  services_.push_back(std::make_unique<DirectoryService>(*shared_));
  services_.push_back(NewCertificatesService(*shared_));
  services_.push_back(std::make_unique<MailboxService>(*shared_));
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
