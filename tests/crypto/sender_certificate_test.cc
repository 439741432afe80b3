#include "crypto/sender_certificate.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "crypto/errors.h"
#include "crypto/secret.h"
#include "gtest/gtest.h"
#include "tests/testing/vector_file.h"

namespace confidant::crypto {
namespace {

using ::confidant::testing::VectorBlock;

uint32_t Number(const VectorBlock& b, const char* name) {
  uint32_t out = 0;
  EXPECT_TRUE(b.count(name) && absl::SimpleAtoi(b.at(name), &out)) << name;
  return out;
}

std::string Bytes(const VectorBlock& b, const char* name) {
  EXPECT_TRUE(b.count(name)) << name;
  return b.count(name) ? absl::HexStringToBytes(b.at(name)) : "";
}

CryptoError ErrorOf(const absl::Status& status) {
  return GetCryptoError(status);
}

// The vectors of tests/crypto/testdata/sender_certificate_vectors.txt, made
// by an independent implementation (tools/vectors/make_vectors.py).
class SenderCertificateVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const VectorBlock& b : ::confidant::testing::ReadVectorBlocks(
             std::string(CONFIDANT_CRYPTO_TESTDATA) +
             "/sender_certificate_vectors.txt")) {
      if (b.count("kind") == 0) continue;
      (b.at("kind") == "key" ? keys_ : certificates_).push_back(b);
    }
    ASSERT_EQ(keys_.size(), 3u);
    ASSERT_EQ(certificates_.size(), 3u);
    for (const VectorBlock& b : keys_) {
      chain_.push_back(RelayPublicKey{Number(b, "id"), Bytes(b, "public_key"),
                                      Number(b, "created_hour"),
                                      Bytes(b, "endorsement")});
    }
  }

  RelaySigningKey SigningKey(size_t index) const {
    const VectorBlock& b = keys_[index];
    absl::StatusOr<RelaySigningKey> key =
        RelaySigningKey::FromSeed(Number(b, "id"), Number(b, "created_hour"),
                                  SecretBytes::CopyOf(Bytes(b, "seed")));
    EXPECT_TRUE(key.ok()) << key.status();
    return *std::move(key);
  }

  SenderCertificate Certificate(size_t index) const {
    absl::StatusOr<SenderCertificate> c =
        ParseSenderCertificate(Bytes(certificates_[index], "certificate"));
    EXPECT_TRUE(c.ok()) << c.status();
    return c.value_or(SenderCertificate{});
  }

  RelayKeyRing Ring(size_t keys) const {
    absl::StatusOr<RelayKeyRing> ring = RelayKeyRing::FromChain(
        std::vector<RelayPublicKey>(chain_.begin(), chain_.begin() + keys));
    EXPECT_TRUE(ring.ok()) << ring.status();
    return *std::move(ring);
  }

  std::vector<VectorBlock> keys_;
  std::vector<VectorBlock> certificates_;
  std::vector<RelayPublicKey> chain_;
};

TEST_F(SenderCertificateVectors, KeysFingerprintsAndEndorsements) {
  for (size_t i = 0; i < keys_.size(); ++i) {
    const RelaySigningKey key = SigningKey(i);
    EXPECT_EQ(key.public_key(), chain_[i].public_key);
    EXPECT_EQ(RelayKeyFingerprint(key.public_key()),
              keys_[i].at("fingerprint"));
    if (i > 0) {
      // Ed25519 is deterministic: the endorsement is byte for byte the same.
      absl::StatusOr<std::string> endorsement =
          SigningKey(i - 1).Endorse(key.Published(""));
      ASSERT_TRUE(endorsement.ok()) << endorsement.status();
      EXPECT_EQ(absl::BytesToHexString(*endorsement),
                keys_[i].at("endorsement"));
    }
  }
  EXPECT_EQ(Ring(3).RootFingerprint(), keys_[0].at("fingerprint"));
}

TEST_F(SenderCertificateVectors, IssuesTheSameBytes) {
  for (size_t i = 0; i < certificates_.size(); ++i) {
    const VectorBlock& b = certificates_[i];
    const RelaySigningKey key = SigningKey(Number(b, "signer_key_id") - 1);
    absl::StatusOr<SenderCertificate> issued =
        key.Issue(Bytes(b, "account_id"), Bytes(b, "identity_key"),
                  Number(b, "expiry_hour"));
    ASSERT_TRUE(issued.ok()) << issued.status();
    EXPECT_EQ(absl::BytesToHexString(issued->Serialize()), b.at("certificate"));
    EXPECT_EQ(*issued, Certificate(i));
    EXPECT_EQ(issued->Serialize().size(), kSenderCertificateSize);
  }
}

TEST_F(SenderCertificateVectors, RingVerifiesEveryKeysCertificates) {
  const RelayKeyRing ring = Ring(3);
  for (size_t i = 0; i < certificates_.size(); ++i) {
    const SenderCertificate c = Certificate(i);
    EXPECT_TRUE(ring.Verify(c, c.expiry_hour - 1).ok()) << i;
    EXPECT_TRUE(
        ring.Verify(c, c.expiry_hour - kSenderCertificateLifetimeHours + 1)
            .ok())
        << i;
  }
}

TEST_F(SenderCertificateVectors, EveryAlteredByteIsCaught) {
  const RelayKeyRing ring = Ring(3);
  const SenderCertificate good = Certificate(0);
  const std::string wire = good.Serialize();
  const uint32_t at = good.expiry_hour - 10;
  for (size_t i = 0; i < wire.size(); ++i) {
    std::string altered = wire;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    absl::StatusOr<SenderCertificate> parsed = ParseSenderCertificate(altered);
    if (!parsed.ok()) {
      // The version byte, or the key's type byte.
      EXPECT_TRUE(i == 0 || i == 17) << i;
      continue;
    }
    const CryptoError error = ErrorOf(ring.Verify(*parsed, at));
    EXPECT_TRUE(error == CryptoError::kBadSignature ||
                error == CryptoError::kUnknownRelayKey ||
                error == CryptoError::kCertificateExpired)
        << "byte " << i << ": " << CryptoErrorName(error);
  }
}

TEST_F(SenderCertificateVectors, ForgedCertificatesFailDistinctly) {
  const RelayKeyRing ring = Ring(3);
  const SenderCertificate good = Certificate(0);
  const uint32_t at = good.expiry_hour - 10;

  // Another identity key under the relay's signature: what a second trust
  // person would need to pass as someone else.
  SenderCertificate swapped = good;
  swapped.identity_key[5] ^= 0x40;
  EXPECT_EQ(ErrorOf(ring.Verify(swapped, at)), CryptoError::kBadSignature);
  SenderCertificate other_account = good;
  other_account.account_id[0] ^= 0x01;
  EXPECT_EQ(ErrorOf(ring.Verify(other_account, at)),
            CryptoError::kBadSignature);

  // Signed by a key the relay never endorsed.
  absl::StatusOr<RelaySigningKey> rogue =
      RelaySigningKey::FromSeed(1, 0, SecretBytes(32));
  ASSERT_TRUE(rogue.ok());
  absl::StatusOr<SenderCertificate> by_rogue =
      rogue->Issue(good.account_id, good.identity_key, good.expiry_hour);
  ASSERT_TRUE(by_rogue.ok());
  EXPECT_EQ(ErrorOf(ring.Verify(*by_rogue, at)), CryptoError::kBadSignature);
  SenderCertificate unknown = good;
  unknown.signer_key_id = 4;
  EXPECT_EQ(ErrorOf(ring.Verify(unknown, at)), CryptoError::kUnknownRelayKey);
  unknown.signer_key_id = 0;
  EXPECT_EQ(ErrorOf(ring.Verify(unknown, at)), CryptoError::kUnknownRelayKey);
}

TEST_F(SenderCertificateVectors, TimesAreEnforced) {
  const RelayKeyRing ring = Ring(3);
  const RelaySigningKey key3 = SigningKey(2);
  const SenderCertificate c = Certificate(2);  // by key 3, the current one
  EXPECT_EQ(ErrorOf(ring.Verify(c, c.expiry_hour)),
            CryptoError::kCertificateExpired);
  EXPECT_EQ(ErrorOf(ring.Verify(c, c.expiry_hour + 500)),
            CryptoError::kCertificateExpired);
  // The relay never issues for longer than one lifetime (plus an hour).
  const uint32_t now = c.expiry_hour - kSenderCertificateLifetimeHours;
  absl::StatusOr<SenderCertificate> too_long = key3.Issue(
      c.account_id, c.identity_key, now + kSenderCertificateLifetimeHours + 2);
  ASSERT_TRUE(too_long.ok());
  EXPECT_EQ(ErrorOf(ring.Verify(*too_long, now)),
            CryptoError::kCertificateExpired);
  absl::StatusOr<SenderCertificate> just_right = key3.Issue(
      c.account_id, c.identity_key, now + kSenderCertificateLifetimeHours + 1);
  ASSERT_TRUE(just_right.ok());
  EXPECT_TRUE(ring.Verify(*just_right, now).ok());

  // A replaced key's certificates live at most one lifetime past the
  // replacement, even if whoever holds the old key claims otherwise.
  const RelaySigningKey key1 = SigningKey(0);
  const uint32_t retired = chain_[1].created_hour;
  const uint32_t late = retired + kSenderCertificateLifetimeHours;
  absl::StatusOr<SenderCertificate> after = key1.Issue(
      c.account_id, c.identity_key, late + kSenderCertificateLifetimeHours);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(ErrorOf(ring.Verify(*after, late)),
            CryptoError::kCertificateExpired);
  absl::StatusOr<SenderCertificate> within =
      key1.Issue(c.account_id, c.identity_key, late + 1);
  ASSERT_TRUE(within.ok());
  EXPECT_TRUE(ring.Verify(*within, late).ok());
  // Before key 2 was known here, the same certificate counted as current.
  EXPECT_TRUE(Ring(1).Verify(*after, late).ok());
}

TEST_F(SenderCertificateVectors, ChainsGrowOnlyAlongEndorsements) {
  RelayKeyRing ring = Ring(1);
  ASSERT_TRUE(ring.Extend(chain_).ok());
  EXPECT_EQ(ring.keys().size(), 3u);
  ASSERT_TRUE(ring.Extend(chain_).ok());  // idempotent
  EXPECT_EQ(ring.keys().size(), 3u);

  // A fork: another key 2 endorsed by key 1 (whoever holds key 1 can make
  // one) is refused once a key 2 is known.
  const RelaySigningKey key1 = SigningKey(0);
  absl::StatusOr<RelaySigningKey> other2 =
      RelaySigningKey::FromSeed(2, chain_[1].created_hour, SecretBytes(32));
  ASSERT_TRUE(other2.ok());
  RelayPublicKey forked = other2->Published("");
  forked.endorsement = *key1.Endorse(forked);
  std::vector<RelayPublicKey> fork = {chain_[0], forked};
  EXPECT_TRUE(Ring(1).Extend(fork).ok());  // a fresh ring cannot tell
  EXPECT_EQ(ErrorOf(ring.Extend(fork)), CryptoError::kInvalidKey);
  EXPECT_EQ(ring.keys().size(), 3u);

  // An unendorsed or badly endorsed key is refused, the ring unchanged.
  RelayKeyRing one = Ring(1);
  std::vector<RelayPublicKey> bad = chain_;
  bad[2].endorsement[10] ^= 0x01;
  EXPECT_EQ(ErrorOf(one.Extend(bad)), CryptoError::kBadSignature);
  EXPECT_EQ(one.keys().size(), 1u);
  bad = chain_;
  bad[1].endorsement.clear();
  EXPECT_EQ(ErrorOf(one.Extend(bad)), CryptoError::kBadSignature);
  // Another root.
  std::vector<RelayPublicKey> other_root = {other2->Published("")};
  other_root[0].id = 1;
  EXPECT_EQ(ErrorOf(one.Extend(other_root)), CryptoError::kInvalidKey);
  // Gaps and disorder.
  EXPECT_EQ(ErrorOf(RelayKeyRing::FromChain({chain_[0], chain_[2]}).status()),
            CryptoError::kInvalidKey);
  EXPECT_EQ(ErrorOf(RelayKeyRing::FromChain({chain_[1]}).status()),
            CryptoError::kInvalidKey);
  EXPECT_EQ(ErrorOf(RelayKeyRing::FromChain({}).status()),
            CryptoError::kInvalidMessage);
}

TEST_F(SenderCertificateVectors, RingSurvivesItsEncoding) {
  const RelayKeyRing ring = Ring(3);
  absl::StatusOr<RelayKeyRing> parsed = RelayKeyRing::Parse(ring.Serialize());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->keys(), ring.keys());
  const std::string encoded = ring.Serialize();
  for (size_t cut = 0; cut < encoded.size(); cut += 7) {
    EXPECT_FALSE(RelayKeyRing::Parse(encoded.substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(RelayKeyRing::Parse(encoded + "x").ok());
  std::string altered = encoded;
  altered[encoded.size() - 3] ^= 0x01;  // inside key 3's endorsement
  EXPECT_EQ(ErrorOf(RelayKeyRing::Parse(altered).status()),
            CryptoError::kBadSignature);
}

TEST_F(SenderCertificateVectors, MalformedCertificatesDoNotParse) {
  const std::string wire = Certificate(0).Serialize();
  EXPECT_EQ(ErrorOf(ParseSenderCertificate("").status()),
            CryptoError::kTruncated);
  EXPECT_EQ(ErrorOf(ParseSenderCertificate(wire.substr(0, 121)).status()),
            CryptoError::kTruncated);
  EXPECT_EQ(ErrorOf(ParseSenderCertificate(wire + "x").status()),
            CryptoError::kTooLarge);
  std::string v2 = wire;
  v2[0] = 2;
  EXPECT_EQ(ErrorOf(ParseSenderCertificate(v2).status()),
            CryptoError::kBadVersion);
  RelaySigningKey key = SigningKey(0);
  EXPECT_EQ(
      ErrorOf(key.Issue("short", Certificate(0).identity_key, 1).status()),
      CryptoError::kInvalidMessage);
  EXPECT_EQ(ErrorOf(RelaySigningKey::FromSeed(1, 0, SecretBytes(31)).status()),
            CryptoError::kInvalidKey);
}

TEST_F(SenderCertificateVectors, VerifierCachesSignaturesNotTimes) {
  SenderCertificateVerifier verifier(Ring(1));
  const SenderCertificate c = Certificate(0);
  EXPECT_TRUE(verifier.Verify(c, c.expiry_hour - 1).ok());
  // Cached, the expiry still counts.
  EXPECT_EQ(ErrorOf(verifier.Verify(c, c.expiry_hour)),
            CryptoError::kCertificateExpired);
  SenderCertificate forged = c;
  forged.signature[0] ^= 0x01;
  EXPECT_EQ(ErrorOf(verifier.Verify(forged, c.expiry_hour - 1)),
            CryptoError::kBadSignature);
  // Key 3's certificate is unknown until the chain grows.
  const SenderCertificate by3 = Certificate(2);
  EXPECT_EQ(ErrorOf(verifier.Verify(by3, by3.expiry_hour - 1)),
            CryptoError::kUnknownRelayKey);
  ASSERT_TRUE(verifier.Extend(chain_).ok());
  EXPECT_TRUE(verifier.Verify(by3, by3.expiry_hour - 1).ok());
  EXPECT_EQ(verifier.ring().keys().size(), 3u);

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        EXPECT_TRUE(verifier.Verify(by3, by3.expiry_hour - 1).ok());
        EXPECT_FALSE(verifier.Verify(forged, c.expiry_hour - 1).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
}

}  // namespace
}  // namespace confidant::crypto
