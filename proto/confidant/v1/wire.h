// What the relay and every client of confidant.v1 must agree on besides the
// messages in relay.proto: the metadata that carries credentials, the sizes
// of ids and the limits of a call. Header-only, no dependencies.
#ifndef CONFIDANT_PROTO_CONFIDANT_V1_WIRE_H_
#define CONFIDANT_PROTO_CONFIDANT_V1_WIRE_H_

#include <cstddef>
#include <cstdint>

namespace confidant::wire {

// Call metadata of every authenticated call: the account id and the account
// secret, as binary values (gRPC base64-encodes "-bin" headers itself).
inline constexpr char kAccountHeader[] = "x-confidant-account-bin";
inline constexpr char kSecretHeader[] = "x-confidant-secret-bin";

// An account id, chosen by the relay at registration.
inline constexpr size_t kAccountIdSize = 16;
// The account secret the relay hands out once, at registration.
inline constexpr size_t kSecretSize = 32;
// Case and message ids, chosen at random by the client that creates them;
// the relay never sees them (they travel inside sealed envelopes).
inline constexpr size_t kCaseIdSize = 16;
inline constexpr size_t kMessageIdSize = 16;

// The largest sealed envelope Send accepts, in bytes (the largest padding
// bucket).
inline constexpr size_t kMaxEnvelopeSize = 262144;
// The most seqs one Ack may name.
inline constexpr size_t kMaxAcksPerCall = 1000;
// The most one-time pre-keys one UploadKeys may carry (the relay's default
// limits.max_pre_keys_per_upload).
inline constexpr uint32_t kMaxOneTimePreKeysPerUpload = 100;

// Keys and signatures as UploadKeys takes them: a 33-byte Curve25519 key
// (0x05 prefix) and a 64-byte XEdDSA signature; key ids fit 24 bits and
// registration ids libsignal's range.
inline constexpr size_t kPublicKeySize = 33;
inline constexpr size_t kSignatureSize = 64;
inline constexpr uint32_t kMaxKeyId = 0xFFFFFF;
inline constexpr uint32_t kMaxRegistrationId = 16380;
// A trust person's public profile: bytes of UTF-8 and number of languages.
inline constexpr size_t kMaxNameBytes = 120;
inline constexpr size_t kMaxIntroBytes = 1000;
inline constexpr size_t kMaxLanguages = 10;

}  // namespace confidant::wire

#endif  // CONFIDANT_PROTO_CONFIDANT_V1_WIRE_H_
