// How a record of a profile is stored, and the manifest that binds the set of
// records together (docs/profile.md, "Database"). Internal to
// client/profile_*.
#ifndef CONFIDANT_CLIENT_INTERNAL_PROFILE_RECORDS_H_
#define CONFIDANT_CLIENT_INTERNAL_PROFILE_RECORDS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/internal/profile_crypto.h"
#include "crypto/secret.h"

namespace confidant::client::internal {

// The namespace of the manifest record: the first of the internal ones.
inline constexpr uint8_t kManifestNamespace = 128;
inline constexpr std::string_view kManifestKey = "manifest";

// The smallest stored value; every stored value is a power of two in size.
inline constexpr size_t kMinSealedSize = 64;

// The size a record with a `key_size`-byte logical key and a `value_size`
// value occupies on disk as a sealed value: the smallest power of two of at
// least kMinSealedSize that holds nonce, key length, key, value, one padding
// byte and tag.
size_t SealedSize(size_t key_size, size_t value_size);

// A sum of record digests modulo 2^256 (little-endian): adding and removing
// records in any order gives the same sum for the same set.
class MultisetDigest {
 public:
  void Add(const Mac& digest);
  void Remove(const Mac& digest);
  bool operator==(const MultisetDigest& other) const;
  const std::array<uint8_t, kMacSize>& bytes() const { return sum_; }
  static MultisetDigest FromBytes(std::string_view bytes);

 private:
  std::array<uint8_t, kMacSize> sum_{};
};

// The manifest: a version counter incremented by every write, the number of
// records and their multiset digest (every record but the manifest itself),
// and whether deleted key material is still waiting to be compacted away.
struct Manifest {
  uint64_t version = 0;
  uint64_t records = 0;
  MultisetDigest digest;
  bool forget_pending = false;

  std::string Encode() const;
  // DATA_LOSS if `bytes` is not an encoded manifest.
  static absl::StatusOr<Manifest> Decode(std::string_view bytes);
};

// The keys of one database generation, derived from its master key, and what
// they do. Thread-compatible (immutable after Derive).
class RecordKeys {
 public:
  static absl::StatusOr<RecordKeys> Derive(const crypto::SecretBytes& master);

  // namespace byte | HMAC-SHA256(mac key, namespace | logical key).
  std::string StorageKey(uint8_t ns, std::string_view key) const;
  // nonce | AES-256-GCM(value key, u32 key length | key | value | 0x80 |
  // zeros, ad = `storage_key`) | tag, SealedSize() bytes in all.
  absl::StatusOr<std::string> Seal(std::string_view storage_key,
                                   std::string_view key,
                                   std::string_view value) const;
  // The logical key and value of a sealed record; DATA_LOSS if it does not
  // authenticate or is malformed. On failure the outputs are untouched.
  absl::Status Open(std::string_view storage_key, std::string_view sealed,
                    std::string& out_key, std::string& out_value) const;
  // HMAC-SHA256(digest key, u32 length | storage key | sealed value): one
  // record's term of the manifest digest.
  Mac RecordDigest(std::string_view storage_key, std::string_view sealed) const;

 private:
  RecordKeys() = default;
  crypto::SecretBytes value_key_;
  crypto::SecretBytes mac_key_;
  crypto::SecretBytes digest_key_;
};

// DATA_LOSS("profile entry does not authenticate (`what`): ...").
absl::Status CorruptRecord(std::string_view what);

}  // namespace confidant::client::internal

#endif  // CONFIDANT_CLIENT_INTERNAL_PROFILE_RECORDS_H_
