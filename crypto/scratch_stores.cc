#include "crypto/scratch_stores.h"

#include <utility>

namespace confidant::crypto {

absl::StatusOr<IdentityKeyPair> ScratchStores::LocalIdentity() {
  return identities_.LocalIdentity();
}

absl::StatusOr<uint32_t> ScratchStores::LocalRegistrationId() {
  return identities_.LocalRegistrationId();
}

absl::Status ScratchStores::SaveIdentity(const Address& address,
                                         std::string_view public_key) {
  absl::MutexLock lock(&mu_);
  peer_identities_[address] = std::string(public_key);
  return absl::OkStatus();
}

absl::Status ScratchStores::RemoveIdentity(const Address& address) {
  absl::MutexLock lock(&mu_);
  peer_identities_.erase(address);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> ScratchStores::GetIdentity(
    const Address& address) {
  absl::MutexLock lock(&mu_);
  auto it = peer_identities_.find(address);
  if (it == peer_identities_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::StatusOr<std::optional<SecretBytes>> ScratchStores::LoadSession(
    const Address& address) {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(address);
  if (it == sessions_.end()) return std::optional<SecretBytes>();
  return std::optional<SecretBytes>(it->second.Clone());
}

absl::Status ScratchStores::StoreSession(const Address& address,
                                         SecretBytes record) {
  absl::MutexLock lock(&mu_);
  sessions_[address] = std::move(record);
  return absl::OkStatus();
}

absl::StatusOr<bool> ScratchStores::ContainsSession(const Address& address) {
  absl::MutexLock lock(&mu_);
  return sessions_.count(address) > 0;
}

absl::StatusOr<bool> ScratchStores::DeleteSession(const Address& address) {
  absl::MutexLock lock(&mu_);
  return sessions_.erase(address) > 0;
}

absl::StatusOr<int> ScratchStores::DeleteAllSessions(std::string_view name) {
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

absl::StatusOr<std::vector<uint32_t>> ScratchStores::SubDeviceSessions(
    std::string_view name) {
  absl::MutexLock lock(&mu_);
  std::vector<uint32_t> out;
  for (const auto& [address, record] : sessions_) {
    if (address.name == name) {
      out.push_back(address.device_id);
    }
  }
  return out;
}

absl::StatusOr<std::optional<SecretBytes>> ScratchStores::LoadPreKey(
    uint32_t id) {
  {
    absl::MutexLock lock(&mu_);
    if (pre_keys_removed_.count(id) > 0) return std::optional<SecretBytes>();
    auto it = pre_keys_written_.find(id);
    if (it != pre_keys_written_.end()) {
      return std::optional<SecretBytes>(it->second.Clone());
    }
  }
  return pre_keys_.LoadPreKey(id);
}

absl::Status ScratchStores::StorePreKey(uint32_t id, SecretBytes record) {
  absl::MutexLock lock(&mu_);
  pre_keys_removed_.erase(id);
  pre_keys_written_[id] = std::move(record);
  return absl::OkStatus();
}

absl::StatusOr<bool> ScratchStores::ContainsPreKey(uint32_t id) {
  absl::StatusOr<std::optional<SecretBytes>> record = LoadPreKey(id);
  if (!record.ok()) return record.status();
  return record->has_value();
}

absl::Status ScratchStores::RemovePreKey(uint32_t id) {
  absl::MutexLock lock(&mu_);
  pre_keys_written_.erase(id);
  pre_keys_removed_.insert(id);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<SecretBytes>> ScratchStores::LoadSignedPreKey(
    uint32_t id) {
  {
    absl::MutexLock lock(&mu_);
    if (signed_removed_.count(id) > 0) return std::optional<SecretBytes>();
    auto it = signed_written_.find(id);
    if (it != signed_written_.end()) {
      return std::optional<SecretBytes>(it->second.Clone());
    }
  }
  return signed_pre_keys_.LoadSignedPreKey(id);
}

absl::Status ScratchStores::StoreSignedPreKey(uint32_t id, SecretBytes record) {
  absl::MutexLock lock(&mu_);
  signed_removed_.erase(id);
  signed_written_[id] = std::move(record);
  return absl::OkStatus();
}

absl::StatusOr<bool> ScratchStores::ContainsSignedPreKey(uint32_t id) {
  absl::StatusOr<std::optional<SecretBytes>> record = LoadSignedPreKey(id);
  if (!record.ok()) return record.status();
  return record->has_value();
}

absl::Status ScratchStores::RemoveSignedPreKey(uint32_t id) {
  absl::MutexLock lock(&mu_);
  signed_written_.erase(id);
  signed_removed_.insert(id);
  return absl::OkStatus();
}

}  // namespace confidant::crypto
