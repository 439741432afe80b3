// Owners for OpenSSL's C handles, after boringssl's bssl::UniquePtr:
// base::OpenSslPtr<EVP_PKEY> frees with EVP_PKEY_free, and so on. Only .cc
// files include this (OpenSSL stays out of other modules' public headers);
// their target links OpenSSL::Crypto.
#ifndef CONFIDANT_BASE_OPENSSL_H_
#define CONFIDANT_BASE_OPENSSL_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>

namespace confidant::base {

// The free function of one OpenSSL type; specialised below for each type we
// own. Freeing nullptr is a no-op, as in OpenSSL.
template <typename T>
struct OpenSslDeleter;

#define CONFIDANT_OPENSSL_DELETER(type, free_function)   \
  template <>                                            \
  struct OpenSslDeleter<type> {                          \
    void operator()(type* p) const { free_function(p); } \
  }

CONFIDANT_OPENSSL_DELETER(BIGNUM, BN_free);
CONFIDANT_OPENSSL_DELETER(BN_CTX, BN_CTX_free);
CONFIDANT_OPENSSL_DELETER(BIO, BIO_free_all);
CONFIDANT_OPENSSL_DELETER(EVP_CIPHER_CTX, EVP_CIPHER_CTX_free);
CONFIDANT_OPENSSL_DELETER(EVP_KDF, EVP_KDF_free);
CONFIDANT_OPENSSL_DELETER(EVP_KDF_CTX, EVP_KDF_CTX_free);
CONFIDANT_OPENSSL_DELETER(EVP_MAC, EVP_MAC_free);
CONFIDANT_OPENSSL_DELETER(EVP_MAC_CTX, EVP_MAC_CTX_free);
CONFIDANT_OPENSSL_DELETER(EVP_MD_CTX, EVP_MD_CTX_free);
CONFIDANT_OPENSSL_DELETER(EVP_PKEY, EVP_PKEY_free);
CONFIDANT_OPENSSL_DELETER(EVP_PKEY_CTX, EVP_PKEY_CTX_free);

#undef CONFIDANT_OPENSSL_DELETER

// Sole owner of an OpenSSL handle; frees it with the type's own function.
template <typename T>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T>>;

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_OPENSSL_H_
