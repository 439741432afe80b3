#include "tests/fuzz/relay_world.h"

#include <openssl/bn.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "base/hex.h"
#include "server/codes.h"

namespace confidant::fuzz {
namespace {

using server::AccountRecord;
using server::DomainHash;
using server::IdentityRecord;
using server::InviteRecord;
using server::KeyUpload;
using server::MailboxId;
using server::NormaliseCode;
using server::OneTimePreKeyRecord;
using server::OrganisationRecord;
using server::SignedPreKeyRecord;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "relay_world: %s\n", what);
  std::abort();
}

// u = (1 + y) / (1 - y) mod 2^255 - 19, both little-endian.
std::string EdwardsYToMontgomeryU(const unsigned char* y_le) {
  std::array<unsigned char, 32> y_be;
  std::reverse_copy(y_le, y_le + 32, y_be.begin());
  y_be[0] &= 0x7f;
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM *p = BN_new(), *y = BN_bin2bn(y_be.data(), 32, nullptr),
         *one = BN_new(), *num = BN_new(), *den = BN_new(), *u = BN_new();
  if (ctx == nullptr || p == nullptr || y == nullptr || one == nullptr ||
      num == nullptr || den == nullptr || u == nullptr) {
    Die("out of memory");
  }
  BN_set_bit(p, 255);
  BN_sub_word(p, 19);
  BN_one(one);
  BN_mod_add(num, one, y, p, ctx);
  BN_mod_sub(den, one, y, p, ctx);
  if (BN_mod_inverse(den, den, p, ctx) == nullptr) Die("y = 1");
  BN_mod_mul(u, num, den, p, ctx);
  std::string out(32, '\0');
  BN_bn2lebinpad(u, reinterpret_cast<unsigned char*>(out.data()), 32);
  BN_free(p);
  BN_free(y);
  BN_free(one);
  BN_free(num);
  BN_free(den);
  BN_free(u);
  BN_CTX_free(ctx);
  return out;
}

v1::TrustPersonProfile ProfileOf(Caller caller) {
  v1::TrustPersonProfile p;
  switch (caller) {
    case Caller::kTrustPersonA:
      p.set_display_name("Anna de Vries");
      p.set_affiliation(v1::TRUST_PERSON_AFFILIATION_INTERNAL);
      p.add_languages("nl");
      p.add_languages("en");
      p.set_intro("Vertrouwenspersoon sinds 2019.\nBel of schrijf gerust.");
      break;
    case Caller::kTrustPersonAB:
      p.set_display_name("Bram Jansen \xc3\xa9\xc3\xa9n");
      p.set_affiliation(v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
      p.add_languages("nl");
      break;
    default:
      p.set_display_name("Chris");
      p.set_affiliation(v1::TRUST_PERSON_AFFILIATION_INTERNAL);
      break;
  }
  return p;
}

std::string CodeHash(std::string_view domain, std::string_view code) {
  absl::StatusOr<std::string> normalised = NormaliseCode(code);
  if (!normalised.ok()) Die("a world code does not normalise");
  return DomainHash(domain, *normalised);
}

}  // namespace

FixedXeddsaKey::FixedXeddsaKey(unsigned char seed) {
  std::array<unsigned char, 32> secret;
  for (size_t i = 0; i < secret.size(); ++i) {
    secret[i] = static_cast<unsigned char>(seed * 31 + i * 7 + 1);
  }
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                               secret.data(), secret.size());
  if (key == nullptr) Die("Ed25519 key from seed failed");
  pkey_ = key;
  std::array<unsigned char, 32> ed_public;
  size_t len = ed_public.size();
  if (EVP_PKEY_get_raw_public_key(key, ed_public.data(), &len) != 1) {
    Die("Ed25519 public key failed");
  }
  sign_bit_ = ed_public[31] & 0x80;
  public_key_ =
      std::string(1, '\x05') + EdwardsYToMontgomeryU(ed_public.data());
}

FixedXeddsaKey::~FixedXeddsaKey() {
  EVP_PKEY_free(static_cast<EVP_PKEY*>(pkey_));
}

std::string FixedXeddsaKey::Sign(std::string_view message) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string sig(64, '\0');
  size_t len = sig.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr,
                         static_cast<EVP_PKEY*>(pkey_)) != 1 ||
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    Die("Ed25519 signing failed");
  }
  EVP_MD_CTX_free(ctx);
  sig[63] = static_cast<char>(static_cast<unsigned char>(sig[63]) | sign_bit_);
  return sig;
}

server::RelayLimits FuzzLimits() {
  server::RelayLimits limits;
  limits.max_envelope_bytes = 1024;
  limits.max_queued_per_mailbox = 4;
  limits.max_one_time_pre_keys = 8;
  limits.max_pre_keys_per_upload = 6;
  return limits;
}

const std::vector<WorldOrganisation>& WorldOrganisations() {
  static const auto* orgs = new std::vector<WorldOrganisation>{
      {"a0a0a0a0a0a0a0a0", "Gemeente Voorbeeld", "ACCES-SC0DE-0RGA0-0000A"},
      {"b0b0b0b0b0b0b0b0", "Stichting Tweede", "ACCES-SC0DE-0RGB0-0000B"},
      {"c0c0c0c0c0c0c0c0", "Lege Organisatie BV", "ACCES-SC0DE-0RGC0-0000C"},
  };
  return *orgs;
}

const std::vector<WorldAccount>& WorldAccounts() {
  static const auto* accounts = [] {
    const std::string a = WorldOrganisations()[0].id;
    const std::string b = WorldOrganisations()[1].id;
    auto id = [](char c) { return std::string(16, c); };
    auto secret = [](char c) { return std::string(32, c); };
    return new std::vector<WorldAccount>{
        {Caller::kEmployeeA,
         id('\x11'),
         secret('\xa1'),
         v1::ACCOUNT_KIND_EMPLOYEE,
         {a},
         1,
         {7, 9},
         2},
        {Caller::kTrustPersonA,
         id('\x22'),
         secret('\xa2'),
         v1::ACCOUNT_KIND_TRUST_PERSON,
         {a},
         2,
         {1, 2, 3, 4, 5},
         3},
        {Caller::kTrustPersonAB,
         id('\x33'),
         secret('\xa3'),
         v1::ACCOUNT_KIND_TRUST_PERSON,
         {a, b},
         3,
         {},
         4},
        {Caller::kEmployeeB,
         id('\x44'),
         secret('\xa4'),
         v1::ACCOUNT_KIND_EMPLOYEE,
         {b},
         0,
         {},
         0},
        {Caller::kTrustPersonNoKeys,
         id('\x55'),
         secret('\xa5'),
         v1::ACCOUNT_KIND_TRUST_PERSON,
         {a},
         0,
         {},
         0},
    };
  }();
  return *accounts;
}

const std::vector<WorldInvite>& WorldInvites() {
  static const auto* invites = [] {
    const std::string a = WorldOrganisations()[0].id;
    const std::string b = WorldOrganisations()[1].id;
    return new std::vector<WorldInvite>{
        {"1NV1T-E0RGA-00000-00000-0000A", {a}, false},
        {"1NV1T-E0RGA-B0000-00000-000AB", {a, b}, false},
        {"1NV1T-EEXP1-RED00-00000-0000E", {a}, true},
    };
  }();
  return *invites;
}

const WorldAccount* AccountFor(Caller caller) {
  for (const WorldAccount& account : WorldAccounts()) {
    if (account.caller == caller) return &account;
  }
  return nullptr;
}

CallerCredentials CredentialsFor(Caller caller) {
  CallerCredentials c;
  if (const WorldAccount* account = AccountFor(caller)) {
    c.send_account = c.send_secret = true;
    c.account = account->id;
    c.secret = account->secret;
    return c;
  }
  switch (caller) {
    case Caller::kWrongSecret:
      c.send_account = c.send_secret = true;
      c.account = AccountFor(Caller::kEmployeeA)->id;
      c.secret = std::string(31, '\xa1') + "\xa0";
      break;
    case Caller::kUnknownAccount:
      c.send_account = c.send_secret = true;
      c.account = std::string(16, '\x66');
      c.secret = std::string(32, '\xa6');
      break;
    case Caller::kMalformed:
      c.send_account = c.send_secret = true;
      c.account = std::string(15, '\x11');
      c.secret = std::string(31, '\xa1');
      break;
    case Caller::kAccountOnly:
      c.send_account = true;
      c.account = AccountFor(Caller::kEmployeeA)->id;
      break;
    default:  // kNoCredentials
      break;
  }
  return c;
}

std::string SeededEnvelope(std::string_view account_id, int index) {
  return absl::StrCat("sealed envelope ", index, " for ",
                      base::HexEncode(account_id),
                      std::string(16 + 8 * index, static_cast<char>(index)));
}

std::string SeededSignedPreKey(int identity_seed) {
  return FixedPublicKey(0x5000 + identity_seed);
}

std::string FixedPublicKey(uint32_t n) {
  std::string key(33, '\0');
  key[0] = '\x05';
  for (int i = 0; i < 32; ++i) {
    key[1 + i] = static_cast<char>((n >> (8 * (i % 4))) ^ (i * 13));
  }
  key[32] &= 0x7f;  // canonical, so that the relay accepts it
  return key;
}

absl::Status SeedWorld(server::Storage& storage, uint32_t now_hour) {
  for (const WorldOrganisation& org : WorldOrganisations()) {
    OrganisationRecord record{org.id, org.name, now_hour - 24 * 40};
    absl::Status s = storage.organisations().Create(
        record, CodeHash(server::kAccessCodeDomain, org.access_code));
    if (!s.ok()) return s;
  }
  for (const WorldInvite& invite : WorldInvites()) {
    InviteRecord record{invite.organisation_ids,
                        invite.expired ? now_hour : now_hour + 24 * 7};
    absl::Status s = storage.accounts().AddInvite(
        CodeHash(server::kInviteDomain, invite.code), record);
    if (!s.ok()) return s;
  }
  for (const WorldAccount& account : WorldAccounts()) {
    AccountRecord record;
    record.id = account.id;
    record.kind = account.kind;
    record.secret_hash = DomainHash(server::kSecretDomain, account.secret);
    record.organisation_ids = account.organisation_ids;
    if (account.kind == v1::ACCOUNT_KIND_TRUST_PERSON) {
      record.profile = ProfileOf(account.caller);
    }
    record.created_hour = now_hour - 24 * 30;
    if (absl::Status s = storage.accounts().Create(record); !s.ok()) return s;

    if (account.identity_seed != 0) {
      static const auto* keys = new std::array<FixedXeddsaKey, 3>{
          FixedXeddsaKey(1), FixedXeddsaKey(2), FixedXeddsaKey(3)};
      const FixedXeddsaKey& key = (*keys)[account.identity_seed - 1];
      KeyUpload upload;
      upload.identity_key = key.public_key();
      upload.registration_id = 100 + account.identity_seed;
      const std::string spk = SeededSignedPreKey(account.identity_seed);
      upload.signed_pre_key = SignedPreKeyRecord{1, spk, key.Sign(spk)};
      for (uint32_t id : account.one_time_pre_key_ids) {
        upload.one_time_pre_keys.push_back(OneTimePreKeyRecord{
            id, FixedPublicKey(id * 100 + account.identity_seed)});
      }
      absl::StatusOr<uint32_t> count = storage.keys().Upload(
          account.id, upload, FuzzLimits().max_one_time_pre_keys);
      if (!count.ok()) return count.status();
    }
    for (int i = 0; i < account.queued; ++i) {
      absl::StatusOr<uint64_t> seq = storage.mailboxes().Append(
          MailboxId{account.id, 1}, SeededEnvelope(account.id, i), now_hour,
          FuzzLimits().max_queued_per_mailbox);
      if (!seq.ok()) return seq.status();
    }
  }
  return absl::OkStatus();
}

}  // namespace confidant::fuzz
