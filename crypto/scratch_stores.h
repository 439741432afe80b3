// Stores for a trial decryption: our own keys are read from the real stores,
// and everything written stays in memory, so a PreKey message can be opened
// "as if we had never heard of its sender" without changing anything real.
// SessionManager::ProveIdentity uses them; not meant for other callers.
#ifndef CONFIDANT_CRYPTO_SCRATCH_STORES_H_
#define CONFIDANT_CRYPTO_SCRATCH_STORES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "crypto/memory_stores.h"
#include "crypto/stores.h"

namespace confidant::crypto {

// Our identity and registration id are copied from the real identity store;
// peers' identities and sessions start empty (a MemoryStore holds them).
// Pre-keys and signed pre-keys are read from the real stores; writes and
// removals of them land in memory only. The real pre-key stores must outlive
// this object. Thread-safe.
class ScratchStores final : public IdentityStore,
                            public SessionStore,
                            public PreKeyStore,
                            public SignedPreKeyStore {
 public:
  static absl::StatusOr<std::unique_ptr<ScratchStores>> Create(
      IdentityStore& identities, PreKeyStore& pre_keys,
      SignedPreKeyStore& signed_pre_keys);

  absl::StatusOr<IdentityKeyPair> LocalIdentity() override {
    return memory_->LocalIdentity();
  }
  absl::StatusOr<uint32_t> LocalRegistrationId() override {
    return memory_->LocalRegistrationId();
  }
  absl::Status SaveIdentity(const Address& address,
                            std::string_view public_key) override {
    return memory_->SaveIdentity(address, public_key);
  }
  absl::Status RemoveIdentity(const Address& address) override {
    return memory_->RemoveIdentity(address);
  }
  absl::StatusOr<std::optional<std::string>> GetIdentity(
      const Address& address) override {
    return memory_->GetIdentity(address);
  }

  absl::StatusOr<std::optional<SecretBytes>> LoadSession(
      const Address& address) override {
    return memory_->LoadSession(address);
  }
  absl::Status StoreSession(const Address& address,
                            SecretBytes record) override {
    return memory_->StoreSession(address, std::move(record));
  }
  absl::StatusOr<bool> ContainsSession(const Address& address) override {
    return memory_->ContainsSession(address);
  }
  absl::StatusOr<bool> DeleteSession(const Address& address) override {
    return memory_->DeleteSession(address);
  }
  absl::StatusOr<int> DeleteAllSessions(std::string_view name) override {
    return memory_->DeleteAllSessions(name);
  }
  absl::StatusOr<std::vector<uint32_t>> SubDeviceSessions(
      std::string_view name) override {
    return memory_->SubDeviceSessions(name);
  }

  absl::StatusOr<std::optional<SecretBytes>> LoadPreKey(uint32_t id) override;
  absl::Status StorePreKey(uint32_t id, SecretBytes record) override;
  absl::StatusOr<bool> ContainsPreKey(uint32_t id) override;
  absl::Status RemovePreKey(uint32_t id) override;

  absl::StatusOr<std::optional<SecretBytes>> LoadSignedPreKey(
      uint32_t id) override;
  absl::Status StoreSignedPreKey(uint32_t id, SecretBytes record) override;
  absl::StatusOr<bool> ContainsSignedPreKey(uint32_t id) override;
  absl::Status RemoveSignedPreKey(uint32_t id) override;

 private:
  ScratchStores(std::unique_ptr<MemoryStore> memory, PreKeyStore& pre_keys,
                SignedPreKeyStore& signed_pre_keys)
      : memory_(std::move(memory)),
        pre_keys_(pre_keys),
        signed_pre_keys_(signed_pre_keys) {}

  const std::unique_ptr<MemoryStore> memory_;
  PreKeyStore& pre_keys_;
  SignedPreKeyStore& signed_pre_keys_;
  absl::Mutex mu_;
  std::set<uint32_t> pre_keys_removed_ ABSL_GUARDED_BY(mu_);
  std::set<uint32_t> signed_removed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_SCRATCH_STORES_H_
