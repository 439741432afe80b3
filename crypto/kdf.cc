#include "crypto/kdf.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "crypto/errors.h"

namespace confidant::crypto {
namespace {

constexpr size_t kMaxArgon2Input = std::numeric_limits<uint32_t>::max();

}  // namespace

absl::StatusOr<SecretBytes> Argon2id(std::string_view password,
                                     std::string_view salt,
                                     std::string_view secret,
                                     std::string_view associated_data,
                                     const Argon2Params& params,
                                     size_t key_size) {
  if (password.size() > kMaxArgon2Input || salt.size() > kMaxArgon2Input ||
      secret.size() > kMaxArgon2Input ||
      associated_data.size() > kMaxArgon2Input || key_size > kMaxArgon2Input) {
    return CryptoStatus(CryptoError::kTooLarge, "Argon2 input too large");
  }
  // libargon2 takes non-const pointers; these copies are wiped on return.
  SecretBytes pwd = SecretBytes::CopyOf(password);
  SecretBytes salt_copy = SecretBytes::CopyOf(salt);
  SecretBytes secret_copy = SecretBytes::CopyOf(secret);
  SecretBytes ad = SecretBytes::CopyOf(associated_data);
  SecretBytes out_key(key_size);

  argon2_context ctx = {};
  ctx.out = out_key.data();
  ctx.outlen = static_cast<uint32_t>(out_key.size());
  ctx.pwd = pwd.data();
  ctx.pwdlen = static_cast<uint32_t>(pwd.size());
  ctx.salt = salt_copy.data();
  ctx.saltlen = static_cast<uint32_t>(salt_copy.size());
  ctx.secret = secret_copy.empty() ? nullptr : secret_copy.data();
  ctx.secretlen = static_cast<uint32_t>(secret_copy.size());
  ctx.ad = ad.empty() ? nullptr : ad.data();
  ctx.adlen = static_cast<uint32_t>(ad.size());
  ctx.t_cost = params.t_cost;
  ctx.m_cost = params.m_cost_kib;
  ctx.lanes = params.parallelism;
  ctx.threads = params.parallelism;
  ctx.version = ARGON2_VERSION_13;
  ctx.flags = ARGON2_DEFAULT_FLAGS;

  const int rc = argon2_ctx(&ctx, Argon2_id);
  if (rc == ARGON2_OK) return out_key;
  const std::string reason = argon2_error_message(rc);
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR || rc == ARGON2_THREAD_FAIL) {
    return CryptoStatus(CryptoError::kInternal,
                        absl::StrCat("Argon2id failed: ", reason));
  }
  return CryptoStatus(CryptoError::kInvalidKey,
                      absl::StrCat("Argon2id rejected its input: ", reason));
}

absl::StatusOr<SecretBytes> DerivePassphraseKey(std::string_view passphrase,
                                                std::string_view salt,
                                                const Argon2Params& params,
                                                size_t key_size) {
  if (passphrase.empty()) {
    return CryptoStatus(CryptoError::kInvalidKey, "passphrase is empty");
  }
  if (salt.size() != kPassphraseSaltSize) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        absl::StrCat("salt must be ", kPassphraseSaltSize,
                                     " bytes, not ", salt.size()));
  }
  if (key_size < kMinDerivedKeySize || key_size > kMaxDerivedKeySize) {
    return CryptoStatus(
        CryptoError::kInvalidKey,
        absl::StrCat("key size ", key_size, " is outside [16, 64]"));
  }
  if (params.t_cost < 1 || params.t_cost > kMaxArgon2TCost) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        absl::StrCat("Argon2 t_cost ", params.t_cost,
                                     " is outside [1, ", kMaxArgon2TCost, "]"));
  }
  if (params.parallelism < 1 || params.parallelism > kMaxArgon2Parallelism) {
    return CryptoStatus(
        CryptoError::kInvalidKey,
        absl::StrCat("Argon2 parallelism ", params.parallelism,
                     " is outside [1, ", kMaxArgon2Parallelism, "]"));
  }
  if (params.m_cost_kib < kMinArgon2MemoryKib ||
      params.m_cost_kib > kMaxArgon2MemoryKib) {
    return CryptoStatus(
        CryptoError::kInvalidKey,
        absl::StrCat("Argon2 m_cost_kib ", params.m_cost_kib, " is outside [",
                     kMinArgon2MemoryKib, ", ", kMaxArgon2MemoryKib, "]"));
  }
  return Argon2id(passphrase, salt, /*secret=*/{}, /*associated_data=*/{},
                  params, key_size);
}

std::string NewSalt() {
  std::string out_salt(kPassphraseSaltSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out_salt.data()),
                 static_cast<int>(out_salt.size())) != 1) {
    std::fputs("confidant: the system random generator failed\n", stderr);
    std::abort();
  }
  return out_salt;
}

}  // namespace confidant::crypto
