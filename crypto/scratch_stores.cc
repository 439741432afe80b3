#include "crypto/scratch_stores.h"

#include <utility>

namespace confidant::crypto {

absl::StatusOr<std::unique_ptr<ScratchStores>> ScratchStores::Create(
    IdentityStore& identities, PreKeyStore& pre_keys,
    SignedPreKeyStore& signed_pre_keys) {
  absl::StatusOr<IdentityKeyPair> identity = identities.LocalIdentity();
  if (!identity.ok()) return identity.status();
  absl::StatusOr<uint32_t> registration_id = identities.LocalRegistrationId();
  if (!registration_id.ok()) return registration_id.status();
  auto memory =
      std::make_unique<MemoryStore>(*std::move(identity), *registration_id);
  return std::unique_ptr<ScratchStores>(
      new ScratchStores(std::move(memory), pre_keys, signed_pre_keys));
}

// Pre-keys written here live in the MemoryStore, which starts with none; a
// key is read from there first, then from the real store unless removed.

absl::StatusOr<std::optional<SecretBytes>> ScratchStores::LoadPreKey(
    uint32_t id) {
  absl::StatusOr<std::optional<SecretBytes>> written = memory_->LoadPreKey(id);
  if (!written.ok() || written->has_value()) return written;
  {
    absl::MutexLock lock(&mu_);
    if (pre_keys_removed_.count(id) > 0) return std::optional<SecretBytes>();
  }
  return pre_keys_.LoadPreKey(id);
}

absl::Status ScratchStores::StorePreKey(uint32_t id, SecretBytes record) {
  return memory_->StorePreKey(id, std::move(record));
}

absl::StatusOr<bool> ScratchStores::ContainsPreKey(uint32_t id) {
  absl::StatusOr<std::optional<SecretBytes>> record = LoadPreKey(id);
  if (!record.ok()) return record.status();
  return record->has_value();
}

absl::Status ScratchStores::RemovePreKey(uint32_t id) {
  {
    absl::MutexLock lock(&mu_);
    pre_keys_removed_.insert(id);
  }
  return memory_->RemovePreKey(id);
}

absl::StatusOr<std::optional<SecretBytes>> ScratchStores::LoadSignedPreKey(
    uint32_t id) {
  absl::StatusOr<std::optional<SecretBytes>> written =
      memory_->LoadSignedPreKey(id);
  if (!written.ok() || written->has_value()) return written;
  {
    absl::MutexLock lock(&mu_);
    if (signed_removed_.count(id) > 0) return std::optional<SecretBytes>();
  }
  return signed_pre_keys_.LoadSignedPreKey(id);
}

absl::Status ScratchStores::StoreSignedPreKey(uint32_t id, SecretBytes record) {
  return memory_->StoreSignedPreKey(id, std::move(record));
}

absl::StatusOr<bool> ScratchStores::ContainsSignedPreKey(uint32_t id) {
  absl::StatusOr<std::optional<SecretBytes>> record = LoadSignedPreKey(id);
  if (!record.ok()) return record.status();
  return record->has_value();
}

absl::Status ScratchStores::RemoveSignedPreKey(uint32_t id) {
  {
    absl::MutexLock lock(&mu_);
    signed_removed_.insert(id);
  }
  return memory_->RemoveSignedPreKey(id);
}

}  // namespace confidant::crypto
