// When the relay forgets: the schedule alone, and the Forgetter thread over
// a storage that counts its passes.
#include "server/forgetter.h"

#include <atomic>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "base/testing/fake_clock.h"
#include "gtest/gtest.h"
#include "server/storage/memory_storage.h"

namespace confidant::server {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1790000000);

TEST(ForgetScheduleTest, NothingKnownMeansAPassAtOnce) {
  ForgetSchedule schedule(absl::Minutes(10));
  EXPECT_TRUE(schedule.Due(kStart, absl::InfinitePast()));
}

TEST(ForgetScheduleTest, APassStartsATenthOfTheWindowBeforeItEnds) {
  ForgetSchedule schedule(absl::Minutes(10));
  EXPECT_FALSE(schedule.Due(kStart + absl::Minutes(8), kStart));
  EXPECT_FALSE(schedule.Due(kStart + absl::Seconds(539), kStart));
  EXPECT_TRUE(schedule.Due(kStart + absl::Seconds(540), kStart));
}

TEST(ForgetScheduleTest, LongPassesStartEarlier) {
  ForgetSchedule schedule(absl::Minutes(10));
  schedule.PassTook(absl::Minutes(2));
  // Twice the last pass plus two polls before the window ends.
  EXPECT_FALSE(schedule.Due(kStart + absl::Seconds(349), kStart));
  EXPECT_TRUE(schedule.Due(kStart + absl::Seconds(350), kStart));
}

TEST(ForgetScheduleTest, PollsOftenEnoughForShortAndLongWindows) {
  EXPECT_EQ(ForgetSchedule(absl::Minutes(10)).PollInterval(), absl::Seconds(5));
  EXPECT_EQ(ForgetSchedule(absl::Seconds(2)).PollInterval(),
            absl::Milliseconds(100));
  EXPECT_EQ(ForgetSchedule(absl::Milliseconds(100)).PollInterval(),
            absl::Milliseconds(50));
}

// Memory storage that reports writes when told and counts passes.
class CountingStorage : public Storage {
 public:
  OrganisationStore& organisations() override {
    return inner_->organisations();
  }
  AccountStore& accounts() override { return inner_->accounts(); }
  KeyStore& keys() override { return inner_->keys(); }
  MailboxStore& mailboxes() override { return inner_->mailboxes(); }
  absl::Status Checkpoint(const std::string& dir) override {
    return inner_->Checkpoint(dir);
  }
  absl::StatusOr<uint64_t> BytesOnDisk() override { return 0; }
  absl::Status Flush() override { return absl::OkStatus(); }
  absl::Status Forget() override {
    absl::MutexLock lock(&mu_);
    ++passes_;
    if (fail_) return absl::InternalError("disk gone");
    dirty_ = false;
    return absl::OkStatus();
  }
  bool HasUnforgottenWrites() override {
    absl::MutexLock lock(&mu_);
    return dirty_;
  }

  void Write() {
    absl::MutexLock lock(&mu_);
    dirty_ = true;
  }
  void SetFailing(bool fail) {
    absl::MutexLock lock(&mu_);
    fail_ = fail;
  }
  int passes() {
    absl::MutexLock lock(&mu_);
    return passes_;
  }
  // Waits (real time) until `n` passes ran; false after 5 s.
  bool AwaitPasses(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n]()
                       ABSL_SHARED_LOCKS_REQUIRED(mu_) { return passes_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), absl::Seconds(5));
  }

 private:
  std::unique_ptr<Storage> inner_ = NewMemoryStorage();
  absl::Mutex mu_;
  bool dirty_ ABSL_GUARDED_BY(mu_) = true;  // as after a start
  bool fail_ ABSL_GUARDED_BY(mu_) = false;
  int passes_ ABSL_GUARDED_BY(mu_) = 0;
};

// A window of 1 s polls every 50 ms; the fake clock says when a pass is due.
TEST(ForgetterTest, FirstPassAtOnceThenOnlyAfterWritesAndBeforeTheWindowEnds) {
  CountingStorage storage;
  base::FakeClock clock(kStart);
  Forgetter forgetter(storage, clock, absl::Seconds(1));
  ASSERT_TRUE(storage.AwaitPasses(1));

  absl::SleepFor(absl::Milliseconds(300));  // clean: nothing to do
  clock.Advance(absl::Hours(1));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(storage.passes(), 1);

  storage.Write();
  absl::SleepFor(absl::Milliseconds(300));  // the clock stands still
  EXPECT_EQ(storage.passes(), 1);
  clock.Advance(absl::Milliseconds(500));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(storage.passes(), 1);
  clock.Advance(absl::Milliseconds(400));  // 0.9 s since it was last clean
  EXPECT_TRUE(storage.AwaitPasses(2));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(storage.passes(), 2);
}

TEST(ForgetterTest, AFailedPassIsRetried) {
  CountingStorage storage;
  storage.SetFailing(true);
  base::FakeClock clock(kStart);
  Forgetter forgetter(storage, clock, absl::Seconds(1));
  ASSERT_TRUE(storage.AwaitPasses(3));
  EXPECT_TRUE(storage.HasUnforgottenWrites());
  storage.SetFailing(false);
  const int before = storage.passes();
  ASSERT_TRUE(storage.AwaitPasses(before + 1));
  EXPECT_FALSE(storage.HasUnforgottenWrites());
}

TEST(ForgetterTest, StopsPromptly) {
  CountingStorage storage;
  base::FakeClock clock(kStart);
  const absl::Time begin = absl::Now();
  {
    Forgetter forgetter(storage, clock, absl::Minutes(10));
    ASSERT_TRUE(storage.AwaitPasses(1));
  }
  EXPECT_LT(absl::Now() - begin, absl::Seconds(2));
}

}  // namespace
}  // namespace confidant::server
