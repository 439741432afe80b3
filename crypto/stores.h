// Storage interfaces the Signal-protocol layer needs: our identity and the
// peers' identities, session records, one-time and signed pre-key records.
// Records are opaque bytes (libsignal's serialized form) holding secrets.
// Implementations must be thread-safe; memory_stores.h has an in-memory one,
// the clients provide persistent ones.
#ifndef CONFIDANT_CRYPTO_STORES_H_
#define CONFIDANT_CRYPTO_STORES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crypto/keys.h"
#include "crypto/secret.h"

namespace confidant::crypto {

// One device of a peer: `name` is the peer's account id (32 lowercase hex).
struct Address {
  std::string name;
  uint32_t device_id = 1;

  friend bool operator==(const Address&, const Address&) = default;
  friend bool operator<(const Address& a, const Address& b) {
    return std::tie(a.name, a.device_id) < std::tie(b.name, b.device_id);
  }
};

// Our identity key pair and registration id, and the peers' identity keys.
class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  virtual absl::StatusOr<IdentityKeyPair> LocalIdentity() = 0;
  virtual absl::StatusOr<uint32_t> LocalRegistrationId() = 0;

  // Records `public_key` (33 bytes) as the trusted identity of `address`,
  // replacing any earlier one.
  virtual absl::Status SaveIdentity(const Address& address,
                                    std::string_view public_key) = 0;
  // Forgets the identity of `address`; OK if there was none.
  virtual absl::Status RemoveIdentity(const Address& address) = 0;
  // The stored identity of `address`, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> GetIdentity(
      const Address& address) = 0;

  // Trust on first use: true if nothing is stored for `address` or the
  // stored key equals `public_key`.
  absl::StatusOr<bool> IsTrusted(const Address& address,
                                 std::string_view public_key);
};

// Session records per address.
class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // The record of `address`, or nullopt.
  virtual absl::StatusOr<std::optional<SecretBytes>> LoadSession(
      const Address& address) = 0;
  virtual absl::Status StoreSession(const Address& address,
                                    SecretBytes record) = 0;
  virtual absl::StatusOr<bool> ContainsSession(const Address& address) = 0;
  // True if a record was deleted.
  virtual absl::StatusOr<bool> DeleteSession(const Address& address) = 0;
  // Deletes the records of every device of `name`; returns how many.
  virtual absl::StatusOr<int> DeleteAllSessions(std::string_view name) = 0;
  // The device ids of `name` that have a record (ascending).
  virtual absl::StatusOr<std::vector<uint32_t>> SubDeviceSessions(
      std::string_view name) = 0;
};

// Our one-time pre-key records by id.
class PreKeyStore {
 public:
  virtual ~PreKeyStore() = default;

  // The record with `id`, or nullopt.
  virtual absl::StatusOr<std::optional<SecretBytes>> LoadPreKey(
      uint32_t id) = 0;
  virtual absl::Status StorePreKey(uint32_t id, SecretBytes record) = 0;
  virtual absl::StatusOr<bool> ContainsPreKey(uint32_t id) = 0;
  // OK if there was none.
  virtual absl::Status RemovePreKey(uint32_t id) = 0;
};

// Our signed pre-key records by id.
class SignedPreKeyStore {
 public:
  virtual ~SignedPreKeyStore() = default;

  // The record with `id`, or nullopt.
  virtual absl::StatusOr<std::optional<SecretBytes>> LoadSignedPreKey(
      uint32_t id) = 0;
  virtual absl::Status StoreSignedPreKey(uint32_t id, SecretBytes record) = 0;
  virtual absl::StatusOr<bool> ContainsSignedPreKey(uint32_t id) = 0;
  // OK if there was none.
  virtual absl::Status RemoveSignedPreKey(uint32_t id) = 0;
};

// Convenience: stores `key` under its id as a libsignal record.
absl::Status AddPreKey(PreKeyStore& store, const OneTimePreKeyPair& key);
absl::Status AddSignedPreKey(SignedPreKeyStore& store,
                             const SignedPreKeyPair& key);

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_STORES_H_
