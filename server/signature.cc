#include "server/signature.h"

#include <openssl/bn.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

#include "base/openssl.h"

namespace confidant::server {
namespace {

// Edwards y (little-endian, 32 bytes) for Montgomery u (little-endian).
bool MontgomeryToEdwardsY(const unsigned char* u_le, unsigned char* out_y_le) {
  std::array<unsigned char, 32> u_be;
  std::reverse_copy(u_le, u_le + 32, u_be.begin());
  u_be[0] &= 0x7f;  // bit 255 is not part of the coordinate
  base::OpenSslPtr<BN_CTX> ctx(BN_CTX_new());
  base::OpenSslPtr<BIGNUM> p(BN_new()), u(BN_bin2bn(u_be.data(), 32, nullptr)),
      one(BN_new()), num(BN_new()), den(BN_new()), inv(BN_new()), y(BN_new());
  if (!ctx || !p || !u || !one || !num || !den || !inv || !y) return false;
  // p = 2^255 - 19
  if (!BN_set_bit(p.get(), 255) || !BN_sub_word(p.get(), 19) ||
      !BN_one(one.get()) || !BN_nnmod(u.get(), u.get(), p.get(), ctx.get()) ||
      !BN_mod_sub(num.get(), u.get(), one.get(), p.get(), ctx.get()) ||
      !BN_mod_add(den.get(), u.get(), one.get(), p.get(), ctx.get())) {
    return false;
  }
  if (BN_is_zero(den.get())) return false;  // u = -1 has no Edwards image
  if (BN_mod_inverse(inv.get(), den.get(), p.get(), ctx.get()) == nullptr ||
      !BN_mod_mul(y.get(), num.get(), inv.get(), p.get(), ctx.get())) {
    return false;
  }
  return BN_bn2lebinpad(y.get(), out_y_le, 32) == 32;
}

// Whether the 32-byte little-endian u, read as a 256-bit number, is below
// p = 2^255 - 19.
bool IsCanonical(const unsigned char* u_le) {
  if (u_le[31] < 0x7f) return true;
  if (u_le[31] > 0x7f) return false;
  for (int i = 30; i >= 1; --i) {
    if (u_le[i] != 0xff) return true;
  }
  return u_le[0] < 0xed;  // p's lowest byte
}

}  // namespace

PublicKeyProblem CheckCurve25519PublicKey(std::string_view public_key) {
  if (public_key.size() != kSerializedPublicKeySize ||
      static_cast<unsigned char>(public_key[0]) != kCurve25519KeyType) {
    return PublicKeyProblem::kMalformed;
  }
  const auto* u = reinterpret_cast<const unsigned char*>(public_key.data()) + 1;
  if (!IsCanonical(u)) return PublicKeyProblem::kNonCanonical;
  // Any fixed scalar will do: X25519 clamps it to a multiple of 8, which
  // takes every point of order 1, 2, 4 or 8 to the neutral element.
  static constexpr unsigned char kScalar[32] = {
      0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1,
      0x72, 0x51, 0xb2, 0x66, 0x45, 0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0,
      0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a};
  base::OpenSslPtr<EVP_PKEY> mine(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_X25519, nullptr, kScalar, sizeof(kScalar)));
  base::OpenSslPtr<EVP_PKEY> theirs(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, u, 32));
  if (!mine || !theirs) return PublicKeyProblem::kSmallOrder;
  base::OpenSslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new(mine.get(), nullptr));
  std::array<unsigned char, 32> shared{};
  size_t size = shared.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), theirs.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), shared.data(), &size) != 1 ||
      size != shared.size() ||
      std::all_of(shared.begin(), shared.end(),
                  [](unsigned char b) { return b == 0; })) {
    return PublicKeyProblem::kSmallOrder;
  }
  return PublicKeyProblem::kNone;
}

bool VerifyXeddsaSignature(std::string_view public_key,
                           std::string_view message,
                           std::string_view signature) {
  if (public_key.size() != kSerializedPublicKeySize ||
      static_cast<unsigned char>(public_key[0]) != kCurve25519KeyType ||
      signature.size() != kSignatureSize) {
    return false;
  }
  std::array<unsigned char, 32> ed_public;
  if (!MontgomeryToEdwardsY(
          reinterpret_cast<const unsigned char*>(public_key.data()) + 1,
          ed_public.data())) {
    return false;
  }
  std::array<unsigned char, 64> sig;
  std::copy(signature.begin(), signature.end(), sig.begin());
  ed_public[31] =
      static_cast<unsigned char>((ed_public[31] & 0x7f) | (sig[63] & 0x80));
  sig[63] &= 0x7f;

  base::OpenSslPtr<EVP_PKEY> key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, ed_public.data(), ed_public.size()));
  if (!key) return false;
  base::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr,
                                   key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(
             ctx.get(), sig.data(), sig.size(),
             reinterpret_cast<const unsigned char*>(message.data()),
             message.size()) == 1;
}

}  // namespace confidant::server
