// Signal-protocol key material: the long-term identity key, signed pre-keys
// and one-time pre-keys, plus signature checks. Keys are Curve25519; public
// keys travel serialized as 33 bytes (0x05, then 32), private keys as 32.
#ifndef CONFIDANT_CRYPTO_KEYS_H_
#define CONFIDANT_CRYPTO_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crypto/secret.h"

namespace confidant::crypto {

inline constexpr size_t kPublicKeySize = 33;
inline constexpr size_t kPrivateKeySize = 32;
inline constexpr size_t kSignatureSize = 64;
// Pre-key ids run 1..kMaxPreKeyId. libsignal treats 0xFFFFFF as a "last
// resort" key that is never consumed, so one-time pre-keys stay below it.
inline constexpr uint32_t kMaxPreKeyId = 0xFFFFFE;
// Signal rotates the signed pre-key weekly.
inline constexpr absl::Duration kSignedPreKeyRotationPeriod =
    absl::Hours(24 * 7);

// A long-term identity key pair. Move-only (Clone() to copy); the private key
// is wiped on destruction. Thread-compatible.
class IdentityKeyPair {
 public:
  // A fresh random pair. kInternal on failure of the library.
  static absl::StatusOr<IdentityKeyPair> Generate();
  // Parses Serialize() output (libsignal's IdentityKeyPairStructure) and
  // checks the public key belongs to the private key; kInvalidKey if not.
  static absl::StatusOr<IdentityKeyPair> Deserialize(std::string_view blob);

  IdentityKeyPair(IdentityKeyPair&&) noexcept = default;
  IdentityKeyPair& operator=(IdentityKeyPair&&) noexcept = default;
  IdentityKeyPair Clone() const;

  // 33 bytes, 0x05 prefix.
  const std::string& public_key() const { return public_key_; }
  // 32 bytes.
  const SecretBytes& private_key() const { return private_key_; }

  // Both keys in libsignal's serialized form (a secret: store it encrypted).
  absl::StatusOr<SecretBytes> Serialize() const;
  // A 64-byte XEdDSA signature of `message`.
  absl::StatusOr<std::string> Sign(std::string_view message) const;

 private:
  IdentityKeyPair(std::string public_key, SecretBytes private_key)
      : public_key_(std::move(public_key)),
        private_key_(std::move(private_key)) {}

  std::string public_key_;
  SecretBytes private_key_;
};

// A random registration id in 1..16380, made once per installation.
absl::StatusOr<uint32_t> GenerateRegistrationId();

// A medium-term pre-key signed by the identity key.
struct SignedPreKeyPair {
  uint32_t id = 0;
  std::string public_key;   // 33 bytes
  SecretBytes private_key;  // 32 bytes
  std::string signature;    // 64 bytes: identity's XEdDSA over public_key
  absl::Time created;       // kept to millisecond precision

  // libsignal's serialized record, as kept in a SignedPreKeyStore.
  absl::StatusOr<SecretBytes> ToRecord() const;
  // kInvalidKey for a malformed record.
  static absl::StatusOr<SignedPreKeyPair> FromRecord(std::string_view record);
};

// A fresh signed pre-key with `id`, signed by `identity`.
absl::StatusOr<SignedPreKeyPair> GenerateSignedPreKey(
    const IdentityKeyPair& identity, uint32_t id, absl::Time now);

// True once a signed pre-key made at `created` is `period` old (or `created`
// lies more than `period` in the future: a clock jump).
bool NeedsRotation(absl::Time created, absl::Time now,
                   absl::Duration period = kSignedPreKeyRotationPeriod);

// The pre-key id after `id`, wrapping from kMaxPreKeyId (or anything out of
// range) to 1. Used for signed and one-time pre-keys alike.
uint32_t NextPreKeyId(uint32_t id);

// A single-use pre-key.
struct OneTimePreKeyPair {
  uint32_t id = 0;
  std::string public_key;   // 33 bytes
  SecretBytes private_key;  // 32 bytes

  // libsignal's serialized record, as kept in a PreKeyStore.
  absl::StatusOr<SecretBytes> ToRecord() const;
  // kInvalidKey for a malformed record.
  static absl::StatusOr<OneTimePreKeyPair> FromRecord(std::string_view record);
};

// `count` fresh one-time pre-keys with ids start_id, NextPreKeyId(start_id),
// ... (start_id out of 1..kMaxPreKeyId counts as 1). kTooLarge above
// kMaxPreKeyId keys.
absl::StatusOr<std::vector<OneTimePreKeyPair>> GenerateOneTimePreKeys(
    uint32_t start_id, uint32_t count);

// True iff `signature` is a valid XEdDSA signature of `message` by the
// serialized public key. Malformed input gives false.
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_KEYS_H_
