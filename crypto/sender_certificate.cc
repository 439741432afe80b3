#include "crypto/sender_certificate.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/bytes.h"
#include "base/hex.h"
#include "base/openssl.h"
#include "crypto/errors.h"

namespace confidant::crypto {
namespace {

constexpr size_t kAccountIdBytes = 16;
constexpr size_t kIdentityKeyBytes = 33;
constexpr uint8_t kCurve25519Type = 0x05;
constexpr size_t kSignedSize = kSenderCertificateSize - kRelaySignatureSize;
// Context labels, each ending in a zero byte, so that no signature of one
// kind can be taken for another.
constexpr std::string_view kCertificateLabel{
    "confidant sender certificate v1\0", 32};
constexpr std::string_view kEndorsementLabel{"confidant relay key v1\0", 23};
constexpr std::string_view kFingerprintLabel{
    "confidant relay key fingerprint v1\0", 35};
// Relay key ring encoding: version, key count, then per key
// id | public key | created hour | endorsement length (u8) | endorsement.
constexpr uint8_t kRingVersion = 1;
constexpr uint32_t kMaxRingKeys = 100000;

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

void PutU32(uint32_t v, std::string& out) { base::PutBigEndian(out, v, 4); }

uint32_t GetU32(std::string_view in) {
  return static_cast<uint32_t>(base::GetBigEndian(in, 4));
}

bool IsIdentityKey(std::string_view key) {
  return key.size() == kIdentityKeyBytes &&
         static_cast<uint8_t>(key[0]) == kCurve25519Type;
}

absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> PrivateKey(const SecretBytes& seed) {
  if (seed.size() != kRelaySeedSize) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "a relay key seed is 32 bytes");
  }
  base::OpenSslPtr<EVP_PKEY> key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (key == nullptr) {
    return CryptoStatus(CryptoError::kInternal,
                        "OpenSSL rejected an Ed25519 key");
  }
  return key;
}

// Accepts every relay key from `chain` after `known` (the ring so far),
// checking each against its predecessor; appends them to `out`.
absl::Status CheckChainAfter(const std::vector<RelayPublicKey>& known,
                             const std::vector<RelayPublicKey>& chain,
                             std::vector<RelayPublicKey>& out) {
  out = known;
  for (size_t i = 0; i < chain.size(); ++i) {
    const RelayPublicKey& key = chain[i];
    if (key.public_key.size() != kRelayPublicKeySize ||
        key.id != static_cast<uint32_t>(i + 1)) {
      return CryptoStatus(CryptoError::kInvalidKey,
                          "a relay key chain must hold keys 1, 2, 3, ... of "
                          "32 bytes each");
    }
    if (i < known.size()) {
      if (known[i].public_key != key.public_key ||
          known[i].created_hour != key.created_hour) {
        return CryptoStatus(
            CryptoError::kInvalidKey,
            absl::StrCat("the relay presents another key ", key.id,
                         " than the one this client trusts"));
      }
      continue;
    }
    if (i == 0) {
      if (!key.endorsement.empty()) {
        return CryptoStatus(CryptoError::kInvalidKey,
                            "relay key 1 carries no endorsement");
      }
    } else {
      const RelayPublicKey& previous = out[i - 1];
      if (key.created_hour < previous.created_hour) {
        return CryptoStatus(CryptoError::kInvalidKey,
                            "a relay key older than its predecessor");
      }
      if (!VerifyRelaySignature(previous.public_key, key.EndorsedBytes(),
                                key.endorsement)) {
        return CryptoStatus(
            CryptoError::kBadSignature,
            absl::StrCat("relay key ", key.id,
                         " is not endorsed by the key before it"));
      }
    }
    out.push_back(key);
  }
  return absl::OkStatus();
}

}  // namespace

std::string SenderCertificate::SignedBytes() const {
  std::string out(kCertificateLabel);
  const std::string wire = Serialize();
  out.append(wire, 0, kSignedSize);
  return out;
}

std::string SenderCertificate::Serialize() const {
  std::string out;
  out.reserve(kSenderCertificateSize);
  out.push_back(static_cast<char>(kSenderCertificateVersion));
  out.append(account_id);
  out.append(identity_key);
  PutU32(expiry_hour, out);
  PutU32(signer_key_id, out);
  out.append(signature);
  return out;
}

absl::StatusOr<SenderCertificate> ParseSenderCertificate(
    std::string_view bytes) {
  if (bytes.empty()) {
    return CryptoStatus(CryptoError::kTruncated,
                        "the sender certificate is empty");
  }
  if (static_cast<uint8_t>(bytes[0]) != kSenderCertificateVersion) {
    return CryptoStatus(
        CryptoError::kBadVersion,
        absl::StrCat("unknown sender certificate version ",
                     static_cast<int>(static_cast<uint8_t>(bytes[0]))));
  }
  if (bytes.size() < kSenderCertificateSize) {
    return CryptoStatus(CryptoError::kTruncated,
                        "the sender certificate is truncated");
  }
  if (bytes.size() > kSenderCertificateSize) {
    return CryptoStatus(CryptoError::kTooLarge,
                        "the sender certificate has trailing bytes");
  }
  SenderCertificate out;
  size_t at = 1;
  out.account_id = std::string(bytes.substr(at, kAccountIdBytes));
  at += kAccountIdBytes;
  out.identity_key = std::string(bytes.substr(at, kIdentityKeyBytes));
  at += kIdentityKeyBytes;
  out.expiry_hour = GetU32(bytes.substr(at, 4));
  at += 4;
  out.signer_key_id = GetU32(bytes.substr(at, 4));
  at += 4;
  out.signature = std::string(bytes.substr(at, kRelaySignatureSize));
  if (!IsIdentityKey(out.identity_key)) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "the certified identity key lacks the 0x05 prefix");
  }
  return out;
}

std::string RelayPublicKey::EndorsedBytes() const {
  std::string out(kEndorsementLabel);
  PutU32(id, out);
  out.append(public_key);
  PutU32(created_hour, out);
  return out;
}

std::string RelayKeyFingerprint(std::string_view public_key) {
  std::string input(kFingerprintLabel);
  input.append(public_key);
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(input), input.size(), digest);
  // The first 20 bytes, in groups of four hex digits.
  const std::string hex =
      base::HexEncode(std::string_view(reinterpret_cast<char*>(digest), 20));
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 4) {
    if (i > 0) out.push_back(' ');
    out.append(hex, i, 4);
  }
  return out;
}

bool VerifyRelaySignature(std::string_view public_key, std::string_view message,
                          std::string_view signature) {
  if (public_key.size() != kRelayPublicKeySize ||
      signature.size() != kRelaySignatureSize) {
    return false;
  }
  base::OpenSslPtr<EVP_PKEY> key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, Bytes(public_key), public_key.size()));
  base::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (key == nullptr || ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) !=
          1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(),
                          Bytes(message), message.size()) == 1;
}

absl::StatusOr<RelaySigningKey> RelaySigningKey::Generate(
    uint32_t id, uint32_t created_hour) {
  SecretBytes seed(kRelaySeedSize);
  if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) != 1) {
    return CryptoStatus(CryptoError::kInternal, "random generator failed");
  }
  return FromSeed(id, created_hour, seed);
}

absl::StatusOr<RelaySigningKey> RelaySigningKey::FromSeed(
    uint32_t id, uint32_t created_hour, const SecretBytes& seed) {
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> key = PrivateKey(seed);
  if (!key.ok()) return key.status();
  std::string public_key(kRelayPublicKeySize, '\0');
  size_t size = public_key.size();
  if (EVP_PKEY_get_raw_public_key(key->get(),
                                  reinterpret_cast<uint8_t*>(public_key.data()),
                                  &size) != 1 ||
      size != kRelayPublicKeySize) {
    return CryptoStatus(CryptoError::kInternal,
                        "cannot read an Ed25519 public key");
  }
  return RelaySigningKey(id, created_hour, std::move(public_key), seed.Clone());
}

absl::StatusOr<std::string> RelaySigningKey::Sign(
    std::string_view message) const {
  absl::StatusOr<base::OpenSslPtr<EVP_PKEY>> key = PrivateKey(seed_);
  if (!key.ok()) return key.status();
  base::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::string out(kRelaySignatureSize, '\0');
  size_t size = out.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) !=
          1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<uint8_t*>(out.data()), &size,
                     Bytes(message), message.size()) != 1 ||
      size != kRelaySignatureSize) {
    return CryptoStatus(CryptoError::kInternal, "Ed25519 signing failed");
  }
  return out;
}

absl::StatusOr<SenderCertificate> RelaySigningKey::Issue(
    std::string_view account_id, std::string_view identity_key,
    uint32_t expiry_hour) const {
  if (account_id.size() != kAccountIdBytes || !IsIdentityKey(identity_key)) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "a certificate names a 16-byte account id and a "
                        "33-byte identity key");
  }
  SenderCertificate out;
  out.account_id = std::string(account_id);
  out.identity_key = std::string(identity_key);
  out.expiry_hour = expiry_hour;
  out.signer_key_id = id_;
  out.signature = std::string(kRelaySignatureSize, '\0');
  absl::StatusOr<std::string> signature = Sign(out.SignedBytes());
  if (!signature.ok()) return signature.status();
  out.signature = *std::move(signature);
  return out;
}

RelayPublicKey RelaySigningKey::Published(std::string endorsement) const {
  return RelayPublicKey{id_, public_key_, created_hour_,
                        std::move(endorsement)};
}

absl::StatusOr<std::string> RelaySigningKey::Endorse(
    const RelayPublicKey& next) const {
  if (next.id != id_ + 1 || next.public_key.size() != kRelayPublicKeySize) {
    return CryptoStatus(CryptoError::kInvalidKey,
                        "a relay key endorses only the key with the next id");
  }
  return Sign(next.EndorsedBytes());
}

absl::StatusOr<RelayKeyRing> RelayKeyRing::FromChain(
    const std::vector<RelayPublicKey>& chain) {
  if (chain.empty()) {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "the relay published no keys");
  }
  std::vector<RelayPublicKey> keys;
  if (absl::Status s = CheckChainAfter({}, chain, keys); !s.ok()) return s;
  return RelayKeyRing(std::move(keys));
}

absl::Status RelayKeyRing::Extend(const std::vector<RelayPublicKey>& chain) {
  std::vector<RelayPublicKey> keys;
  if (absl::Status s = CheckChainAfter(keys_, chain, keys); !s.ok()) return s;
  keys_ = std::move(keys);
  return absl::OkStatus();
}

const RelayPublicKey* RelayKeyRing::Find(uint32_t id) const {
  if (id == 0 || id > keys_.size()) return nullptr;
  return &keys_[id - 1];
}

absl::Status RelayKeyRing::CheckTimes(const SenderCertificate& certificate,
                                      uint32_t at_hour) const {
  const RelayPublicKey* signer = Find(certificate.signer_key_id);
  if (signer == nullptr) {
    return CryptoStatus(
        CryptoError::kUnknownRelayKey,
        absl::StrCat("the sender certificate is signed by relay key ",
                     certificate.signer_key_id, ", which is not known here"));
  }
  const uint64_t expiry = certificate.expiry_hour;
  if (expiry <= at_hour) {
    return CryptoStatus(CryptoError::kCertificateExpired,
                        "the sender certificate had expired when the "
                        "envelope reached the relay");
  }
  // One hour of slack for a relay whose hour turned while it issued.
  if (expiry > uint64_t{at_hour} + kSenderCertificateLifetimeHours + 1) {
    return CryptoStatus(CryptoError::kCertificateExpired,
                        "the sender certificate claims a longer validity "
                        "than the relay ever gives");
  }
  if (const RelayPublicKey* successor = Find(signer->id + 1);
      successor != nullptr && expiry > uint64_t{successor->created_hour} +
                                           kSenderCertificateLifetimeHours +
                                           1) {
    return CryptoStatus(CryptoError::kCertificateExpired,
                        "the sender certificate outlives the retirement of "
                        "the relay key that signed it");
  }
  return absl::OkStatus();
}

absl::Status RelayKeyRing::Verify(const SenderCertificate& certificate,
                                  uint32_t at_hour) const {
  // The signature first: a forgery is reported as one, whatever it claims.
  const RelayPublicKey* signer = Find(certificate.signer_key_id);
  if (signer == nullptr) return CheckTimes(certificate, at_hour);
  if (!VerifyRelaySignature(signer->public_key, certificate.SignedBytes(),
                            certificate.signature)) {
    return CryptoStatus(CryptoError::kBadSignature,
                        "the sender certificate is not signed by the relay: "
                        "forged or altered");
  }
  return CheckTimes(certificate, at_hour);
}

std::string RelayKeyRing::RootFingerprint() const {
  return keys_.empty() ? "" : RelayKeyFingerprint(keys_.front().public_key);
}

std::string RelayKeyRing::Serialize() const {
  std::string out;
  out.push_back(static_cast<char>(kRingVersion));
  PutU32(static_cast<uint32_t>(keys_.size()), out);
  for (const RelayPublicKey& key : keys_) {
    PutU32(key.id, out);
    out.append(key.public_key);
    PutU32(key.created_hour, out);
    out.push_back(static_cast<char>(key.endorsement.size()));
    out.append(key.endorsement);
  }
  return out;
}

absl::StatusOr<RelayKeyRing> RelayKeyRing::Parse(std::string_view bytes) {
  auto malformed = [] {
    return CryptoStatus(CryptoError::kInvalidMessage,
                        "the stored relay keys are malformed");
  };
  if (bytes.size() < 5 || static_cast<uint8_t>(bytes[0]) != kRingVersion) {
    return malformed();
  }
  const uint32_t count = GetU32(bytes.substr(1, 4));
  if (count == 0 || count > kMaxRingKeys) return malformed();
  std::vector<RelayPublicKey> chain;
  size_t at = 5;
  for (uint32_t i = 0; i < count; ++i) {
    if (bytes.size() - at < 4 + kRelayPublicKeySize + 4 + 1) {
      return malformed();
    }
    RelayPublicKey key;
    key.id = GetU32(bytes.substr(at, 4));
    at += 4;
    key.public_key = std::string(bytes.substr(at, kRelayPublicKeySize));
    at += kRelayPublicKeySize;
    key.created_hour = GetU32(bytes.substr(at, 4));
    at += 4;
    const size_t endorsement_size = static_cast<uint8_t>(bytes[at]);
    at += 1;
    if (bytes.size() - at < endorsement_size) return malformed();
    key.endorsement = std::string(bytes.substr(at, endorsement_size));
    at += endorsement_size;
    chain.push_back(std::move(key));
  }
  if (at != bytes.size()) return malformed();
  return FromChain(chain);
}

SenderCertificateVerifier::SenderCertificateVerifier(RelayKeyRing ring)
    : ring_(std::move(ring)) {}

absl::Status SenderCertificateVerifier::Verify(
    const SenderCertificate& certificate, uint32_t at_hour) {
  const std::string wire = certificate.Serialize();
  {
    absl::MutexLock lock(&mu_);
    if (verified_.contains(wire)) return ring_.CheckTimes(certificate, at_hour);
  }
  // The signature check runs without the lock: a ring only ever grows, and a
  // key once known never changes.
  RelayKeyRing ring = this->ring();
  if (absl::Status s = ring.Verify(certificate, at_hour); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  if (verified_.size() >= kMaxCached) verified_.clear();
  verified_.insert(wire);
  return absl::OkStatus();
}

absl::Status SenderCertificateVerifier::Extend(
    const std::vector<RelayPublicKey>& chain) {
  absl::MutexLock lock(&mu_);
  return ring_.Extend(chain);
}

RelayKeyRing SenderCertificateVerifier::ring() const {
  absl::MutexLock lock(&mu_);
  return ring_;
}

}  // namespace confidant::crypto
