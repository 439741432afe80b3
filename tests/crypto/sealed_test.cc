#include "crypto/sealed.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "crypto/errors.h"
#include "crypto/padding.h"
#include "crypto/secret.h"
#include "crypto/sender_certificate.h"
#include "gtest/gtest.h"
#include "tests/fuzz/sealed_reference.h"
#include "tests/testing/vector_file.h"

namespace confidant::crypto {
namespace {

using ::confidant::testing::kReferenceExpiryHour;
using ::confidant::testing::kReferenceSignatureByte;
using ::confidant::testing::kReferenceSignerKeyId;
using ::confidant::testing::ReferenceInner;
using ::confidant::testing::ReferenceSealInner;
using ::confidant::testing::ReferenceX25519Public;

std::string Pattern(size_t size, int seed = 0) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[i] = static_cast<char>(i * 7 + static_cast<size_t>(seed));
  }
  return out;
}

// A clamped Curve25519 private key from a seed byte, as libsignal stores it.
std::string PrivateKey(uint8_t seed) {
  std::string key(32, static_cast<char>(seed));
  key[0] = static_cast<char>(key[0] & 248);
  key[31] = static_cast<char>((key[31] & 127) | 64);
  return key;
}

struct Party {
  explicit Party(uint8_t seed)
      : private_key(SecretBytes::CopyOf(PrivateKey(seed))),
        identity_key("\x05" + ReferenceX25519Public(PrivateKey(seed))),
        account_id(16, static_cast<char>(seed)) {}
  SecretBytes private_key;
  std::string identity_key;
  std::string account_id;
};

// The certificate ReferenceInner() puts in the inner layer.
SenderCertificate Certificate(const std::string& account_id,
                              const std::string& identity_key) {
  return SenderCertificate{account_id, identity_key, kReferenceExpiryHour,
                           kReferenceSignerKeyId,
                           std::string(64, kReferenceSignatureByte)};
}

class SealedTest : public ::testing::Test {
 protected:
  SealedContent Content(uint8_t type, size_t message_size) const {
    return SealedContent{Certificate(sender_.account_id, sender_.identity_key),
                         type, Pattern(message_size)};
  }

  std::string MustSeal(const SealedContent& content) const {
    absl::StatusOr<std::string> envelope =
        Seal(content, recipient_.identity_key, recipient_.account_id);
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    return envelope.ok() ? *envelope : std::string();
  }

  absl::StatusOr<SealedContent> Open(std::string_view envelope) const {
    return Unseal(envelope, recipient_.private_key, recipient_.identity_key,
                  recipient_.account_id);
  }

  CryptoError OpenError(std::string_view envelope) const {
    absl::StatusOr<SealedContent> content = Open(envelope);
    EXPECT_FALSE(content.ok());
    return content.ok() ? CryptoError::kNone : GetCryptoError(content.status());
  }

  // An authentic envelope for recipient_ around an arbitrary inner layer.
  std::string SealInner(const std::string& inner) const {
    return ReferenceSealInner(inner, PrivateKey(0x77), recipient_.identity_key,
                              recipient_.account_id);
  }

  // Inner layer filling the 1 KiB bucket.
  std::string Inner(uint8_t type, uint32_t declared_length,
                    std::string_view message,
                    std::string_view identity_key = {}) const {
    const size_t fill = 1024 - 33 - 16;
    std::string inner = ReferenceInner(
        sender_.account_id,
        identity_key.empty() ? sender_.identity_key : identity_key, type,
        declared_length, message, 0);
    inner.resize(fill, '\0');
    return inner;
  }

  Party sender_{0x11};
  Party recipient_{0x22};
  Party stranger_{0x33};
};

void ExpectSameContent(const SealedContent& a, const SealedContent& b) {
  EXPECT_EQ(a.sender, b.sender);
  EXPECT_EQ(a.message_type, b.message_type);
  EXPECT_EQ(a.message, b.message);
}

TEST_F(SealedTest, RoundTripsBothMessageTypes) {
  for (uint8_t type : {kSignalMessageType, kPreKeyMessageType}) {
    for (size_t size : {0, 1, 100, 848, 849, 5000}) {
      const SealedContent content = Content(type, size);
      absl::StatusOr<SealedContent> opened = Open(MustSeal(content));
      ASSERT_TRUE(opened.ok()) << opened.status();
      ExpectSameContent(*opened, content);
    }
  }
}

TEST_F(SealedTest, FreshEphemeralKeyEveryTime) {
  const SealedContent content = Content(kSignalMessageType, 10);
  const std::string a = MustSeal(content);
  const std::string b = MustSeal(content);
  EXPECT_NE(a.substr(1, 32), b.substr(1, 32));
  EXPECT_NE(a, b);
}

TEST_F(SealedTest, MatchesTheIndependentReferenceImplementation) {
  const SealedContent content = Content(kPreKeyMessageType, 300);
  absl::StatusOr<std::string> envelope =
      SealWithEphemeral(content, recipient_.identity_key, recipient_.account_id,
                        SecretBytes::CopyOf(PrivateKey(0x77)));
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  const std::string inner = ReferenceInner(
      sender_.account_id, sender_.identity_key, kPreKeyMessageType, 300,
      content.message, 1024 - kSealedOverhead - 300);
  EXPECT_EQ(absl::BytesToHexString(*envelope),
            absl::BytesToHexString(SealInner(inner)));
}

TEST_F(SealedTest, OutputSizesAreOnlyBucketSizes) {
  std::vector<size_t> sizes;
  for (size_t n = 0; n <= 2000; ++n) sizes.push_back(n);
  for (size_t bucket : kEnvelopeBuckets) {
    for (size_t d = 0; d <= 2; ++d) {
      sizes.push_back(bucket - kSealedOverhead - d);
      sizes.push_back(bucket - kSealedOverhead + d);
    }
  }
  for (size_t n = 2000; n <= kMaxSealedMessageSize; n += 4999) {
    sizes.push_back(n);
  }
  sizes.push_back(kMaxSealedMessageSize);
  for (size_t n : sizes) {
    if (n > kMaxSealedMessageSize) continue;
    const std::string envelope = MustSeal(Content(kSignalMessageType, n));
    ASSERT_EQ(envelope.size(), EnvelopeBucket(n + kSealedOverhead)) << n;
    ASSERT_NE(std::find(kEnvelopeBuckets.begin(), kEnvelopeBuckets.end(),
                        envelope.size()),
              kEnvelopeBuckets.end())
        << n;
  }
}

TEST_F(SealedTest, MaximumMessageFitsAndOneMoreIsTooLarge) {
  EXPECT_EQ(kMaxSealedMessageSize, 262144u - 176u);
  const SealedContent largest =
      Content(kPreKeyMessageType, kMaxSealedMessageSize);
  const std::string envelope = MustSeal(largest);
  EXPECT_EQ(envelope.size(), kMaxEnvelopeSize);
  absl::StatusOr<SealedContent> opened = Open(envelope);
  ASSERT_TRUE(opened.ok()) << opened.status();
  ExpectSameContent(*opened, largest);

  absl::StatusOr<std::string> too_large =
      Seal(Content(kPreKeyMessageType, kMaxSealedMessageSize + 1),
           recipient_.identity_key, recipient_.account_id);
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(GetCryptoError(too_large.status()), CryptoError::kTooLarge);
}

TEST_F(SealedTest, EveryPrefixOfAnEnvelopeIsTruncated) {
  const std::string envelope = MustSeal(Content(kSignalMessageType, 50));
  ASSERT_EQ(envelope.size(), 1024u);
  for (size_t n = 0; n < envelope.size(); ++n) {
    ASSERT_EQ(OpenError(envelope.substr(0, n)), CryptoError::kTruncated) << n;
  }
}

TEST_F(SealedTest, PrefixesOfALargerEnvelope) {
  const std::string envelope = MustSeal(Content(kSignalMessageType, 2000));
  ASSERT_EQ(envelope.size(), 4096u);
  for (size_t n = 0; n < envelope.size(); ++n) {
    const CryptoError expected = n < 1024    ? CryptoError::kTruncated
                                 : n == 1024 ? CryptoError::kTampered
                                             : CryptoError::kBadPadding;
    ASSERT_EQ(OpenError(envelope.substr(0, n)), expected) << n;
  }
}

TEST_F(SealedTest, OversizedAndOffBucketEnvelopes) {
  std::string over(kMaxEnvelopeSize + 1, '\0');
  over[0] = '\x01';
  EXPECT_EQ(OpenError(over), CryptoError::kTooLarge);
  const std::string envelope = MustSeal(Content(kSignalMessageType, 50));
  EXPECT_EQ(OpenError(envelope + "x"), CryptoError::kBadPadding);
  std::string max =
      MustSeal(Content(kSignalMessageType, kMaxSealedMessageSize));
  EXPECT_EQ(OpenError(max + "x"), CryptoError::kTooLarge);
}

TEST_F(SealedTest, EveryBitFlipFails) {
  const std::string envelope = MustSeal(Content(kPreKeyMessageType, 64));
  for (size_t bit = 0; bit < envelope.size() * 8; ++bit) {
    std::string flipped = envelope;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    // Bit 255 of the ephemeral key is ignored by X25519, but the key bytes
    // are bound by the HKDF salt and the associated data.
    const CryptoError expected =
        bit < 8 ? CryptoError::kBadVersion : CryptoError::kTampered;
    ASSERT_EQ(OpenError(flipped), expected) << "bit " << bit;
  }
}

TEST_F(SealedTest, WrongVersion) {
  std::string envelope = MustSeal(Content(kSignalMessageType, 10));
  for (int version : {0, 1, 3, 0x81, 0xff}) {
    envelope[0] = static_cast<char>(version);
    EXPECT_EQ(OpenError(envelope), CryptoError::kBadVersion) << version;
  }
}

// AES-GCM cannot tell "sealed for someone else" from "modified": both are
// authentication failures, reported as kTampered (docs/protocol.md).
TEST_F(SealedTest, WrongRecipientKeyIsAnAuthenticationFailure) {
  absl::StatusOr<std::string> envelope =
      Seal(Content(kSignalMessageType, 10), stranger_.identity_key,
           recipient_.account_id);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(OpenError(*envelope), CryptoError::kTampered);
}

TEST_F(SealedTest, WrongRecipientAccountIdIsAnAuthenticationFailure) {
  absl::StatusOr<std::string> envelope =
      Seal(Content(kSignalMessageType, 10), recipient_.identity_key,
           stranger_.account_id);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(OpenError(*envelope), CryptoError::kTampered);
}

TEST_F(SealedTest, PrivateKeyMustMatchIdentityKey) {
  const std::string envelope = MustSeal(Content(kSignalMessageType, 10));
  absl::StatusOr<SealedContent> opened =
      Unseal(envelope, stranger_.private_key, recipient_.identity_key,
             recipient_.account_id);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(GetCryptoError(opened.status()), CryptoError::kInvalidKey);
  opened = Unseal(envelope, SecretBytes(31), recipient_.identity_key,
                  recipient_.account_id);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(GetCryptoError(opened.status()), CryptoError::kInvalidKey);
}

TEST_F(SealedTest, SmallOrderEphemeralKeyIsInvalidKey) {
  std::string envelope = MustSeal(Content(kSignalMessageType, 10));
  // u = 0 and u = 1 have small order: X25519 gives all zeros.
  for (char low : {'\0', '\x01'}) {
    std::fill(envelope.begin() + 1, envelope.begin() + 33, '\0');
    envelope[1] = low;
    EXPECT_EQ(OpenError(envelope), CryptoError::kInvalidKey);
  }
}

TEST_F(SealedTest, SealRejectsBadInputs) {
  auto seal_error = [&](const SealedContent& content, std::string_view key,
                        std::string_view account) {
    absl::StatusOr<std::string> envelope = Seal(content, key, account);
    EXPECT_FALSE(envelope.ok());
    return envelope.ok() ? CryptoError::kNone
                         : GetCryptoError(envelope.status());
  };
  const SealedContent good = Content(kSignalMessageType, 10);
  const std::string& key = recipient_.identity_key;
  const std::string& account = recipient_.account_id;

  EXPECT_EQ(seal_error(good, key.substr(0, 32), account),
            CryptoError::kInvalidKey);
  EXPECT_EQ(seal_error(good, "\x06" + key.substr(1), account),
            CryptoError::kInvalidKey);
  EXPECT_EQ(seal_error(good, "\x05" + std::string(32, '\0'), account),
            CryptoError::kInvalidKey);  // small order
  EXPECT_EQ(seal_error(good, key, account.substr(1)),
            CryptoError::kInvalidMessage);
  SealedContent bad = good;
  bad.sender.account_id += "x";
  EXPECT_EQ(seal_error(bad, key, account), CryptoError::kInvalidMessage);
  bad = good;
  bad.sender.signature.pop_back();
  EXPECT_EQ(seal_error(bad, key, account), CryptoError::kInvalidMessage);
  bad = good;
  bad.sender.identity_key[0] = 0x06;
  EXPECT_EQ(seal_error(bad, key, account), CryptoError::kInvalidMessage);
  bad = good;
  bad.message_type = 1;
  EXPECT_EQ(seal_error(bad, key, account), CryptoError::kInvalidMessage);

  absl::StatusOr<std::string> short_ephemeral =
      SealWithEphemeral(good, key, account, SecretBytes(16));
  ASSERT_FALSE(short_ephemeral.ok());
  EXPECT_EQ(GetCryptoError(short_ephemeral.status()), CryptoError::kInvalidKey);
}

TEST_F(SealedTest, UnsealRejectsBadRecipientArguments) {
  const std::string envelope = MustSeal(Content(kSignalMessageType, 10));
  absl::StatusOr<SealedContent> opened =
      Unseal(envelope, recipient_.private_key,
             recipient_.identity_key.substr(1), recipient_.account_id);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(GetCryptoError(opened.status()), CryptoError::kInvalidKey);
  opened = Unseal(envelope, recipient_.private_key, recipient_.identity_key,
                  "short");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(GetCryptoError(opened.status()), CryptoError::kInvalidMessage);
}

TEST_F(SealedTest, AuthenticMalformedInnerLayers) {
  const std::string message = "hello";
  // The reference envelope of a well-formed inner layer opens.
  absl::StatusOr<SealedContent> opened =
      Open(SealInner(Inner(kSignalMessageType, 5, message)));
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->message, message);

  std::string inner = Inner(kSignalMessageType, 5, message);
  inner[inner.size() - 1] = 1;
  EXPECT_EQ(OpenError(SealInner(inner)), CryptoError::kBadPadding)
      << "non-zero last padding byte";
  inner = Inner(kSignalMessageType, 5, message);
  inner[kSenderCertificateSize + 1 + 4 + 5] = '\x80';
  EXPECT_EQ(OpenError(SealInner(inner)), CryptoError::kBadPadding)
      << "non-zero first padding byte";
  EXPECT_EQ(OpenError(SealInner(Inner(kSignalMessageType, 1000, message))),
            CryptoError::kBadPadding)
      << "length beyond the envelope";
  EXPECT_EQ(
      OpenError(SealInner(Inner(kSignalMessageType, 0xffffffff, message))),
      CryptoError::kBadPadding)
      << "huge length";
  EXPECT_EQ(OpenError(SealInner(Inner(kSignalMessageType, 4, message))),
            CryptoError::kBadPadding)
      << "length shorter than the message: last byte becomes padding";

  // A 4 KiB envelope whose message would fit 1 KiB is over-padded.
  std::string big = ReferenceInner(sender_.account_id, sender_.identity_key,
                                   kSignalMessageType, 5, message, 0);
  big.resize(4096 - 49, '\0');
  EXPECT_EQ(OpenError(SealInner(big)), CryptoError::kBadPadding)
      << "larger bucket than needed";

  EXPECT_EQ(OpenError(SealInner(Inner(7, 5, message))),
            CryptoError::kInvalidMessage)
      << "unknown message type";
  std::string bad_key = sender_.identity_key;
  bad_key[0] = 0x04;
  EXPECT_EQ(
      OpenError(SealInner(Inner(kSignalMessageType, 5, message, bad_key))),
      CryptoError::kInvalidMessage)
      << "sender key without 0x05";
  inner = Inner(kSignalMessageType, 5, message);
  inner[0] = 2;
  EXPECT_EQ(OpenError(SealInner(inner)), CryptoError::kInvalidMessage)
      << "sender certificate of an unknown version";
}

// --- Known-answer vectors (tests/crypto/testdata/sealed_vectors.txt) ---

using Block = ::confidant::testing::VectorBlock;

// The Unsealer keeps the recipient key ready; it must answer exactly as
// Unseal() does, for good envelopes and for every corruption of one.
TEST_F(SealedTest, UnsealerAgreesWithUnseal) {
  absl::StatusOr<std::unique_ptr<Unsealer>> unsealer = Unsealer::Create(
      recipient_.private_key, recipient_.identity_key, recipient_.account_id);
  ASSERT_TRUE(unsealer.ok()) << unsealer.status();
  for (size_t size : {0, 100, 5000}) {
    const std::string envelope = MustSeal(Content(kSignalMessageType, size));
    absl::StatusOr<SealedContent> a = (*unsealer)->Unseal(envelope);
    absl::StatusOr<SealedContent> b = Open(envelope);
    ASSERT_TRUE(a.ok() && b.ok());
    ExpectSameContent(*a, *b);
  }
  const std::string envelope = MustSeal(Content(kPreKeyMessageType, 64));
  for (size_t bit = 0; bit < envelope.size() * 8; bit += 13) {
    std::string flipped = envelope;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_EQ(GetCryptoError((*unsealer)->Unseal(flipped).status()),
              OpenError(flipped))
        << "bit " << bit;
  }
  EXPECT_EQ(
      GetCryptoError((*unsealer)->Unseal(envelope.substr(0, 500)).status()),
      CryptoError::kTruncated);
  EXPECT_EQ(GetCryptoError(Unsealer::Create(stranger_.private_key,
                                            recipient_.identity_key,
                                            recipient_.account_id)
                               .status()),
            CryptoError::kInvalidKey);
}

TEST_F(SealedTest, PoolKeysOpenAndAreNeverReused) {
  EphemeralKeyPool pool(4);
  EXPECT_EQ(pool.size(), 0u);
  std::set<std::string> ephemeral_keys;
  const SealedContent content = Content(kSignalMessageType, 100);
  // Three rounds of a full pool, then seals from an empty one (fresh keys).
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(pool.Fill().ok());
    EXPECT_EQ(pool.size(), 4u);
    for (int i = 0; i < 6; ++i) {
      absl::StatusOr<std::string> envelope =
          pool.Seal(content, recipient_.identity_key, recipient_.account_id);
      ASSERT_TRUE(envelope.ok()) << envelope.status();
      EXPECT_EQ(pool.size(), i < 4 ? 3u - i : 0u);
      EXPECT_TRUE(ephemeral_keys.insert(envelope->substr(1, 32)).second)
          << "an ephemeral key was used twice";
      absl::StatusOr<SealedContent> opened = Open(*envelope);
      ASSERT_TRUE(opened.ok()) << opened.status();
      ExpectSameContent(*opened, content);
    }
  }
}

TEST_F(SealedTest, PoolRejectsBadInputs) {
  EphemeralKeyPool pool(2);
  ASSERT_TRUE(pool.Fill().ok());
  SealedContent bad = Content(kSignalMessageType, 10);
  bad.message_type = 1;
  absl::StatusOr<std::string> envelope =
      pool.Seal(bad, recipient_.identity_key, recipient_.account_id);
  ASSERT_FALSE(envelope.ok());
  EXPECT_EQ(GetCryptoError(envelope.status()), CryptoError::kInvalidMessage);
  EXPECT_EQ(pool.size(), 2u);
  // A small-order recipient key shows only in the agreement; the key taken
  // for it is destroyed, never put back.
  envelope = pool.Seal(Content(kSignalMessageType, 10),
                       "\x05" + std::string(32, '\0'), recipient_.account_id);
  ASSERT_FALSE(envelope.ok());
  EXPECT_EQ(GetCryptoError(envelope.status()), CryptoError::kInvalidKey);
  EXPECT_EQ(pool.size(), 1u);
  envelope = pool.Seal(Content(kSignalMessageType, 10), recipient_.identity_key,
                       recipient_.account_id);
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  EXPECT_TRUE(Open(*envelope).ok());
}

TEST_F(SealedTest, PoolIsSafeAcrossThreads) {
  EphemeralKeyPool pool(8);
  const SealedContent content = Content(kPreKeyMessageType, 50);
  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        if (i % 5 == 0) {
          ASSERT_TRUE(pool.Fill().ok());
        }
        absl::StatusOr<std::string> envelope =
            pool.Seal(content, recipient_.identity_key, recipient_.account_id);
        ASSERT_TRUE(envelope.ok()) << envelope.status();
        seen[t].push_back(*envelope);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> ephemeral_keys;
  for (const auto& envelopes : seen) {
    ASSERT_EQ(envelopes.size(), 20u);
    for (const std::string& e : envelopes) {
      EXPECT_TRUE(ephemeral_keys.insert(e.substr(1, 32)).second);
      EXPECT_TRUE(Open(e).ok());
    }
  }
  EXPECT_LE(pool.size(), 8u);
}

TEST(SealedVectorsTest, KnownAnswers) {
  const std::vector<Block> blocks = ::confidant::testing::ReadVectorBlocks(
      std::string(CONFIDANT_CRYPTO_TESTDATA) + "/sealed_vectors.txt");
  ASSERT_EQ(blocks.size(), 4u);
  for (const Block& b : blocks) {
    auto bytes = [&](const char* name) {
      EXPECT_TRUE(b.count(name)) << name;
      return b.count(name) ? absl::HexStringToBytes(b.at(name)) : "";
    };
    int type = 0;
    ASSERT_TRUE(absl::SimpleAtoi(b.at("message_type"), &type));
    absl::StatusOr<SenderCertificate> certificate =
        ParseSenderCertificate(bytes("sender_certificate"));
    ASSERT_TRUE(certificate.ok()) << certificate.status();
    const SealedContent content{*certificate, static_cast<uint8_t>(type),
                                bytes("message")};
    const std::string recipient_key = bytes("recipient_identity_key");
    const std::string recipient_account = bytes("recipient_account_id");
    const SecretBytes recipient_private =
        SecretBytes::CopyOf(bytes("recipient_private"));
    EXPECT_EQ("05" + absl::BytesToHexString(
                         ReferenceX25519Public(recipient_private.view())),
              b.at("recipient_identity_key"));

    absl::StatusOr<std::string> envelope =
        SealWithEphemeral(content, recipient_key, recipient_account,
                          SecretBytes::CopyOf(bytes("ephemeral_private")));
    ASSERT_TRUE(envelope.ok()) << envelope.status();
    // On a deliberate format change, this prints the new envelope.
    EXPECT_EQ(absl::BytesToHexString(*envelope), b.at("envelope"));

    absl::StatusOr<SealedContent> opened = Unseal(
        bytes("envelope"), recipient_private, recipient_key, recipient_account);
    ASSERT_TRUE(opened.ok()) << opened.status();
    ExpectSameContent(*opened, content);
  }
}

}  // namespace
}  // namespace confidant::crypto
