// Unit tests of the load generator's own arithmetic: the histogram's
// percentiles, the size mix, and the stamp every envelope carries.
#include <cstdint>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "tools/loadgen/histogram.h"
#include "tools/loadgen/payload.h"
#include "tools/loadgen/report.h"

namespace confidant::loadgen {
namespace {

TEST(HistogramTest, BucketsCoverEveryValueWithSmallError) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{63}, int64_t{64},
                    int64_t{127}, int64_t{128}, int64_t{1000},
                    int64_t{123456789}, int64_t{1} << 40, INT64_MAX}) {
    const size_t b = Histogram::BucketOf(v);
    ASSERT_LT(b, Histogram::kBuckets) << v;
    const int64_t upper = Histogram::BucketUpperBound(b);
    EXPECT_GE(upper, v);
    // The bucket's upper bound is within 1/64 of the value.
    EXPECT_LE(static_cast<double>(upper - v),
              static_cast<double>(v) / 64.0 + 1.0)
        << v;
    if (b > 0) {
      EXPECT_LT(Histogram::BucketUpperBound(b - 1), v) << v;
    }
  }
}

TEST(HistogramTest, PercentilesOfAKnownDistribution) {
  Histogram h;
  // 1..10000 microseconds, each once.
  for (int64_t us = 1; us <= 10000; ++us) h.Record(us * 1000);
  EXPECT_EQ(h.count(), 10000u);
  EXPECT_EQ(h.max(), 10'000'000);
  EXPECT_NEAR(static_cast<double>(h.Percentile(0.5)), 5e6, 5e6 / 60);
  EXPECT_NEAR(static_cast<double>(h.Percentile(0.99)), 9.9e6, 9.9e6 / 60);
  EXPECT_NEAR(static_cast<double>(h.Percentile(0.999)), 9.99e6, 9.99e6 / 60);
  EXPECT_EQ(h.Percentile(1.0), h.max());
  EXPECT_NEAR(h.mean(), 5.0005e6, 1);
}

TEST(HistogramTest, EmptyAndNegative) {
  Histogram h;
  EXPECT_EQ(h.Percentile(0.99), 0);
  EXPECT_EQ(h.SummaryMillis(), "no samples");
  h.Record(-5);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.Percentile(0.5), 0);
}

TEST(SizeMixTest, ParsesBucketsAndWeights) {
  absl::StatusOr<SizeMix> mix = SizeMix::Parse("1k:90,4096:10");
  ASSERT_TRUE(mix.ok()) << mix.status();
  EXPECT_EQ(mix->Describe(), "1k:90,4k:10");
  EXPECT_DOUBLE_EQ(mix->MeanBytes(), 0.9 * 1024 + 0.1 * 4096);
  int small = 0;
  for (uint64_t r = 0; r < 100; ++r) small += mix->Pick(r) == 1024 ? 1 : 0;
  EXPECT_EQ(small, 90);
}

TEST(SizeMixTest, RejectsWhatIsNotABucket) {
  EXPECT_FALSE(SizeMix::Parse("").ok());
  EXPECT_FALSE(SizeMix::Parse("1000:1").ok());
  EXPECT_FALSE(SizeMix::Parse("512k:1").ok());
  EXPECT_FALSE(SizeMix::Parse("1k").ok());
  EXPECT_FALSE(SizeMix::Parse("1k:0").ok());
  EXPECT_FALSE(SizeMix::Parse("1k:x").ok());
  EXPECT_TRUE(SizeMix::Parse("256k:1").ok());
}

TEST(PayloadTest, StampSurvivesAndContentsDiffer) {
  PayloadFactory factory(7);
  const Stamp stamp{123456789012345, 42, 9876543210};
  const std::string a = factory.Make(1024, stamp, 1);
  const std::string b = factory.Make(1024, stamp, 2);
  ASSERT_EQ(a.size(), 1024u);
  std::optional<Stamp> read = ReadStamp(a);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->send_nanos, stamp.send_nanos);
  EXPECT_EQ(read->sender, stamp.sender);
  EXPECT_EQ(read->seq, stamp.seq);
  // Same stamp, different random offset: different bytes after the stamp.
  EXPECT_NE(a.substr(kStampSize), b.substr(kStampSize));
  EXPECT_EQ(factory.Make(262144, stamp, 3).size(), 262144u);
}

TEST(PayloadTest, ForeignContentHasNoStamp) {
  EXPECT_FALSE(ReadStamp("").has_value());
  EXPECT_FALSE(ReadStamp(std::string(1024, 'x')).has_value());
}

TEST(PayloadTest, ContentIsNotCompressible) {
  // Distinct 8-byte words: a compressor finds nothing to share.
  PayloadFactory factory(1);
  const std::string s = factory.Make(4096, Stamp{}, 12345);
  std::set<std::string> words;
  for (size_t i = kStampSize; i + 8 <= s.size(); i += 8) {
    words.insert(s.substr(i, 8));
  }
  EXPECT_EQ(words.size(), (s.size() - kStampSize) / 8);
}

TEST(ReportTest, MarkdownHasOneColumnPerTableFigure) {
  Report r("t", "confidant-loadgen closed --senders 'a b'");
  r.Add("a", "A", "1");
  r.Add("b", "B", "2", /*in_table=*/false);
  r.AddHidden("c", "3");
  const std::string md = r.Markdown();
  EXPECT_NE(md.find("| date | A |"), std::string::npos) << md;
  EXPECT_EQ(md.find("| B"), std::string::npos) << md;
  EXPECT_NE(r.KeyValues().find("c=3\n"), std::string::npos);
  EXPECT_FALSE(r.failed());
  r.Fail("lost envelopes");
  EXPECT_TRUE(r.failed());
  EXPECT_NE(r.KeyValues().find("failed=1"), std::string::npos);
}

TEST(ReportTest, ShellQuote) {
  EXPECT_EQ(ShellQuote({"a", "b c", "it's", "--x=1"}),
            "a 'b c' 'it'\\''s' --x=1");
}

}  // namespace
}  // namespace confidant::loadgen
