// The fake relay's rules, as the relay's services apply them
// (server/*_service.cc): registration, keys, bundles, the directory,
// certificates, sending and acking (client/testing/fake_relay.h).
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "client/testing/fake_relay.h"
#include "confidant/v1/wire.h"
#include "crypto/keys.h"
#include "server/codes.h"

namespace confidant::client {
namespace {

// The relay's wire limits.
using wire::kAccountIdSize;
using wire::kMaxAcksPerCall;
using wire::kMaxIntroBytes;
using wire::kMaxKeyId;
using wire::kMaxLanguages;
using wire::kMaxNameBytes;
using wire::kMaxRegistrationId;
using wire::kPublicKeySize;
using wire::kSecretSize;
using wire::kSignatureSize;
// Codes as server/codes.h makes and reads them.
constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// The relay's own rules for a typed code.
using ::confidant::server::NormaliseCode;

// The relay checks Unicode categories; the fake only ASCII controls.
bool IsCleanText(std::string_view s, bool allow_newlines) {
  return std::none_of(s.begin(), s.end(), [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') return !allow_newlines;
    return u < 0x20 || u == 0x7f;
  });
}

absl::Status ValidateProfile(const TrustPersonProfile& p) {
  if (p.display_name.empty() || p.display_name.size() > kMaxNameBytes ||
      !IsCleanText(p.display_name, false)) {
    return absl::InvalidArgumentError(
        "profile.display_name must be 1..120 bytes of UTF-8 text without "
        "control or format characters (Unicode category Cf: direction marks "
        "and overrides, zero-width characters, byte order mark)");
  }
  if (p.affiliation != Affiliation::kInternal &&
      p.affiliation != Affiliation::kExternal) {
    return absl::InvalidArgumentError(
        "profile.affiliation must be INTERNAL or EXTERNAL");
  }
  if (p.languages.size() > kMaxLanguages) {
    return absl::InvalidArgumentError("profile.languages: at most 10 entries");
  }
  for (const std::string& lang : p.languages) {
    if (lang.size() < 2 || lang.size() > 8 ||
        !std::all_of(lang.begin(), lang.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || c == '-';
        })) {
      return absl::InvalidArgumentError(
          "profile.languages: each entry must be 2..8 characters of a-z or "
          "'-'");
    }
  }
  if (p.intro.size() > kMaxIntroBytes || !IsCleanText(p.intro, true)) {
    return absl::InvalidArgumentError(
        "profile.intro must be at most 1000 bytes of UTF-8 text without "
        "control characters other than newlines and without format "
        "characters (Unicode category Cf)");
  }
  return absl::OkStatus();
}

absl::Status ValidatePublicKey(std::string_view key, std::string_view field) {
  if (key.size() != kPublicKeySize || key[0] != 0x05) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field),
                     " must be a 33-byte Curve25519 public key starting "
                     "with 0x05"));
  }
  return absl::OkStatus();
}

}  // namespace

// ---- The relay's rules ----

uint32_t FakeRelay::NowHour() const {
  return static_cast<uint32_t>(absl::ToUnixSeconds(options_.clock()) / 3600);
}

std::string FakeRelay::RandomBytes(size_t n) {
  std::string out(n, '\0');
  for (char& c : out) {
    c = static_cast<char>(absl::Uniform<unsigned int>(random_, 0, 256));
  }
  return out;
}

std::string FakeRelay::NewCode(int groups) {
  std::string out;
  for (int g = 0; g < groups; ++g) {
    if (g > 0) out.push_back('-');
    for (int i = 0; i < 5; ++i) {
      out.push_back(kCodeAlphabet[absl::Uniform<size_t>(random_, 0,
                                                        kCodeAlphabet.size())]);
    }
  }
  return out;
}

absl::StatusOr<FakeRelay::Account*> FakeRelay::Authenticate(
    const Credentials& caller) {
  const std::string& account_id = caller.account_id;
  const crypto::SecretBytes& secret = caller.secret;
  // GrpcTransport sends no credentials until SetCredentials gave an id.
  if (account_id.empty()) {
    return absl::UnauthenticatedError(
        "missing credentials (x-confidant-account-bin, "
        "x-confidant-secret-bin)");
  }
  if (account_id.size() != kAccountIdSize || secret.size() != kSecretSize) {
    return absl::UnauthenticatedError("malformed credentials");
  }
  auto it = accounts_.find(std::string(account_id));
  if (it == accounts_.end() || !it->second.secret.Equals(secret)) {
    return absl::UnauthenticatedError("unknown account or wrong secret");
  }
  return &it->second;
}

std::vector<Organisation> FakeRelay::OrganisationsOf(
    const Account& account) const {
  std::vector<Organisation> out;
  for (const std::string& id : account.organisation_ids) {
    out.push_back(organisations_.at(id).organisation);
  }
  return out;
}

absl::StatusOr<Registration> FakeRelay::Register(
    Account*, std::string_view typed_code, const TrustPersonProfile* profile) {
  Account account;
  if (profile == nullptr) {
    absl::StatusOr<std::string> code = NormaliseCode(typed_code);
    if (!code.ok()) return code.status();
    auto org = std::find_if(
        organisations_.begin(), organisations_.end(),
        [&](const auto& entry) { return entry.second.access_code == *code; });
    if (org == organisations_.end()) {
      return absl::PermissionDeniedError(
          "unknown access code (ask your organisation for the current one)");
    }
    account.kind = AccountKind::kEmployee;
    account.organisation_ids = {org->first};
  } else {
    if (absl::Status st = ValidateProfile(*profile); !st.ok()) return st;
    absl::StatusOr<std::string> code = NormaliseCode(typed_code);
    if (!code.ok()) return code.status();
    auto invite = invites_.find(*code);
    if (invite == invites_.end()) {
      return absl::PermissionDeniedError("unknown or already used invite");
    }
    account.kind = AccountKind::kTrustPerson;
    account.organisation_ids = std::move(invite->second);
    account.profile = *profile;
    invites_.erase(invite);
  }
  do {
    account.id = RandomBytes(kAccountIdSize);
  } while (accounts_.contains(account.id));
  account.secret = crypto::SecretBytes::Random(kSecretSize);

  Registration out;
  out.account_id = account.id;
  out.secret = account.secret.Clone();
  out.kind = account.kind;
  out.organisations = OrganisationsOf(account);
  const std::string id = account.id;
  accounts_.emplace(id, std::move(account));
  return out;
}

absl::StatusOr<uint32_t> FakeRelay::UploadKeys(Account* caller,
                                               const KeyUpload& upload) {
  Account& me = *caller;
  // What GrpcTransport puts on the wire: the registration id only with an
  // identity key, and an empty key is no key.
  const std::string identity_key = upload.identity_key.value_or("");
  const uint32_t registration_id =
      upload.identity_key.has_value() ? upload.registration_id : 0;
  const std::optional<SignedPreKeyUpload>& spk = upload.signed_pre_key;

  if (!identity_key.empty()) {
    if (absl::Status st = ValidatePublicKey(identity_key, "identity_key");
        !st.ok()) {
      return st;
    }
  }
  if (registration_id > kMaxRegistrationId) {
    return absl::InvalidArgumentError("registration_id must be 1..16380");
  }
  if (!identity_key.empty() && registration_id == 0) {
    return absl::InvalidArgumentError(
        "registration_id (1..16380) is required with identity_key");
  }
  if (spk.has_value()) {
    if (spk->id > kMaxKeyId) {
      return absl::InvalidArgumentError("signed_pre_key.id must be below 2^24");
    }
    if (absl::Status st =
            ValidatePublicKey(spk->public_key, "signed_pre_key.public_key");
        !st.ok()) {
      return st;
    }
    if (spk->signature.size() != kSignatureSize) {
      return absl::InvalidArgumentError(
          "signed_pre_key.signature must be exactly 64 bytes");
    }
  }
  if (upload.one_time_pre_keys.size() > options_.max_pre_keys_per_upload) {
    return absl::ResourceExhaustedError(
        absl::StrCat("at most ", options_.max_pre_keys_per_upload,
                     " one-time pre-keys per upload"));
  }
  absl::flat_hash_set<uint32_t> ids;
  for (const OneTimePreKeyUpload& k : upload.one_time_pre_keys) {
    if (k.id > kMaxKeyId) {
      return absl::InvalidArgumentError(
          "one_time_pre_keys: ids must be below 2^24");
    }
    if (!ids.insert(k.id).second) {
      return absl::InvalidArgumentError(
          "one_time_pre_keys: the same id appears twice");
    }
    if (absl::Status st =
            ValidatePublicKey(k.public_key, "one_time_pre_keys.public_key");
        !st.ok()) {
      return st;
    }
  }
  if (upload.replace_identity &&
      (identity_key.empty() || !spk.has_value() || registration_id == 0)) {
    return absl::InvalidArgumentError(
        "replace_identity needs identity_key, registration_id and "
        "signed_pre_key");
  }
  if (!me.keys.has_value() &&
      (identity_key.empty() || !spk.has_value() || registration_id == 0)) {
    return absl::FailedPreconditionError(
        "the first upload needs identity_key, registration_id and "
        "signed_pre_key");
  }
  const std::string& effective_identity =
      identity_key.empty() ? me.keys->identity_key : identity_key;
  if (me.keys.has_value() && effective_identity != me.keys->identity_key &&
      !upload.replace_identity) {
    return absl::FailedPreconditionError(
        "identity_key differs from the stored one; set replace_identity to "
        "change it");
  }
  if (spk.has_value() &&
      !crypto::VerifySignature(effective_identity, spk->public_key,
                               spk->signature)) {
    return absl::InvalidArgumentError(
        "signed_pre_key.signature does not verify against the identity key");
  }

  const bool fresh = !me.keys.has_value() || upload.replace_identity;
  AccountKeys next = fresh ? AccountKeys{} : *me.keys;
  next.identity_key = effective_identity;
  if (registration_id != 0) next.registration_id = registration_id;
  if (spk.has_value()) {
    next.signed_pre_key =
        SignedPreKey{spk->id, spk->public_key, spk->signature};
  }
  for (const OneTimePreKeyUpload& k : upload.one_time_pre_keys) {
    next.one_time[k.id] = k.public_key;
  }
  if (next.one_time.size() > options_.max_one_time_pre_keys) {
    return absl::ResourceExhaustedError("too many one-time pre-keys");
  }
  const auto count = static_cast<uint32_t>(next.one_time.size());
  me.keys = std::move(next);
  return count;
}

namespace {

// Only an employee and a trust person of a common organisation talk.
template <typename A>
bool MayTalk(const A& a, const A& b) {
  const bool pair =
      (a.kind == AccountKind::kEmployee &&
       b.kind == AccountKind::kTrustPerson) ||
      (a.kind == AccountKind::kTrustPerson && b.kind == AccountKind::kEmployee);
  if (!pair) return false;
  for (const std::string& org : a.organisation_ids) {
    if (std::find(b.organisation_ids.begin(), b.organisation_ids.end(), org) !=
        b.organisation_ids.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<PeerBundle> FakeRelay::TakeBundle(Account* caller,
                                                 std::string_view account_id) {
  const Account& me = *caller;
  if (account_id.size() != kAccountIdSize) {
    return absl::InvalidArgumentError("account_id must be exactly 16 bytes");
  }
  auto peer = accounts_.find(std::string(account_id));
  if (peer == accounts_.end() || !MayTalk(me, peer->second)) {
    return absl::PermissionDeniedError(
        "no such account among the people you may contact");
  }
  std::optional<AccountKeys>& keys = peer->second.keys;
  if (!keys.has_value()) {
    return absl::FailedPreconditionError(
        "that account has not uploaded its keys yet");
  }
  PeerBundle out;
  out.account_id = peer->first;
  crypto::PreKeyBundle& bundle = out.bundle;
  bundle.registration_id = keys->registration_id;
  bundle.device_id = 1;
  bundle.identity_key = keys->identity_key;
  bundle.signed_pre_key_id = keys->signed_pre_key.id;
  bundle.signed_pre_key_public = keys->signed_pre_key.public_key;
  bundle.signed_pre_key_signature = keys->signed_pre_key.signature;
  if (!keys->one_time.empty()) {
    auto first = keys->one_time.begin();
    bundle.one_time_pre_key =
        crypto::PreKeyBundle::OneTimePreKey{first->first, first->second};
    keys->one_time.erase(first);
  }
  return out;
}

absl::StatusOr<uint32_t> FakeRelay::CountPreKeys(Account* me) {
  if (!me->keys.has_value()) return 0u;
  return static_cast<uint32_t>(me->keys->one_time.size());
}

absl::StatusOr<std::vector<crypto::RelayPublicKey>> FakeRelay::PublishKeys(
    Account*) {
  return std::vector<crypto::RelayPublicKey>{public_key_};
}

absl::StatusOr<TrustPersonList> FakeRelay::ListTrustPersons(
    Account* caller, std::string_view organisation_id) {
  const Account& me = *caller;
  std::string org_id(organisation_id);
  if (org_id.empty()) {
    if (me.organisation_ids.size() != 1) {
      return absl::InvalidArgumentError(
          "organisation_id is required for accounts in several "
          "organisations");
    }
    org_id = me.organisation_ids.front();
  }
  if (std::find(me.organisation_ids.begin(), me.organisation_ids.end(),
                org_id) == me.organisation_ids.end()) {
    return absl::PermissionDeniedError(
        "you do not belong to that organisation");
  }
  TrustPersonList out;
  out.organisation = organisations_.at(org_id).organisation;
  for (const auto& [id, account] : accounts_) {  // ordered by account id
    if (account.kind != AccountKind::kTrustPerson || !account.keys.has_value())
      continue;
    if (std::find(account.organisation_ids.begin(),
                  account.organisation_ids.end(),
                  org_id) == account.organisation_ids.end()) {
      continue;
    }
    out.trust_persons.push_back(
        DirectoryEntry{id, account.profile, account.keys->identity_key});
  }
  return out;
}

absl::StatusOr<std::string> FakeRelay::IssueCertificate(Account* caller) {
  const Account& me = *caller;
  if (!me.keys.has_value()) {
    return absl::FailedPreconditionError(
        "upload your keys first: a sender certificate names the identity key "
        "the relay holds for you");
  }
  absl::StatusOr<crypto::SenderCertificate> certificate =
      signing_key_.Issue(me.id, me.keys->identity_key,
                         NowHour() + crypto::kSenderCertificateLifetimeHours);
  if (!certificate.ok()) {
    return absl::InternalError(
        "the relay could not issue a sender certificate");
  }
  return certificate->Serialize();
}

absl::StatusOr<uint64_t> FakeRelay::Send(Account* caller,
                                         std::string_view recipient_account_id,
                                         std::string_view content) {
  const Account& me = *caller;
  if (recipient_account_id.size() != kAccountIdSize) {
    return absl::InvalidArgumentError(
        "recipient_account_id must be exactly 16 bytes");
  }
  if (content.empty()) return absl::InvalidArgumentError("content is empty");
  if (content.size() > options_.max_envelope_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("content is larger than the limit of ",
                     options_.max_envelope_bytes, " bytes"));
  }
  auto peer = accounts_.find(std::string(recipient_account_id));
  if (peer == accounts_.end() || !MayTalk(me, peer->second)) {
    return absl::PermissionDeniedError(
        "no such recipient among the people you may contact");
  }
  Mailbox& box = mailboxes_[peer->first];
  if (box.envelopes.size() >= options_.max_queued_per_mailbox) {
    return absl::ResourceExhaustedError(
        "the recipient's mailbox is full; try again later");
  }
  const uint64_t seq = ++box.last_seq;
  box.envelopes[seq] = Envelope{seq, std::string(content), NowHour()};
  return seq;  // open streams of the recipient wake as the lock is released
}

absl::StatusOr<uint32_t> FakeRelay::Ack(Account* me,
                                        absl::Span<const uint64_t> seqs) {
  if (seqs.empty() || seqs.size() > kMaxAcksPerCall) {
    return absl::InvalidArgumentError("seqs must hold 1..1000 entries");
  }
  auto box = mailboxes_.find(me->id);
  if (box == mailboxes_.end()) return 0u;
  uint32_t deleted = 0;
  for (uint64_t seq : seqs) deleted += box->second.envelopes.erase(seq);
  return deleted;
}

}  // namespace confidant::client
