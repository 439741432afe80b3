#include "base/openssl.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace confidant::base {
namespace {

TEST(OpenSslPtrTest, OwnsAndFreesEachHandleType) {
  OpenSslPtr<EVP_MD_CTX> md(EVP_MD_CTX_new());
  ASSERT_NE(md, nullptr);
  ASSERT_EQ(EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr), 1);
  OpenSslPtr<EVP_CIPHER_CTX> cipher(EVP_CIPHER_CTX_new());
  OpenSslPtr<BIGNUM> bn(BN_new());
  OpenSslPtr<BN_CTX> bn_ctx(BN_CTX_new());
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  OpenSslPtr<EVP_PKEY_CTX> pkey_ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr));
  EXPECT_TRUE(cipher && bn && bn_ctx && bio && pkey_ctx);
  ASSERT_EQ(EVP_PKEY_keygen_init(pkey_ctx.get()), 1);
  EVP_PKEY* raw = nullptr;
  ASSERT_EQ(EVP_PKEY_keygen(pkey_ctx.get(), &raw), 1);
  OpenSslPtr<EVP_PKEY> key(raw);
  OpenSslPtr<EVP_PKEY> moved = std::move(key);
  EXPECT_EQ(key, nullptr);
  EXPECT_EQ(moved.get(), raw);
  OpenSslPtr<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  ASSERT_NE(kdf, nullptr);
  OpenSslPtr<EVP_KDF_CTX> kdf_ctx(EVP_KDF_CTX_new(kdf.get()));
  OpenSslPtr<EVP_MAC> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  ASSERT_NE(mac, nullptr);
  OpenSslPtr<EVP_MAC_CTX> mac_ctx(EVP_MAC_CTX_new(mac.get()));
  EXPECT_TRUE(kdf_ctx && mac_ctx);
  OpenSslPtr<EVP_MD_CTX> empty;  // freeing nothing is fine
  empty.reset();
}

}  // namespace
}  // namespace confidant::base
