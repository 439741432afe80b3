// Sealed sender: the outer layer of every envelope. It hides the sender from
// the relay by encrypting the sender's certificate together with the
// libsignal message to the recipient's identity key (ephemeral X25519,
// HKDF-SHA256, AES-256-GCM), and pads the envelope to a size bucket. Format
// and reasoning: docs/protocol.md.
//
// The sealed layer itself authenticates nothing about the sender: anyone can
// seal anything to anyone. The sender certificate inside binds the sender's
// account id to its identity key under the relay's signature, and the
// libsignal message proves the sender holds that key; MessageCrypto checks
// both (sender_certificate.h, message_crypto.h).
#ifndef CONFIDANT_CRYPTO_SEALED_H_
#define CONFIDANT_CRYPTO_SEALED_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "confidant/v1/wire.h"
#include "crypto/padding.h"
#include "crypto/secret.h"
#include "crypto/sender_certificate.h"

namespace confidant::crypto {

inline constexpr uint8_t kSealedVersion = 2;
inline constexpr size_t kAccountIdSize = wire::kAccountIdSize;
// A serialized Curve25519 public key: 0x05, then the 32-byte u coordinate.
inline constexpr size_t kIdentityKeySize = 33;
inline constexpr uint8_t kCurve25519KeyType = 0x05;
inline constexpr size_t kCurve25519PrivateKeySize = 32;
// libsignal ciphertext types carried in SealedContent::message_type.
inline constexpr uint8_t kSignalMessageType = 2;
inline constexpr uint8_t kPreKeyMessageType = 3;
// The largest SealedContent::message that fits one envelope.
inline constexpr size_t kMaxSealedMessageSize =
    kMaxEnvelopeSize - kSealedOverhead;

// What an envelope carries, visible only to its recipient.
struct SealedContent {
  // Who sent it, as the relay certified: account id and identity key.
  // Unseal() checks its layout only, not its signature.
  SenderCertificate sender;
  uint8_t message_type = 0;  // kSignalMessageType or kPreKeyMessageType
  std::string
      message;  // serialized libsignal message, <= kMaxSealedMessageSize
};

// Seals `content` for the recipient with a fresh ephemeral key. The result is
// exactly EnvelopeBucket(content.message.size() + kSealedOverhead) bytes long.
// kInvalidKey for a malformed recipient key, kInvalidMessage for malformed
// content or account id, kTooLarge if the message does not fit, kInternal if
// OpenSSL fails.
absl::StatusOr<std::string> Seal(const SealedContent& content,
                                 std::string_view recipient_identity_key,
                                 std::string_view recipient_account_id);

// Seal with a caller-chosen ephemeral private key (32 bytes), for test
// vectors only: reusing an ephemeral key reuses the AES-GCM key and nonce.
absl::StatusOr<std::string> SealWithEphemeral(
    const SealedContent& content, std::string_view recipient_identity_key,
    std::string_view recipient_account_id,
    const SecretBytes& ephemeral_private);

// Ephemeral key pairs made ahead of time, while the client is idle, so that
// sealing costs one scalar multiplication on the send path instead of two.
// Each key seals exactly one envelope and is then destroyed; keys live only in
// memory. Thread-safe.
class EphemeralKeyPool {
 public:
  // The pool holds at most `capacity` keys.
  explicit EphemeralKeyPool(size_t capacity = 16);
  ~EphemeralKeyPool();
  EphemeralKeyPool(const EphemeralKeyPool&) = delete;
  EphemeralKeyPool& operator=(const EphemeralKeyPool&) = delete;

  // Generates keys until the pool is full; costs one scalar multiplication
  // per missing key. kInternal if OpenSSL fails.
  absl::Status Fill();
  size_t size() const;

  // Seal() with a key from the pool, or with a fresh one when the pool is
  // empty. Same result format and errors as Seal().
  absl::StatusOr<std::string> Seal(const SealedContent& content,
                                   std::string_view recipient_identity_key,
                                   std::string_view recipient_account_id);

 private:
  struct Key;
  std::unique_ptr<Key> Take();

  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Key>> keys_ ABSL_GUARDED_BY(mu_);
};

// Opens an envelope sealed for this recipient. `recipient_identity_private`
// is the 32-byte Curve25519 private key as libsignal stores it and must match
// `recipient_identity_key` (kInvalidKey otherwise). Errors on the envelope:
// kTruncated (shorter than the smallest bucket), kTooLarge (over the cap),
// kBadVersion, kBadPadding (length not a bucket size, or inner padding or
// length field inconsistent), kInvalidKey (small-order ephemeral key),
// kTampered (authentication failed: modified, or sealed for another identity
// key or account id, which AES-GCM cannot tell apart), kInvalidMessage
// (authentic but a malformed sender certificate or message type).
absl::StatusOr<SealedContent> Unseal(
    std::string_view envelope, const SecretBytes& recipient_identity_private,
    std::string_view recipient_identity_key,
    std::string_view recipient_account_id);

// Opens envelopes for one recipient, keeping its X25519 key ready so each
// envelope costs one scalar multiplication instead of two. Same checks and
// errors as Unseal(); Create() fails with kInvalidKey if the private key does
// not belong to `recipient_identity_key`. Thread-safe.
class Unsealer {
 public:
  static absl::StatusOr<std::unique_ptr<Unsealer>> Create(
      const SecretBytes& recipient_identity_private,
      std::string_view recipient_identity_key,
      std::string_view recipient_account_id);
  ~Unsealer();
  Unsealer(const Unsealer&) = delete;
  Unsealer& operator=(const Unsealer&) = delete;

  absl::StatusOr<SealedContent> Unseal(std::string_view envelope) const;

 private:
  struct Key;
  Unsealer(std::unique_ptr<Key> key, std::string identity_key,
           std::string account_id);
  std::unique_ptr<Key> key_;
  const std::string identity_key_;
  const std::string account_id_;
};

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_SEALED_H_
