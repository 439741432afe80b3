// The primitives of the profile format (docs/profile.md): HKDF-SHA256,
// AES-256-GCM with a random nonce, HMAC-SHA256, SHA-256. Internal to
// client/profile_*.
#ifndef CONFIDANT_CLIENT_INTERNAL_PROFILE_CRYPTO_H_
#define CONFIDANT_CLIENT_INTERNAL_PROFILE_CRYPTO_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crypto/secret.h"

namespace confidant::client::internal {

inline constexpr size_t kKeySize = 32;
inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kMacSize = 32;

using Mac = std::array<uint8_t, kMacSize>;

// `n` random bytes (not secret: nonces); aborts if the generator fails.
std::string RandomBytes(size_t n);

// SHA-256 of `data`.
std::string Sha256(std::string_view data);

// HMAC-SHA256 of `data` under `key`.
Mac HmacSha256(const crypto::SecretBytes& key, std::string_view data);

// A 32-byte key derived from `ikm` with HKDF-SHA256 (no salt) and `info`.
absl::StatusOr<crypto::SecretBytes> Hkdf(const crypto::SecretBytes& ikm,
                                         std::string_view info);

// nonce | AES-256-GCM(`key`, `plaintext`, `ad`) | tag, with a random nonce.
absl::StatusOr<std::string> GcmSeal(const crypto::SecretBytes& key,
                                    std::string_view ad,
                                    std::string_view plaintext);

// The plaintext of `sealed` (from GcmSeal) into `out_plaintext`; false if it
// does not authenticate under `key` and `ad`.
bool GcmOpen(const crypto::SecretBytes& key, std::string_view ad,
             std::string_view sealed, crypto::SecretBytes& out_plaintext);

}  // namespace confidant::client::internal

#endif  // CONFIDANT_CLIENT_INTERNAL_PROFILE_CRYPTO_H_
