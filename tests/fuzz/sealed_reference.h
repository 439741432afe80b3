// A second, independent implementation of the sealed envelope format
// (docs/protocol.md) on plain OpenSSL calls. Tests use it to cross-check
// crypto/sealed.cc and to build authentic envelopes whose inner plaintext is
// deliberately malformed; the Unseal fuzzer uses it to reach the inner parser.
// Test-only: no input validation, and it returns "" on any OpenSSL failure.
#ifndef CONFIDANT_TESTS_FUZZ_SEALED_REFERENCE_H_
#define CONFIDANT_TESTS_FUZZ_SEALED_REFERENCE_H_

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/openssl.h"

namespace confidant::testing {

namespace sealed_reference_internal {
inline const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace sealed_reference_internal

// The X25519 public key (32 bytes) of a 32-byte private key, or "".
inline std::string ReferenceX25519Public(std::string_view private_key) {
  using sealed_reference_internal::U;
  base::OpenSslPtr<EVP_PKEY> key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_X25519, nullptr, U(private_key), private_key.size()));
  std::string out(32, '\0');
  size_t len = out.size();
  if (key == nullptr ||
      EVP_PKEY_get_raw_public_key(
          key.get(), reinterpret_cast<unsigned char*>(out.data()), &len) != 1) {
    return "";
  }
  return out;
}

// version 2 | X25519 public of `ephemeral_private` | AES-256-GCM(`inner`) |
// tag, keyed for `recipient_identity_key` (33 bytes) and bound to
// `recipient_account_id`. `inner` is encrypted as given, without padding.
inline std::string ReferenceSealInner(std::string_view inner,
                                      std::string_view ephemeral_private,
                                      std::string_view recipient_identity_key,
                                      std::string_view recipient_account_id) {
  using sealed_reference_internal::U;
  const std::string ephemeral_public = ReferenceX25519Public(ephemeral_private);
  base::OpenSslPtr<EVP_PKEY> own(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_X25519, nullptr, U(ephemeral_private), 32));
  base::OpenSslPtr<EVP_PKEY> peer(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_X25519, nullptr, U(recipient_identity_key.substr(1)), 32));
  if (ephemeral_public.empty() || own == nullptr || peer == nullptr) {
    return "";
  }
  base::OpenSslPtr<EVP_PKEY_CTX> dh(
      EVP_PKEY_CTX_new_from_pkey(nullptr, own.get(), nullptr));
  unsigned char shared[32];
  size_t shared_len = sizeof(shared);
  if (dh == nullptr || EVP_PKEY_derive_init(dh.get()) != 1 ||
      EVP_PKEY_derive_set_peer(dh.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(dh.get(), shared, &shared_len) != 1) {
    return "";
  }

  std::string salt = ephemeral_public + std::string(recipient_identity_key);
  char digest[] = "SHA256";
  char info[] = "confidant sealed sender v2";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, shared,
                                        sizeof(shared)),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt.data(),
                                        salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info,
                                        sizeof(info) - 1),
      OSSL_PARAM_construct_end()};
  base::OpenSslPtr<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (kdf == nullptr) {
    return "";
  }
  base::OpenSslPtr<EVP_KDF_CTX> kctx(EVP_KDF_CTX_new(kdf.get()));
  unsigned char key_nonce[44];
  if (kctx == nullptr ||
      EVP_KDF_derive(kctx.get(), key_nonce, sizeof(key_nonce), params) != 1) {
    return "";
  }

  std::string ad = "\x02" + ephemeral_public +
                   std::string(recipient_identity_key) +
                   std::string(recipient_account_id);
  std::string out = "\x02" + ephemeral_public;
  out.resize(out.size() + inner.size() + 16);
  unsigned char* ct = reinterpret_cast<unsigned char*>(out.data()) + 33;
  base::OpenSslPtr<EVP_CIPHER_CTX> gcm(EVP_CIPHER_CTX_new());
  int len = 0;
  if (gcm == nullptr ||
      EVP_EncryptInit_ex(gcm.get(), EVP_aes_256_gcm(), nullptr, key_nonce,
                         key_nonce + 32) != 1 ||
      EVP_EncryptUpdate(gcm.get(), nullptr, &len, U(ad),
                        static_cast<int>(ad.size())) != 1 ||
      EVP_EncryptUpdate(gcm.get(), ct, &len, U(inner),
                        static_cast<int>(inner.size())) != 1 ||
      EVP_EncryptFinal_ex(gcm.get(), ct + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(gcm.get(), EVP_CTRL_GCM_GET_TAG, 16,
                          ct + inner.size()) != 1) {
    return "";
  }
  return out;
}

// Fields of the sender certificates the references build: the sealed layer
// checks a certificate's layout, never its signature.
inline constexpr uint32_t kReferenceExpiryHour = 0x00070809;
inline constexpr uint32_t kReferenceSignerKeyId = 1;
inline constexpr char kReferenceSignatureByte = '\xab';

// A sender certificate's wire form (docs/protocol.md §4.1): version 1 |
// account id | identity key | expiry hour | signer key id (big-endian 32) |
// a signature of 64 kReferenceSignatureByte.
inline std::string ReferenceCertificate(std::string_view account_id,
                                        std::string_view identity_key) {
  std::string out(1, '\x01');
  out.append(account_id);
  out.append(identity_key);
  for (uint32_t v : {kReferenceExpiryHour, kReferenceSignerKeyId}) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((v >> shift) & 0xff));
    }
  }
  out.append(64, kReferenceSignatureByte);
  return out;
}

// The inner plaintext layout: sender certificate (of the account id and
// identity key, as ReferenceCertificate builds it) | message type | message
// length (big-endian 32) | message | `padding` zeros.
inline std::string ReferenceInner(std::string_view sender_account_id,
                                  std::string_view sender_identity_key,
                                  uint8_t message_type,
                                  uint32_t declared_length,
                                  std::string_view message, size_t padding) {
  std::string out =
      ReferenceCertificate(sender_account_id, sender_identity_key);
  out.push_back(static_cast<char>(message_type));
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((declared_length >> shift) & 0xff));
  }
  out.append(message);
  out.append(padding, '\0');
  return out;
}

}  // namespace confidant::testing

#endif  // CONFIDANT_TESTS_FUZZ_SEALED_REFERENCE_H_
