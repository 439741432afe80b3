#include "client/internal/profile_crypto.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "base/openssl.h"
#include "base/random.h"

namespace confidant::client::internal {
namespace {

using crypto::SecretBytes;

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

}  // namespace

std::string RandomBytes(size_t n) {
  // Aborts if the generator fails: a predictable nonce would be worse.
  return base::SecureRandom().Bytes(n);
}

std::string Sha256(std::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(Bytes(data), data.size(), reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

Mac HmacSha256(const SecretBytes& key, std::string_view data) {
  Mac out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data),
       data.size(), out.data(), &len);
  return out;
}

absl::StatusOr<SecretBytes> Hkdf(const SecretBytes& ikm,
                                 std::string_view info) {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return absl::InternalError("HKDF is not available");
  base::OpenSslPtr<EVP_KDF_CTX> ctx(EVP_KDF_CTX_new(kdf));
  if (ctx == nullptr) return absl::InternalError("HKDF setup failed");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(ikm.data()), ikm.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
      OSSL_PARAM_construct_end(),
  };
  SecretBytes out_key(kKeySize);
  if (EVP_KDF_derive(ctx.get(), out_key.data(), out_key.size(), params) != 1) {
    return absl::InternalError("HKDF failed");
  }
  return out_key;
}

absl::StatusOr<std::string> GcmSeal(const SecretBytes& key, std::string_view ad,
                                    std::string_view plaintext) {
  base::OpenSslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  std::string out = RandomBytes(kNonceSize);
  out.resize(kNonceSize + plaintext.size() + kTagSize);
  auto* cipher = reinterpret_cast<uint8_t*>(out.data()) + kNonceSize;
  int len = 0;
  if (ctx == nullptr ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                         Bytes(out)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(ad),
                        static_cast<int>(ad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          cipher + plaintext.size()) != 1) {
    return absl::InternalError("AES-GCM encryption failed");
  }
  return out;
}

bool GcmOpen(const SecretBytes& key, std::string_view ad,
             std::string_view sealed, SecretBytes& out_plaintext) {
  if (sealed.size() < kNonceSize + kTagSize) return false;
  const std::string_view nonce = sealed.substr(0, kNonceSize);
  const std::string_view cipher =
      sealed.substr(kNonceSize, sealed.size() - kNonceSize - kTagSize);
  std::array<uint8_t, kTagSize> tag;
  std::memcpy(tag.data(), sealed.data() + sealed.size() - kTagSize, kTagSize);
  base::OpenSslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  SecretBytes plain(cipher.size());
  int len = 0;
  if (ctx == nullptr ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                         Bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(ad),
                        static_cast<int>(ad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain.data(), &len, Bytes(cipher),
                        static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &len) != 1) {
    ERR_clear_error();
    return false;
  }
  out_plaintext = std::move(plain);
  return true;
}

}  // namespace confidant::client::internal
