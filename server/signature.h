// Checks libsignal's signed pre-key signatures, and Curve25519 public keys,
// with OpenSSL alone, so the relay can reject a bad signed pre-key or a
// degenerate key without linking libsignal.
//
// libsignal signs with XEdDSA over Curve25519: the signer's Montgomery public
// key u maps to the Edwards point with y = (u - 1) / (u + 1) mod 2^255 - 19,
// whose sign bit travels in the top bit of the signature's last byte; the rest
// is a standard Ed25519 signature.
#ifndef CONFIDANT_SERVER_SIGNATURE_H_
#define CONFIDANT_SERVER_SIGNATURE_H_

#include <string_view>

#include "confidant/v1/wire.h"

namespace confidant::server {

// Serialized Curve25519 public keys are 33 bytes: this type byte, then 32.
inline constexpr unsigned char kCurve25519KeyType = 0x05;
inline constexpr size_t kSerializedPublicKeySize = wire::kPublicKeySize;
inline constexpr size_t kSignatureSize = wire::kSignatureSize;

// True iff `signature` is a valid XEdDSA signature of `message` by the
// serialized Curve25519 key `public_key`. Any malformed input gives false.
bool VerifyXeddsaSignature(std::string_view public_key,
                           std::string_view message,
                           std::string_view signature);

// What is wrong with a serialized Curve25519 public key, if anything.
enum class PublicKeyProblem {
  kNone,
  kMalformed,     // not 33 bytes, or a type byte other than 0x05
  kNonCanonical,  // u (all 256 bits) is not below p = 2^255 - 19
  kSmallOrder,    // u has order 1, 2, 4 or 8 (on the curve or its twist):
                  // every Diffie-Hellman with it gives the same few results
};

// Checks the encoding, then runs X25519 with a fixed scalar on u: for a
// point of small order the result is all zeros, which OpenSSL refuses.
// Never fails otherwise; any input is safe.
PublicKeyProblem CheckCurve25519PublicKey(std::string_view public_key);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_SIGNATURE_H_
