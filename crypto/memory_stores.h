// In-memory implementation of every store of stores.h, for tests and as the
// reference the persistent stores are checked against.
#ifndef CONFIDANT_CRYPTO_MEMORY_STORES_H_
#define CONFIDANT_CRYPTO_MEMORY_STORES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "crypto/keys.h"
#include "crypto/secret.h"
#include "crypto/stores.h"

namespace confidant::crypto {

// All four stores in memory. Thread-safe.
class MemoryStore final : public IdentityStore,
                          public SessionStore,
                          public PreKeyStore,
                          public SignedPreKeyStore {
 public:
  MemoryStore(IdentityKeyPair identity, uint32_t registration_id);

  // The whole state (a secret: it holds every private key) for Restore().
  absl::StatusOr<SecretBytes> Serialize() const;
  // A store equal to the one `Serialize()` produced `blob` from; kTruncated,
  // kBadVersion or kInvalidMessage for a malformed blob.
  static absl::StatusOr<std::unique_ptr<MemoryStore>> Restore(
      std::string_view blob);

  // IdentityStore.
  absl::StatusOr<IdentityKeyPair> LocalIdentity() override;
  absl::StatusOr<uint32_t> LocalRegistrationId() override;
  absl::Status SaveIdentity(const Address& address,
                            std::string_view public_key) override;
  absl::Status RemoveIdentity(const Address& address) override;
  absl::StatusOr<std::optional<std::string>> GetIdentity(
      const Address& address) override;

  // SessionStore.
  absl::StatusOr<std::optional<SecretBytes>> LoadSession(
      const Address& address) override;
  absl::Status StoreSession(const Address& address,
                            SecretBytes record) override;
  absl::StatusOr<bool> ContainsSession(const Address& address) override;
  absl::StatusOr<bool> DeleteSession(const Address& address) override;
  absl::StatusOr<int> DeleteAllSessions(std::string_view name) override;
  absl::StatusOr<std::vector<uint32_t>> SubDeviceSessions(
      std::string_view name) override;

  // PreKeyStore.
  absl::StatusOr<std::optional<SecretBytes>> LoadPreKey(uint32_t id) override;
  absl::Status StorePreKey(uint32_t id, SecretBytes record) override;
  absl::StatusOr<bool> ContainsPreKey(uint32_t id) override;
  absl::Status RemovePreKey(uint32_t id) override;

  // SignedPreKeyStore.
  absl::StatusOr<std::optional<SecretBytes>> LoadSignedPreKey(
      uint32_t id) override;
  absl::Status StoreSignedPreKey(uint32_t id, SecretBytes record) override;
  absl::StatusOr<bool> ContainsSignedPreKey(uint32_t id) override;
  absl::Status RemoveSignedPreKey(uint32_t id) override;

  // Counts, for tests.
  size_t pre_key_count() const;
  size_t session_count() const;

 private:
  mutable absl::Mutex mu_;
  const IdentityKeyPair identity_;
  const uint32_t registration_id_;
  std::map<Address, std::string> identities_ ABSL_GUARDED_BY(mu_);
  std::map<Address, SecretBytes> sessions_ ABSL_GUARDED_BY(mu_);
  std::map<uint32_t, SecretBytes> pre_keys_ ABSL_GUARDED_BY(mu_);
  std::map<uint32_t, SecretBytes> signed_pre_keys_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_MEMORY_STORES_H_
