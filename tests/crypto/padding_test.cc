#include "crypto/padding.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "crypto/errors.h"
#include "gtest/gtest.h"
#include "tests/testing/vector_file.h"

namespace confidant::crypto {
namespace {

using Block = ::confidant::testing::VectorBlock;

std::string Pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>(i * 31 + 7);
  return out;
}

TEST(PaddingTest, RoundTripsEveryLengthUpTo1000) {
  for (size_t n = 0; n <= 1000; ++n) {
    const std::string plaintext = Pattern(n);
    const std::string padded = PadPlaintext(plaintext);
    ASSERT_EQ(padded.size() % kPaddingBlockSize, 0u) << n;
    ASSERT_GT(padded.size(), n);
    ASSERT_LE(padded.size(), n + kPaddingBlockSize) << n;
    ASSERT_EQ(padded.substr(0, n), plaintext);
    ASSERT_EQ(padded[n], kPaddingMarker);
    absl::StatusOr<std::string> unpadded = UnpadPlaintext(padded);
    ASSERT_TRUE(unpadded.ok()) << n << ": " << unpadded.status();
    ASSERT_EQ(*unpadded, plaintext);
  }
}

TEST(PaddingTest, BoundariesGetAWholeBlockWhenFull) {
  EXPECT_EQ(PadPlaintext("").size(), 160u);
  EXPECT_EQ(PadPlaintext(Pattern(159)).size(), 160u);
  EXPECT_EQ(PadPlaintext(Pattern(160)).size(), 320u);
  EXPECT_EQ(PadPlaintext(Pattern(161)).size(), 320u);
  EXPECT_EQ(PadPlaintext(Pattern(319)).size(), 320u);
  EXPECT_EQ(PadPlaintext(Pattern(320)).size(), 480u);
}

TEST(PaddingTest, PlaintextEndingInMarkerAndZerosRoundTrips) {
  const std::string tricky = std::string("abc\x80\0\0", 6);
  absl::StatusOr<std::string> unpadded = UnpadPlaintext(PadPlaintext(tricky));
  ASSERT_TRUE(unpadded.ok());
  EXPECT_EQ(*unpadded, tricky);
}

TEST(PaddingTest, LargestPlaintextRoundTrips) {
  const std::string plaintext = Pattern(kMaxPlaintextSize);
  const std::string padded = PadPlaintext(plaintext);
  EXPECT_EQ(padded.size(), kMaxPaddedPlaintextSize);
  absl::StatusOr<std::string> unpadded = UnpadPlaintext(padded);
  ASSERT_TRUE(unpadded.ok());
  EXPECT_EQ(*unpadded, plaintext);
  // A worst-case libsignal message around it still fits one envelope.
  EXPECT_LE(kMaxPaddedPlaintextSize + kSignalMessageOverhead + kSealedOverhead,
            kMaxEnvelopeSize);
  EXPECT_GT(kMaxPaddedPlaintextSize + kPaddingBlockSize +
                kSignalMessageOverhead + kSealedOverhead,
            kMaxEnvelopeSize);
}

void ExpectBadPadding(std::string_view padded, std::string_view why) {
  absl::StatusOr<std::string> result = UnpadPlaintext(padded);
  ASSERT_FALSE(result.ok()) << why;
  EXPECT_EQ(GetCryptoError(result.status()), CryptoError::kBadPadding)
      << why << ": " << result.status();
}

TEST(PaddingTest, RejectsMalformedPadding) {
  const std::string good = PadPlaintext("hello");
  ExpectBadPadding("", "empty");
  ExpectBadPadding(good.substr(0, 159), "short of a block");
  ExpectBadPadding(good + std::string(1, '\0'), "one byte over a block");
  ExpectBadPadding(std::string(160, '\0'), "no marker");
  ExpectBadPadding(std::string(320, '\0'), "no marker, two blocks");
  std::string nonzero = good;
  nonzero[159] = 1;
  ExpectBadPadding(nonzero, "non-zero last byte");
  nonzero = good;
  nonzero[6] = '\x81';
  ExpectBadPadding(nonzero, "non-zero right after the marker");
  ExpectBadPadding(std::string("\x80", 1) + std::string(319, '\0'),
                   "marker outside the last block");
  ExpectBadPadding(std::string(160, 'a'), "no marker, no zeros");
}

TEST(PaddingTest, EveryNonZeroByteInPaddingIsRejected) {
  const std::string good = PadPlaintext("hi");
  for (size_t pos = 3; pos < good.size(); ++pos) {
    for (int value : {0x01, 0x80, 0xff}) {
      std::string bad = good;
      bad[pos] = static_cast<char>(value);
      if (value == 0x80) {
        // A later marker is valid padding of a longer plaintext.
        absl::StatusOr<std::string> unpadded = UnpadPlaintext(bad);
        ASSERT_TRUE(unpadded.ok());
        EXPECT_EQ(unpadded->size(), pos);
        continue;
      }
      ExpectBadPadding(bad, "non-zero padding byte");
    }
  }
}

TEST(PaddingTest, KnownAnswerVectors) {
  const std::vector<Block> blocks = ::confidant::testing::ReadVectorBlocks(
      std::string(CONFIDANT_CRYPTO_TESTDATA) + "/padding_vectors.txt");
  int valid = 0, invalid = 0;
  for (const Block& block : blocks) {
    std::string padded;
    ASSERT_TRUE(block.count("padded"));
    padded = absl::HexStringToBytes(block.at("padded"));
    if (block.count("error")) {
      ++invalid;
      absl::StatusOr<std::string> result = UnpadPlaintext(padded);
      ASSERT_FALSE(result.ok()) << block.at("padded");
      EXPECT_EQ(CryptoErrorName(GetCryptoError(result.status())),
                block.at("error"));
      continue;
    }
    ++valid;
    const std::string plaintext = absl::HexStringToBytes(block.at("plaintext"));
    EXPECT_EQ(absl::BytesToHexString(PadPlaintext(plaintext)),
              block.at("padded"));
    absl::StatusOr<std::string> unpadded = UnpadPlaintext(padded);
    ASSERT_TRUE(unpadded.ok()) << unpadded.status();
    EXPECT_EQ(*unpadded, plaintext);
  }
  EXPECT_EQ(valid, 10);
  EXPECT_EQ(invalid, 7);
}

TEST(EnvelopeBucketTest, SmallestBucketThatHolds) {
  EXPECT_EQ(EnvelopeBucket(0), 1024u);
  EXPECT_EQ(EnvelopeBucket(1), 1024u);
  EXPECT_EQ(EnvelopeBucket(1024), 1024u);
  EXPECT_EQ(EnvelopeBucket(1025), 4096u);
  EXPECT_EQ(EnvelopeBucket(4096), 4096u);
  EXPECT_EQ(EnvelopeBucket(4097), 16384u);
  EXPECT_EQ(EnvelopeBucket(16385), 65536u);
  EXPECT_EQ(EnvelopeBucket(65537), 262144u);
  EXPECT_EQ(EnvelopeBucket(262144), 262144u);
  EXPECT_EQ(EnvelopeBucket(262145), 0u);
  EXPECT_EQ(kEnvelopeBuckets.back(), kMaxEnvelopeSize);
  EXPECT_EQ(kMaxEnvelopeSize, 262144u);
}

TEST(EnvelopeBucketTest, MonotoneAndOnlyBucketSizes) {
  size_t previous = 0;
  for (size_t n = 0; n <= kMaxEnvelopeSize; ++n) {
    const size_t bucket = EnvelopeBucket(n);
    ASSERT_GE(bucket, n);
    ASSERT_GE(bucket, previous);
    if (bucket != previous) {
      ASSERT_NE(
          std::find(kEnvelopeBuckets.begin(), kEnvelopeBuckets.end(), bucket),
          kEnvelopeBuckets.end());
    }
    previous = bucket;
  }
}

}  // namespace
}  // namespace confidant::crypto
