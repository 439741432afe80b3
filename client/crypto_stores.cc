#include "client/crypto_stores.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/bytes.h"

namespace confidant::client {
namespace {

using crypto::Address;
using crypto::SecretBytes;
using crypto::WipeString;

constexpr std::string_view kIdentityKeyPairKey = "identity_key_pair";
constexpr std::string_view kRegistrationIdKey = "registration_id";

std::string U32Be(uint32_t v) {
  std::string out;
  base::PutBigEndian(out, v, 4);
  return out;
}

uint32_t ParseU32Be(std::string_view in) {
  return static_cast<uint32_t>(base::GetBigEndian(in, 4));
}

// name | 0x00 | device id (u32 big-endian): the fixed-size suffix keeps it
// unambiguous whatever bytes the name holds.
std::string AddressKey(const Address& address) {
  return absl::StrCat(address.name, std::string(1, '\0'),
                      U32Be(address.device_id));
}

// The name and device of an AddressKey(); false if malformed.
bool ParseAddressKey(std::string_view key, std::string_view& out_name,
                     uint32_t& out_device) {
  if (key.size() < 5 || key[key.size() - 5] != '\0') return false;
  out_name = key.substr(0, key.size() - 5);
  out_device = ParseU32Be(key.substr(key.size() - 4));
  return true;
}

}  // namespace

PersistentCryptoStore::PersistentCryptoStore(ProfileStore& profile,
                                             crypto::IdentityKeyPair identity,
                                             uint32_t registration_id)
    : profile_(profile),
      identity_(std::move(identity)),
      registration_id_(registration_id) {}

absl::StatusOr<std::unique_ptr<PersistentCryptoStore>>
PersistentCryptoStore::Create(ProfileStore& profile,
                              crypto::IdentityKeyPair identity,
                              uint32_t registration_id) {
  absl::StatusOr<std::optional<std::string>> existing =
      profile.Get(Namespace::kIdentity, kIdentityKeyPairKey);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    WipeString(**existing);
    return absl::AlreadyExistsError("the profile already has an identity");
  }
  absl::StatusOr<SecretBytes> serialized = identity.Serialize();
  if (!serialized.ok()) return serialized.status();
  ProfileStore::Batch batch;
  batch.Put(Namespace::kIdentity, kIdentityKeyPairKey, serialized->view());
  batch.Put(Namespace::kIdentity, kRegistrationIdKey, U32Be(registration_id));
  if (absl::Status status = profile.Write(batch); !status.ok()) return status;
  return std::unique_ptr<PersistentCryptoStore>(
      new PersistentCryptoStore(profile, std::move(identity), registration_id));
}

absl::StatusOr<std::unique_ptr<PersistentCryptoStore>>
PersistentCryptoStore::Load(ProfileStore& profile) {
  absl::StatusOr<std::optional<std::string>> serialized =
      profile.Get(Namespace::kIdentity, kIdentityKeyPairKey);
  if (!serialized.ok()) return serialized.status();
  absl::StatusOr<std::optional<std::string>> registration =
      profile.Get(Namespace::kIdentity, kRegistrationIdKey);
  if (!registration.ok()) {
    if (serialized->has_value()) WipeString(**serialized);
    return registration.status();
  }
  if (!serialized->has_value() || !registration->has_value()) {
    if (serialized->has_value()) WipeString(**serialized);
    return absl::NotFoundError("the profile has no identity yet");
  }
  absl::StatusOr<crypto::IdentityKeyPair> identity =
      crypto::IdentityKeyPair::Deserialize(**serialized);
  WipeString(**serialized);
  if (!identity.ok()) {
    return absl::DataLossError(
        absl::StrCat("the profile's identity key pair is malformed: ",
                     identity.status().message()));
  }
  if ((*registration)->size() != 4) {
    return absl::DataLossError("the profile's registration id is malformed");
  }
  return std::unique_ptr<PersistentCryptoStore>(new PersistentCryptoStore(
      profile, *std::move(identity), ParseU32Be(**registration)));
}

absl::StatusOr<std::optional<SecretBytes>> PersistentCryptoStore::LoadSecret(
    Namespace ns, std::string_view key) {
  absl::StatusOr<std::optional<std::string>> value = profile_.Get(ns, key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<SecretBytes>();
  SecretBytes out = SecretBytes::CopyOf(**value);
  WipeString(**value);
  return std::optional<SecretBytes>(std::move(out));
}

absl::StatusOr<bool> PersistentCryptoStore::Contains(Namespace ns,
                                                     std::string_view key) {
  absl::StatusOr<std::optional<SecretBytes>> value = LoadSecret(ns, key);
  if (!value.ok()) return value.status();
  return value->has_value();
}

absl::StatusOr<crypto::IdentityKeyPair> PersistentCryptoStore::LocalIdentity() {
  return identity_.Clone();
}

absl::StatusOr<uint32_t> PersistentCryptoStore::LocalRegistrationId() {
  return registration_id_;
}

absl::Status PersistentCryptoStore::SaveIdentity(const Address& address,
                                                 std::string_view public_key) {
  // libsignal saves the peer's identity on every message it decrypts. The
  // same key again changes nothing: without this check every message would
  // rewrite key material, and the store compacts replaced key material away
  // at once (6 ms of a message's 10 ms, measured in confidant-app-bench).
  const std::string key = AddressKey(address);
  absl::StatusOr<std::optional<std::string>> stored =
      profile_.Get(Namespace::kPeerIdentity, key);
  if (!stored.ok()) return stored.status();
  if (stored->has_value() && **stored == public_key) return absl::OkStatus();
  return profile_.Put(Namespace::kPeerIdentity, key, public_key);
}

absl::Status PersistentCryptoStore::RemoveIdentity(const Address& address) {
  return profile_.Delete(Namespace::kPeerIdentity, AddressKey(address));
}

absl::StatusOr<std::optional<std::string>> PersistentCryptoStore::GetIdentity(
    const Address& address) {
  return profile_.Get(Namespace::kPeerIdentity, AddressKey(address));
}

absl::StatusOr<std::optional<SecretBytes>> PersistentCryptoStore::LoadSession(
    const Address& address) {
  absl::MutexLock lock(&mu_);
  return LoadSecret(Namespace::kSession, AddressKey(address));
}

absl::Status PersistentCryptoStore::StoreSession(const Address& address,
                                                 SecretBytes record) {
  absl::MutexLock lock(&mu_);
  return profile_.Put(Namespace::kSession, AddressKey(address), record.view());
}

absl::StatusOr<bool> PersistentCryptoStore::ContainsSession(
    const Address& address) {
  absl::MutexLock lock(&mu_);
  return Contains(Namespace::kSession, AddressKey(address));
}

absl::StatusOr<bool> PersistentCryptoStore::DeleteSession(
    const Address& address) {
  absl::MutexLock lock(&mu_);
  const std::string key = AddressKey(address);
  absl::StatusOr<bool> present = Contains(Namespace::kSession, key);
  if (!present.ok() || !*present) return present;
  if (absl::Status status = profile_.Delete(Namespace::kSession, key);
      !status.ok()) {
    return status;
  }
  return true;
}

absl::StatusOr<std::vector<uint32_t>> PersistentCryptoStore::DevicesLocked(
    std::string_view name) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> entries =
      profile_.Scan(Namespace::kSession);
  if (!entries.ok()) return entries.status();
  std::vector<uint32_t> devices;
  absl::Status status = absl::OkStatus();
  for (auto& [key, record] : *entries) {
    std::string_view entry_name;
    uint32_t device = 0;
    if (!ParseAddressKey(key, entry_name, device)) {
      status = absl::DataLossError("malformed session key in the profile");
    } else if (entry_name == name) {
      devices.push_back(device);
    }
    WipeString(record);
  }
  if (!status.ok()) return status;
  std::sort(devices.begin(), devices.end());
  return devices;
}

absl::StatusOr<int> PersistentCryptoStore::DeleteAllSessions(
    std::string_view name) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<uint32_t>> devices = DevicesLocked(name);
  if (!devices.ok()) return devices.status();
  if (devices->empty()) return 0;
  ProfileStore::Batch batch;
  for (uint32_t device : *devices) {
    batch.Delete(Namespace::kSession,
                 AddressKey(Address{std::string(name), device}));
  }
  if (absl::Status status = profile_.Write(batch); !status.ok()) return status;
  return static_cast<int>(devices->size());
}

absl::StatusOr<std::vector<uint32_t>> PersistentCryptoStore::SubDeviceSessions(
    std::string_view name) {
  absl::MutexLock lock(&mu_);
  return DevicesLocked(name);
}

absl::StatusOr<std::optional<SecretBytes>> PersistentCryptoStore::LoadPreKey(
    uint32_t id) {
  return LoadSecret(Namespace::kPreKey, U32Be(id));
}

absl::Status PersistentCryptoStore::StorePreKey(uint32_t id,
                                                SecretBytes record) {
  return profile_.Put(Namespace::kPreKey, U32Be(id), record.view());
}

absl::StatusOr<bool> PersistentCryptoStore::ContainsPreKey(uint32_t id) {
  return Contains(Namespace::kPreKey, U32Be(id));
}

absl::Status PersistentCryptoStore::RemovePreKey(uint32_t id) {
  ProfileStore::Batch batch;
  batch.Delete(Namespace::kPreKey, U32Be(id));
  batch.Delete(Namespace::kPreKeyHandout, U32Be(id));
  return profile_.Write(batch);
}

absl::StatusOr<std::vector<uint32_t>>
PersistentCryptoStore::OneTimePreKeyIds() {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> records =
      profile_.Scan(Namespace::kPreKey);
  if (!records.ok()) return records.status();
  std::vector<uint32_t> ids;
  absl::Status status;
  for (auto& [key, value] : *records) {
    WipeString(value);
    if (key.size() != 4) {
      status = absl::DataLossError("malformed one-time pre-key record");
    } else {
      ids.push_back(ParseU32Be(key));
    }
  }
  if (!status.ok()) return status;
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<std::map<uint32_t, absl::Time>>
PersistentCryptoStore::Handouts() {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> records =
      profile_.Scan(Namespace::kPreKeyHandout);
  if (!records.ok()) return records.status();
  std::map<uint32_t, absl::Time> out;
  for (const auto& [key, value] : *records) {
    if (key.size() != 4 || value.size() != 8) {
      return absl::DataLossError("malformed pre-key handout record");
    }
    out.emplace(ParseU32Be(key), absl::FromUnixMicros(static_cast<int64_t>(
                                     base::GetBigEndian(value, 8))));
  }
  return out;
}

absl::Status PersistentCryptoStore::UpdateHandouts(
    const std::map<uint32_t, absl::Time>& seen,
    absl::Span<const uint32_t> forget, absl::Span<const uint32_t> expire) {
  ProfileStore::Batch batch;
  for (const auto& [id, first_seen] : seen) {
    std::string micros;
    base::PutBigEndian(
        micros, static_cast<uint64_t>(absl::ToUnixMicros(first_seen)), 8);
    batch.Put(Namespace::kPreKeyHandout, U32Be(id), micros);
  }
  for (uint32_t id : forget) batch.Delete(Namespace::kPreKeyHandout, U32Be(id));
  // Deleting from kPreKey compacts the key material away (ProfileStore).
  for (uint32_t id : expire) {
    batch.Delete(Namespace::kPreKey, U32Be(id));
    batch.Delete(Namespace::kPreKeyHandout, U32Be(id));
  }
  if (batch.size() == 0) return absl::OkStatus();
  return profile_.Write(batch);
}

absl::StatusOr<std::optional<SecretBytes>>
PersistentCryptoStore::LoadSignedPreKey(uint32_t id) {
  return LoadSecret(Namespace::kSignedPreKey, U32Be(id));
}

absl::Status PersistentCryptoStore::StoreSignedPreKey(uint32_t id,
                                                      SecretBytes record) {
  return profile_.Put(Namespace::kSignedPreKey, U32Be(id), record.view());
}

absl::StatusOr<bool> PersistentCryptoStore::ContainsSignedPreKey(uint32_t id) {
  return Contains(Namespace::kSignedPreKey, U32Be(id));
}

absl::Status PersistentCryptoStore::RemoveSignedPreKey(uint32_t id) {
  return profile_.Delete(Namespace::kSignedPreKey, U32Be(id));
}

}  // namespace confidant::client
