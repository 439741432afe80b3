// Sender certificates: the relay's statement "account A holds identity key K
// until hour E", carried inside every sealed envelope so the recipient can
// tell who really wrote it. Without one, the sealed sender is whatever the
// sealer claims (sealed.h). Formats and reasoning: docs/protocol.md §4.
//
// Trust runs from one key the client pins when it joins or enrolls (the
// relay's first key, whose fingerprint the organisation publishes) along a
// chain of relay keys, each endorsed by the one before. A certificate is
// accepted when a key of that chain signed it, it has not expired, and, for a
// key that was since replaced, it expires no later than one certificate
// lifetime after the replacement.
//
// This part uses OpenSSL alone (Ed25519), so the relay links it without
// libsignal. Errors carry a CryptoError (crypto/errors.h).
#ifndef CONFIDANT_CRYPTO_SENDER_CERTIFICATE_H_
#define CONFIDANT_CRYPTO_SENDER_CERTIFICATE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "crypto/secret.h"

namespace confidant::crypto {

inline constexpr uint8_t kSenderCertificateVersion = 1;
// Ed25519 public keys and signatures.
inline constexpr size_t kRelayPublicKeySize = 32;
inline constexpr size_t kRelaySeedSize = 32;
inline constexpr size_t kRelaySignatureSize = 64;
// version | account id (16) | identity key (33) | expiry hour (u32) |
// signer key id (u32) | signature (64).
inline constexpr size_t kSenderCertificateSize = 1 + 16 + 33 + 4 + 4 + 64;
// How long a certificate is valid, in hours (7 days). The relay issues
// certificates that expire this long after the hour of issue.
inline constexpr uint32_t kSenderCertificateLifetimeHours = 7 * 24;

// A parsed certificate. Parsing checks the layout only; the signature and the
// times are checked by RelayKeyRing::Verify.
struct SenderCertificate {
  std::string account_id;    // 16 bytes
  std::string identity_key;  // 33 bytes, 0x05 prefix
  uint32_t expiry_hour = 0;  // hours since the Unix epoch; valid before it
  uint32_t signer_key_id = 0;
  std::string signature;  // 64 bytes, Ed25519

  // The kSenderCertificateSize bytes of the wire form.
  std::string Serialize() const;
  // What the signature covers: a context label, then every byte of the wire
  // form before the signature.
  std::string SignedBytes() const;

  friend bool operator==(const SenderCertificate&,
                         const SenderCertificate&) = default;
};

// kTruncated or kTooLarge for a wrong length, kBadVersion for another
// version, kInvalidMessage for a malformed account id or identity key.
absl::StatusOr<SenderCertificate> ParseSenderCertificate(
    std::string_view bytes);

// One relay key as the relay publishes it. Key ids run 1, 2, 3, ...; key 1
// is the root that clients pin, and every later key n carries an
// endorsement: key n-1's signature over EndorsedBytes().
struct RelayPublicKey {
  uint32_t id = 0;
  std::string public_key;     // 32 bytes, Ed25519
  uint32_t created_hour = 0;  // when it became the signing key
  std::string endorsement;    // 64 bytes; empty for key 1

  std::string EndorsedBytes() const;

  friend bool operator==(const RelayPublicKey&,
                         const RelayPublicKey&) = default;
};

// The fingerprint organisations publish: the first 20 bytes of
// SHA-256("confidant relay key fingerprint v1" 0x00 | public key) as 40
// lowercase hex digits in groups of 4.
std::string RelayKeyFingerprint(std::string_view public_key);

// True iff `signature` is an Ed25519 signature of `message` by `public_key`
// (32 bytes). Malformed input gives false.
bool VerifyRelaySignature(std::string_view public_key, std::string_view message,
                          std::string_view signature);

// A relay signing key: an Ed25519 key pair from a 32-byte seed. Move-only;
// the seed is wiped on destruction. Thread-compatible.
class RelaySigningKey {
 public:
  // A fresh random key. kInternal if the system's generator fails.
  static absl::StatusOr<RelaySigningKey> Generate(uint32_t id,
                                                  uint32_t created_hour);
  // kInvalidKey for a seed of the wrong size.
  static absl::StatusOr<RelaySigningKey> FromSeed(uint32_t id,
                                                  uint32_t created_hour,
                                                  const SecretBytes& seed);

  RelaySigningKey(RelaySigningKey&&) noexcept = default;
  RelaySigningKey& operator=(RelaySigningKey&&) noexcept = default;

  uint32_t id() const { return id_; }
  uint32_t created_hour() const { return created_hour_; }
  const std::string& public_key() const { return public_key_; }
  const SecretBytes& seed() const { return seed_; }

  // A 64-byte Ed25519 signature. kInternal if OpenSSL fails.
  absl::StatusOr<std::string> Sign(std::string_view message) const;

  // A certificate for (`account_id`, `identity_key`) expiring at
  // `expiry_hour`. kInvalidMessage for a malformed id or key.
  absl::StatusOr<SenderCertificate> Issue(std::string_view account_id,
                                          std::string_view identity_key,
                                          uint32_t expiry_hour) const;

  // This key as published, with `endorsement` (empty for key 1).
  RelayPublicKey Published(std::string endorsement) const;
  // This key's endorsement of `next`, which must have id() + 1.
  absl::StatusOr<std::string> Endorse(const RelayPublicKey& next) const;

 private:
  RelaySigningKey(uint32_t id, uint32_t created_hour, std::string public_key,
                  SecretBytes seed)
      : id_(id),
        created_hour_(created_hour),
        public_key_(std::move(public_key)),
        seed_(std::move(seed)) {}

  uint32_t id_;
  uint32_t created_hour_;
  std::string public_key_;
  SecretBytes seed_;
};

// The relay keys one client trusts: a chain from the pinned root. A value
// type; not thread-safe (SenderCertificateVerifier wraps one for sharing).
class RelayKeyRing {
 public:
  // A ring from the relay's published chain (oldest first, starting with key
  // 1). kBadSignature if an endorsement does not verify, kInvalidKey for a
  // malformed key or a chain with gaps, kInvalidMessage for an empty chain.
  static absl::StatusOr<RelayKeyRing> FromChain(
      const std::vector<RelayPublicKey>& chain);

  // Takes the keys of `chain` (the relay's whole chain, oldest first) that
  // follow the newest known one, each checked against its predecessor.
  // kInvalidKey if `chain` contradicts a known key (another root, or another
  // key under a known id: a fork), kBadSignature for a bad endorsement. On
  // error the ring is unchanged.
  absl::Status Extend(const std::vector<RelayPublicKey>& chain);

  // Checks `certificate` as of `at_hour` (the relay's hour of storing the
  // envelope that carried it), in this order:
  //   kUnknownRelayKey     signed by a key id the ring does not hold (yet);
  //   kBadSignature        the signature does not verify: forged or altered;
  //   kCertificateExpired  expired at `at_hour`, valid for longer than one
  //                        lifetime after `at_hour`, or expiring more than
  //                        one lifetime after its key was replaced.
  absl::Status Verify(const SenderCertificate& certificate,
                      uint32_t at_hour) const;
  // Verify() without the signature check, for a certificate whose signature
  // was already verified.
  absl::Status CheckTimes(const SenderCertificate& certificate,
                          uint32_t at_hour) const;

  const std::vector<RelayPublicKey>& keys() const { return keys_; }
  // The fingerprint of key 1.
  std::string RootFingerprint() const;

  // A versioned encoding for the profile, and its inverse (DATA_LOSS-style
  // kInvalidMessage for malformed bytes; the chain is checked again).
  std::string Serialize() const;
  static absl::StatusOr<RelayKeyRing> Parse(std::string_view bytes);

 private:
  explicit RelayKeyRing(std::vector<RelayPublicKey> keys)
      : keys_(std::move(keys)) {}
  const RelayPublicKey* Find(uint32_t id) const;

  std::vector<RelayPublicKey> keys_;  // ids 1..n in order
};

// A RelayKeyRing shared by the threads of one client, with the signature
// checks it already did remembered: each certificate costs one Ed25519
// verification the first time it is seen, then none. Thread-safe.
class SenderCertificateVerifier {
 public:
  explicit SenderCertificateVerifier(RelayKeyRing ring);

  // RelayKeyRing::Verify, with the signature check cached.
  absl::Status Verify(const SenderCertificate& certificate, uint32_t at_hour);
  // RelayKeyRing::Extend.
  absl::Status Extend(const std::vector<RelayPublicKey>& chain);
  // A copy of the current ring (to persist it).
  RelayKeyRing ring() const;

 private:
  // Bounds the memory a flood of distinct certificates can take.
  static constexpr size_t kMaxCached = 4096;

  mutable absl::Mutex mu_;
  RelayKeyRing ring_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> verified_ ABSL_GUARDED_BY(mu_);
};

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_SENDER_CERTIFICATE_H_
