#include "crypto/memory_stores.h"

#include <utility>

#include "base/bytes.h"
#include "crypto/errors.h"

namespace confidant::crypto {

absl::StatusOr<bool> IdentityStore::IsTrusted(const Address& address,
                                              std::string_view public_key) {
  absl::StatusOr<std::optional<std::string>> stored = GetIdentity(address);
  if (!stored.ok()) return stored.status();
  return !stored->has_value() || **stored == public_key;
}

absl::Status AddPreKey(PreKeyStore& store, const OneTimePreKeyPair& key) {
  absl::StatusOr<SecretBytes> record = key.ToRecord();
  if (!record.ok()) return record.status();
  return store.StorePreKey(key.id, *std::move(record));
}

absl::Status AddSignedPreKey(SignedPreKeyStore& store,
                             const SignedPreKeyPair& key) {
  absl::StatusOr<SecretBytes> record = key.ToRecord();
  if (!record.ok()) return record.status();
  return store.StoreSignedPreKey(key.id, *std::move(record));
}

namespace {

// Serialized state: "CFMS", version byte, then length-prefixed fields
// (u32 little-endian lengths and numbers).
constexpr std::string_view kMagic = "CFMS";
constexpr uint8_t kVersion = 1;

class Writer {
 public:
  explicit Writer(size_t capacity) { out_.reserve(capacity); }
  ~Writer() { WipeString(out_); }
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { base::PutLittleEndian(out_, v, 4); }
  void Raw(std::string_view bytes) { out_.append(bytes); }
  void Str(std::string_view bytes) {
    U32(static_cast<uint32_t>(bytes.size()));
    Raw(bytes);
  }
  SecretBytes Take() { return SecretBytes::CopyOf(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool U8(uint8_t& v) {
    if (in_.empty()) return false;
    v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool U32(uint32_t& v) {
    if (in_.size() < 4) return false;
    v = static_cast<uint32_t>(base::GetLittleEndian(in_, 4));
    in_.remove_prefix(4);
    return true;
  }
  bool Raw(size_t n, std::string_view& out) {
    if (in_.size() < n) return false;
    out = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  bool Str(std::string_view& out) {
    uint32_t n = 0;
    return U32(n) && Raw(n, out);
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

absl::Status Truncated() {
  return CryptoStatus(CryptoError::kTruncated, "store state is truncated");
}

}  // namespace

MemoryStore::MemoryStore(IdentityKeyPair identity, uint32_t registration_id)
    : identity_(std::move(identity)), registration_id_(registration_id) {}

absl::StatusOr<SecretBytes> MemoryStore::Serialize() const {
  absl::StatusOr<SecretBytes> identity = identity_.Serialize();
  if (!identity.ok()) return identity.status();
  absl::MutexLock lock(&mu_);
  size_t size = kMagic.size() + 1 + 4 + identity->size() + 4 + size_t{16};
  for (const auto& [address, key] : identities_) {
    size += 12 + address.name.size() + key.size();
  }
  for (const auto& [address, record] : sessions_) {
    size += 12 + address.name.size() + record.size();
  }
  for (const auto& [id, record] : pre_keys_) size += 8 + record.size();
  for (const auto& [id, record] : signed_pre_keys_) size += 8 + record.size();

  Writer w(size);
  w.Raw(kMagic);
  w.U8(kVersion);
  w.Str(identity->view());
  w.U32(registration_id_);
  w.U32(static_cast<uint32_t>(identities_.size()));
  for (const auto& [address, key] : identities_) {
    w.Str(address.name);
    w.U32(address.device_id);
    w.Str(key);
  }
  w.U32(static_cast<uint32_t>(sessions_.size()));
  for (const auto& [address, record] : sessions_) {
    w.Str(address.name);
    w.U32(address.device_id);
    w.Str(record.view());
  }
  w.U32(static_cast<uint32_t>(pre_keys_.size()));
  for (const auto& [id, record] : pre_keys_) {
    w.U32(id);
    w.Str(record.view());
  }
  w.U32(static_cast<uint32_t>(signed_pre_keys_.size()));
  for (const auto& [id, record] : signed_pre_keys_) {
    w.U32(id);
    w.Str(record.view());
  }
  return w.Take();
}

absl::StatusOr<std::unique_ptr<MemoryStore>> MemoryStore::Restore(
    std::string_view blob) {
  Reader r(blob);
  std::string_view magic;
  uint8_t version = 0;
  if (!r.Raw(kMagic.size(), magic) || !r.U8(version)) return Truncated();
  if (magic != kMagic) {
    return CryptoStatus(CryptoError::kInvalidMessage, "not a store state");
  }
  if (version != kVersion) {
    return CryptoStatus(CryptoError::kBadVersion,
                        "unknown store state version");
  }
  std::string_view identity_blob;
  uint32_t registration_id = 0;
  if (!r.Str(identity_blob) || !r.U32(registration_id)) return Truncated();
  absl::StatusOr<IdentityKeyPair> identity =
      IdentityKeyPair::Deserialize(identity_blob);
  if (!identity.ok()) return identity.status();
  auto store =
      std::make_unique<MemoryStore>(*std::move(identity), registration_id);
  absl::MutexLock lock(&store->mu_);

  uint32_t count = 0;
  if (!r.U32(count)) return Truncated();
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view name, key;
    uint32_t device = 0;
    if (!r.Str(name) || !r.U32(device) || !r.Str(key)) return Truncated();
    store->identities_[Address{std::string(name), device}] = std::string(key);
  }
  if (!r.U32(count)) return Truncated();
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view name, record;
    uint32_t device = 0;
    if (!r.Str(name) || !r.U32(device) || !r.Str(record)) return Truncated();
    store->sessions_[Address{std::string(name), device}] =
        SecretBytes::CopyOf(record);
  }
  for (auto* map : {&store->pre_keys_, &store->signed_pre_keys_}) {
    if (!r.U32(count)) return Truncated();
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t id = 0;
      std::string_view record;
      if (!r.U32(id) || !r.Str(record)) return Truncated();
      (*map)[id] = SecretBytes::CopyOf(record);
    }
  }
  if (!r.done()) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "trailing bytes after the store state");
  }
  return store;
}

absl::StatusOr<IdentityKeyPair> MemoryStore::LocalIdentity() {
  return identity_.Clone();
}

absl::StatusOr<uint32_t> MemoryStore::LocalRegistrationId() {
  return registration_id_;
}

absl::Status MemoryStore::SaveIdentity(const Address& address,
                                       std::string_view public_key) {
  absl::MutexLock lock(&mu_);
  identities_[address] = std::string(public_key);
  return absl::OkStatus();
}

absl::Status MemoryStore::RemoveIdentity(const Address& address) {
  absl::MutexLock lock(&mu_);
  identities_.erase(address);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> MemoryStore::GetIdentity(
    const Address& address) {
  absl::MutexLock lock(&mu_);
  auto it = identities_.find(address);
  if (it == identities_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::StatusOr<std::optional<SecretBytes>> MemoryStore::LoadSession(
    const Address& address) {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(address);
  if (it == sessions_.end()) return std::optional<SecretBytes>();
  return std::optional<SecretBytes>(it->second.Clone());
}

absl::Status MemoryStore::StoreSession(const Address& address,
                                       SecretBytes record) {
  absl::MutexLock lock(&mu_);
  sessions_[address] = std::move(record);
  return absl::OkStatus();
}

absl::StatusOr<bool> MemoryStore::ContainsSession(const Address& address) {
  absl::MutexLock lock(&mu_);
  return sessions_.contains(address);
}

absl::StatusOr<bool> MemoryStore::DeleteSession(const Address& address) {
  absl::MutexLock lock(&mu_);
  return sessions_.erase(address) > 0;
}

absl::StatusOr<int> MemoryStore::DeleteAllSessions(std::string_view name) {
  absl::MutexLock lock(&mu_);
  int deleted = 0;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->first.name == name) {
      it = sessions_.erase(it);
      ++deleted;
    } else {
      ++it;
    }
  }
  return deleted;
}

absl::StatusOr<std::vector<uint32_t>> MemoryStore::SubDeviceSessions(
    std::string_view name) {
  absl::MutexLock lock(&mu_);
  std::vector<uint32_t> devices;
  for (const auto& [address, record] : sessions_) {
    if (address.name == name) devices.push_back(address.device_id);
  }
  return devices;
}

absl::StatusOr<std::optional<SecretBytes>> MemoryStore::LoadPreKey(
    uint32_t id) {
  absl::MutexLock lock(&mu_);
  auto it = pre_keys_.find(id);
  if (it == pre_keys_.end()) return std::optional<SecretBytes>();
  return std::optional<SecretBytes>(it->second.Clone());
}

absl::Status MemoryStore::StorePreKey(uint32_t id, SecretBytes record) {
  absl::MutexLock lock(&mu_);
  pre_keys_[id] = std::move(record);
  return absl::OkStatus();
}

absl::StatusOr<bool> MemoryStore::ContainsPreKey(uint32_t id) {
  absl::MutexLock lock(&mu_);
  return pre_keys_.contains(id);
}

absl::Status MemoryStore::RemovePreKey(uint32_t id) {
  absl::MutexLock lock(&mu_);
  pre_keys_.erase(id);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<SecretBytes>> MemoryStore::LoadSignedPreKey(
    uint32_t id) {
  absl::MutexLock lock(&mu_);
  auto it = signed_pre_keys_.find(id);
  if (it == signed_pre_keys_.end()) return std::optional<SecretBytes>();
  return std::optional<SecretBytes>(it->second.Clone());
}

absl::Status MemoryStore::StoreSignedPreKey(uint32_t id, SecretBytes record) {
  absl::MutexLock lock(&mu_);
  signed_pre_keys_[id] = std::move(record);
  return absl::OkStatus();
}

absl::StatusOr<bool> MemoryStore::ContainsSignedPreKey(uint32_t id) {
  absl::MutexLock lock(&mu_);
  return signed_pre_keys_.contains(id);
}

absl::Status MemoryStore::RemoveSignedPreKey(uint32_t id) {
  absl::MutexLock lock(&mu_);
  signed_pre_keys_.erase(id);
  return absl::OkStatus();
}

size_t MemoryStore::pre_key_count() const {
  absl::MutexLock lock(&mu_);
  return pre_keys_.size();
}

size_t MemoryStore::session_count() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

}  // namespace confidant::crypto
