// The Accounts service (relay.proto): registration with an organisation's
// access code (employees) or a single-use invite with a profile (trust
// persons), and GetAccount.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "confidant/v1/wire.h"
#include "server/codes.h"
#include "server/relay_service_internal.h"
#include "server/text.h"

namespace confidant::server {
namespace {

using Shared = RelayServices::Shared;
using RawAccounts = v1::Accounts::WithRawCallbackMethod_Register<
    v1::Accounts::WithRawCallbackMethod_GetAccount<v1::Accounts::Service>>;

using wire::kMaxIntroBytes;
using wire::kMaxNameBytes;
constexpr int kMaxLanguages = static_cast<int>(wire::kMaxLanguages);

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

}  // namespace

std::unique_ptr<grpc::Service> NewAccountsService(Shared& shared) {
  return std::make_unique<AccountsService>(shared);
}

}  // namespace confidant::server
