// The Signal-protocol stores of crypto/stores.h kept in a local profile.
#ifndef CONFIDANT_CLIENT_CRYPTO_STORES_H_
#define CONFIDANT_CLIENT_CRYPTO_STORES_H_

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
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "client/account.h"
#include "client/profile_store.h"
#include "crypto/keys.h"
#include "crypto/secret.h"
#include "crypto/stores.h"

namespace confidant::client {

// All four crypto stores over a ProfileStore, behaving like
// crypto::MemoryStore: our identity key pair and registration id in
// Namespace::kIdentity, peers' identity keys in kPeerIdentity, sessions in
// kSession, pre-keys in kPreKey and kSignedPreKey; also the handout records
// of one-time pre-keys in kPreKeyHandout. Every change is synced to disk
// before it returns. Thread-safe.
class PersistentCryptoStore final : public crypto::IdentityStore,
                                    public crypto::SessionStore,
                                    public crypto::PreKeyStore,
                                    public crypto::SignedPreKeyStore,
                                    public PreKeyHandoutStore {
 public:
  // Stores `identity` and `registration_id` in `profile`, which must outlive
  // the store. ALREADY_EXISTS if the profile already has an identity.
  static absl::StatusOr<std::unique_ptr<PersistentCryptoStore>> Create(
      ProfileStore& profile, crypto::IdentityKeyPair identity,
      uint32_t registration_id);
  // The store of a profile that has an identity (`profile` must outlive it).
  // NOT_FOUND if the profile has no identity yet; DATA_LOSS if the stored
  // identity is malformed.
  static absl::StatusOr<std::unique_ptr<PersistentCryptoStore>> Load(
      ProfileStore& profile);

  // IdentityStore.
  absl::StatusOr<crypto::IdentityKeyPair> LocalIdentity() override;
  absl::StatusOr<uint32_t> LocalRegistrationId() override;
  absl::Status SaveIdentity(const crypto::Address& address,
                            std::string_view public_key) override;
  absl::Status RemoveIdentity(const crypto::Address& address) override;
  absl::StatusOr<std::optional<std::string>> GetIdentity(
      const crypto::Address& address) override;

  // SessionStore.
  absl::StatusOr<std::optional<crypto::SecretBytes>> LoadSession(
      const crypto::Address& address) override;
  absl::Status StoreSession(const crypto::Address& address,
                            crypto::SecretBytes record) override;
  absl::StatusOr<bool> ContainsSession(const crypto::Address& address) override;
  absl::StatusOr<bool> DeleteSession(const crypto::Address& address) override;
  absl::StatusOr<int> DeleteAllSessions(std::string_view name) override;
  absl::StatusOr<std::vector<uint32_t>> SubDeviceSessions(
      std::string_view name) override;

  // PreKeyStore.
  absl::StatusOr<std::optional<crypto::SecretBytes>> LoadPreKey(
      uint32_t id) override;
  absl::Status StorePreKey(uint32_t id, crypto::SecretBytes record) override;
  absl::StatusOr<bool> ContainsPreKey(uint32_t id) override;
  // Also drops the key's handout record.
  absl::Status RemovePreKey(uint32_t id) override;

  // PreKeyHandoutStore. DATA_LOSS for a malformed record.
  absl::StatusOr<std::vector<uint32_t>> OneTimePreKeyIds() override;
  absl::StatusOr<std::map<uint32_t, absl::Time>> Handouts() override;
  absl::Status UpdateHandouts(const std::map<uint32_t, absl::Time>& seen,
                              absl::Span<const uint32_t> forget,
                              absl::Span<const uint32_t> expire) override;

  // SignedPreKeyStore.
  absl::StatusOr<std::optional<crypto::SecretBytes>> LoadSignedPreKey(
      uint32_t id) override;
  absl::Status StoreSignedPreKey(uint32_t id,
                                 crypto::SecretBytes record) override;
  absl::StatusOr<bool> ContainsSignedPreKey(uint32_t id) override;
  absl::Status RemoveSignedPreKey(uint32_t id) override;

 private:
  PersistentCryptoStore(ProfileStore& profile, crypto::IdentityKeyPair identity,
                        uint32_t registration_id);

  absl::StatusOr<std::optional<crypto::SecretBytes>> LoadSecret(
      Namespace ns, std::string_view key);
  absl::StatusOr<bool> Contains(Namespace ns, std::string_view key);
  // The device ids of `name`'s sessions, ascending.
  absl::StatusOr<std::vector<uint32_t>> DevicesLocked(std::string_view name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ProfileStore& profile_;
  const crypto::IdentityKeyPair identity_;
  const uint32_t registration_id_;
  // Makes scan-then-delete of sessions atomic against other session writes.
  absl::Mutex mu_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_CRYPTO_STORES_H_
