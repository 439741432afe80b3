#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/random.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"

namespace confidant::base {
namespace {

TEST(RealClockTest, FollowsTheSystemClock) {
  const absl::Time before = absl::Now();
  const absl::Time now = RealClock().Now();
  EXPECT_GE(now, before);
  EXPECT_LE(now, absl::Now());
  EXPECT_EQ(&RealClock(), &RealClock());
}

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(absl::FromUnixSeconds(7200));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(7200));
  EXPECT_EQ(clock.NowHour(), 2u);
  clock.Advance(absl::Minutes(59));
  EXPECT_EQ(clock.NowHour(), 2u);
  clock.Advance(absl::Minutes(1));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(3 * 3600));
  EXPECT_EQ(clock.NowHour(), 3u);
  clock.Set(absl::FromUnixSeconds(10));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(10));
}

TEST(SecureRandomTest, GivesTheBytesAskedFor) {
  EXPECT_EQ(SecureRandom().Bytes(0), "");
  const std::string a = SecureRandom().Bytes(32);
  const std::string b = SecureRandom().Bytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(FakeRandomTest, SameSeedSameBytesOtherSeedOtherBytes) {
  FakeRandom a(1);
  FakeRandom b(1);
  FakeRandom c(2);
  const std::string first = a.Bytes(16);
  EXPECT_EQ(first.size(), 16u);
  EXPECT_EQ(first, b.Bytes(16));
  EXPECT_NE(first, c.Bytes(16));
  EXPECT_NE(first, a.Bytes(16));  // the sequence moves on
}

TEST(FakeRandomTest, SequenceIsStable) {
  // splitmix64 from seed 0: the first output is 0xe220a8397b1dcdaf, and each
  // byte is the low byte of one output.
  FakeRandom random(0);
  EXPECT_EQ(static_cast<uint8_t>(random.Bytes(1)[0]), 0xafu);
}

TEST(RandomTest, UniformIntStaysInRangeAndReachesBothEnds) {
  FakeRandom random(3);
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t v = random.UniformInt(5, 9);
    ASSERT_GE(v, 5u);
    ASSERT_LE(v, 9u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(random.UniformInt(4, 4), 4u);
  EXPECT_EQ(random.UniformInt(9, 2), 9u);
  random.UniformInt(0, UINT64_MAX);  // the whole range, no overflow
  const uint64_t v = SecureRandom().UniformInt(100, 200);
  EXPECT_GE(v, 100u);
  EXPECT_LE(v, 200u);
}

TEST(RandomTest, UniformIntIsRoughlyUniform) {
  FakeRandom random(11);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) ++counts[random.UniformInt(0, 2)];
  for (int c : counts) {
    EXPECT_GT(c, 9000);
    EXPECT_LT(c, 11000);
  }
}

TEST(RandomTest, UniformDurationStaysInRange) {
  FakeRandom random(5);
  const absl::Duration lo = absl::Seconds(1);
  const absl::Duration hi = absl::Seconds(3);
  bool below_two = false;
  bool above_two = false;
  for (int i = 0; i < 200; ++i) {
    const absl::Duration d = random.UniformDuration(lo, hi);
    ASSERT_GE(d, lo);
    ASSERT_LE(d, hi);
    (d < absl::Seconds(2) ? below_two : above_two) = true;
  }
  EXPECT_TRUE(below_two);
  EXPECT_TRUE(above_two);
  EXPECT_EQ(random.UniformDuration(hi, lo), hi);
  EXPECT_EQ(random.UniformDuration(lo, lo), lo);
}

}  // namespace
}  // namespace confidant::base
