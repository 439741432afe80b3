// Keys for local storage derived from a passphrase with Argon2id (RFC 9106).
// Parameters and their justification: docs/protocol.md.
#ifndef CONFIDANT_CRYPTO_KDF_H_
#define CONFIDANT_CRYPTO_KDF_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crypto/secret.h"

namespace confidant::crypto {

struct Argon2Params {
  uint32_t t_cost;       // passes over memory
  uint32_t m_cost_kib;   // memory in KiB
  uint32_t parallelism;  // lanes (and threads)
};

// RFC 9106 section 4, second recommended option (t=3, 64 MiB, p=4), above
// OWASP's minimum (19 MiB, t=2, p=1). About 0.25 s on this project's 2-core
// reference machine: a desktop unlock stays well under a second, while each
// guess costs an attacker 64 MiB and three passes. Store the parameters
// used beside the salt, so they can be raised later.
inline constexpr Argon2Params kDefaultArgon2Params = {3, 64 * 1024, 4};

// Bounds that DerivePassphraseKey enforces.
inline constexpr uint32_t kMinArgon2MemoryKib = 7 * 1024;  // OWASP's lowest
inline constexpr uint32_t kMaxArgon2MemoryKib = 4 * 1024 * 1024;  // 4 GiB
inline constexpr uint32_t kMaxArgon2TCost = 100;
inline constexpr uint32_t kMaxArgon2Parallelism = 16;
inline constexpr size_t kPassphraseSaltSize = 16;
inline constexpr size_t kMinDerivedKeySize = 16;
inline constexpr size_t kMaxDerivedKeySize = 64;

// Derives a `key_size`-byte key from `passphrase` and a 16-byte `salt` (from
// NewSalt()). kInvalidKey for an empty passphrase, a salt of another size, a
// key size outside [16, 64], or parameters outside the bounds above (t_cost
// in [1, 100], m_cost_kib in [7 MiB, 4 GiB], parallelism in [1, 16]);
// kInternal if Argon2 fails (out of memory). Blocks for the whole
// computation: keep it off latency-sensitive threads. Thread-safe.
absl::StatusOr<SecretBytes> DerivePassphraseKey(
    std::string_view passphrase, std::string_view salt,
    const Argon2Params& params = kDefaultArgon2Params, size_t key_size = 32);

// Argon2id version 0x13 with all RFC 9106 inputs and only libargon2's own
// limits (salt >= 8 bytes, key >= 4 bytes, m_cost_kib >= 8 * parallelism).
// For known-answer tests and interoperability; prefer DerivePassphraseKey.
absl::StatusOr<SecretBytes> Argon2id(std::string_view password,
                                     std::string_view salt,
                                     std::string_view secret,
                                     std::string_view associated_data,
                                     const Argon2Params& params,
                                     size_t key_size);

// 16 fresh random bytes (OpenSSL RAND_bytes). Aborts if the system's random
// generator fails, rather than return a predictable salt.
std::string NewSalt();

}  // namespace confidant::crypto

#endif  // CONFIDANT_CRYPTO_KDF_H_
