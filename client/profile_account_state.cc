#include "client/profile_account_state.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/bytes.h"
#include "crypto/secret.h"

namespace confidant::client {
namespace {

constexpr uint8_t kVersion = 1;
// Bounds against absurd counts in a corrupt record.
constexpr uint32_t kMaxOrganisations = 10000;
constexpr uint32_t kMaxRetired = 10000;

void PutU8(std::string& out, uint8_t v) { out.push_back(static_cast<char>(v)); }

void PutU32(std::string& out, uint32_t v) { base::PutBigEndian(out, v, 4); }

void PutU64(std::string& out, uint64_t v) { base::PutBigEndian(out, v, 8); }

void PutBytes(std::string& out, std::string_view bytes) {
  PutU32(out, static_cast<uint32_t>(bytes.size()));
  out.append(bytes);
}

void PutTime(std::string& out, absl::Time t) {
  PutU64(out, static_cast<uint64_t>(absl::ToUnixMicros(t)));
}

// Reads the encoding front to back; any overrun sets `ok` to false.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }

  uint8_t U8() {
    if (!Need(1)) return 0;
    uint8_t v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return v;
  }

  uint32_t U32() {
    if (!Need(4)) return 0;
    const auto v = static_cast<uint32_t>(base::GetBigEndian(in_, 4));
    in_.remove_prefix(4);
    return v;
  }

  uint64_t U64() {
    if (!Need(8)) return 0;
    const uint64_t v = base::GetBigEndian(in_, 8);
    in_.remove_prefix(8);
    return v;
  }

  std::string_view Bytes() {
    uint32_t size = U32();
    if (!Need(size)) return {};
    std::string_view v = in_.substr(0, size);
    in_.remove_prefix(size);
    return v;
  }

  absl::Time Time() {
    return absl::FromUnixMicros(static_cast<int64_t>(U64()));
  }

 private:
  bool Need(size_t n) {
    if (!ok_ || in_.size() < n) {
      ok_ = false;
      return false;
    }
    return true;
  }

  std::string_view in_;
  bool ok_ = true;
};

absl::Status Malformed(std::string_view what) {
  return absl::DataLossError(
      absl::StrCat("malformed account state in profile: ", std::string(what)));
}

}  // namespace

std::string EncodeAccountState(const AccountState& state) {
  std::string out;
  PutU8(out, kVersion);
  PutBytes(out, state.account_id);
  PutBytes(out, state.secret.view());
  PutU8(out, static_cast<uint8_t>(state.kind));
  PutU32(out, static_cast<uint32_t>(state.organisations.size()));
  for (const Organisation& org : state.organisations) {
    PutBytes(out, org.id);
    PutBytes(out, org.name);
  }
  PutU8(out, state.keys_uploaded ? 1 : 0);
  PutU32(out, state.next_pre_key_id);
  PutU32(out, state.next_signed_pre_key_id);
  PutU32(out, state.signed_pre_key_id);
  PutTime(out, state.signed_pre_key_created);
  PutU32(out, static_cast<uint32_t>(state.retired_signed_pre_keys.size()));
  for (const RetiredSignedPreKey& key : state.retired_signed_pre_keys) {
    PutU32(out, key.id);
    PutTime(out, key.created);
    PutTime(out, key.retired);
  }
  return out;
}

absl::StatusOr<AccountState> DecodeAccountState(std::string_view bytes) {
  Reader r(bytes);
  uint8_t version = r.U8();
  if (!r.ok()) return Malformed("empty");
  if (version != kVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("unknown account state version ", version));
  }
  AccountState state;
  state.account_id = std::string(r.Bytes());
  state.secret = crypto::SecretBytes::CopyOf(r.Bytes());
  uint8_t kind = r.U8();
  if (kind > static_cast<uint8_t>(AccountKind::kTrustPerson)) {
    return Malformed("account kind");
  }
  state.kind = static_cast<AccountKind>(kind);
  uint32_t orgs = r.U32();
  if (orgs > kMaxOrganisations) return Malformed("organisation count");
  for (uint32_t i = 0; i < orgs && r.ok(); ++i) {
    Organisation org;
    org.id = std::string(r.Bytes());
    org.name = std::string(r.Bytes());
    state.organisations.push_back(std::move(org));
  }
  uint8_t uploaded = r.U8();
  if (uploaded > 1) return Malformed("keys_uploaded");
  state.keys_uploaded = uploaded == 1;
  state.next_pre_key_id = r.U32();
  state.next_signed_pre_key_id = r.U32();
  state.signed_pre_key_id = r.U32();
  state.signed_pre_key_created = r.Time();
  uint32_t retired = r.U32();
  if (retired > kMaxRetired) return Malformed("retired key count");
  for (uint32_t i = 0; i < retired && r.ok(); ++i) {
    RetiredSignedPreKey key;
    key.id = r.U32();
    key.created = r.Time();
    key.retired = r.Time();
    state.retired_signed_pre_keys.push_back(key);
  }
  if (!r.ok()) return Malformed("truncated");
  if (!r.done()) return Malformed("trailing bytes");
  return state;
}

absl::StatusOr<std::optional<AccountState>> ProfileAccountStateStore::Load() {
  absl::StatusOr<std::optional<std::string>> stored =
      profile_.Get(Namespace::kMeta, kAccountStateKey);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<AccountState>();
  absl::StatusOr<AccountState> state = DecodeAccountState(**stored);
  crypto::WipeString(**stored);
  if (!state.ok()) return state.status();
  return std::optional<AccountState>(*std::move(state));
}

absl::Status ProfileAccountStateStore::Save(const AccountState& state) {
  std::string encoded = EncodeAccountState(state);
  absl::Status status =
      profile_.Put(Namespace::kMeta, kAccountStateKey, encoded);
  crypto::WipeString(encoded);
  return status;
}

}  // namespace confidant::client
