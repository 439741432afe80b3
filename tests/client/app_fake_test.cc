// The app layer over the fake relay (client/testing/fake_relay.h): the
// outbox and receiving when the relay vanishes, loses a reply, or answers
// an error, fast enough to try every case. The real relay's versions are in
// app_test.cc.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "client/app/app.h"
#include "client/messenger.h"
#include "client/testing/fake_relay.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/app_fake_fixture.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using ::testing::ElementsAre;

TEST_F(AppFakeTest, OfflineSendsQueueAndLeaveInOrderWhenTheRelayReturns) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  relay_->SetReachable(false);
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "een");
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  ASSERT_TRUE(emp->Send(*case_id, "twee").ok());
  absl::StatusOr<int> sent = emp->SendQueued();
  EXPECT_TRUE(absl::IsUnavailable(sent.status())) << sent.status();
  EXPECT_FALSE(emp->SyncOnce().ok());
  absl::StatusOr<std::vector<CaseMessage>> queued = emp->Read(*case_id);
  ASSERT_TRUE(queued.ok());
  for (const CaseMessage& m : *queued) {
    EXPECT_EQ(m.delivery, DeliveryState::kQueued);
  }
  relay_->SetReachable(true);
  absl::StatusOr<SyncReport> r = emp->SyncOnce();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->sent, 2);
  ASSERT_TRUE(tp->SyncOnce().ok());
  EXPECT_THAT(Bodies(*tp, *case_id), ElementsAre("een", "twee"));
}

TEST_F(AppFakeTest, ALostSendReplyIsSentAgainAndShownOnce) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "een");
  ASSERT_TRUE(case_id.ok());
  ASSERT_TRUE(emp->SendQueued().ok());
  // The relay stores the next message but the reply never arrives.
  ASSERT_TRUE(emp->Send(*case_id, "twee").ok());
  relay_->FailNextCall(RelayMethod::kSend,
                       absl::UnavailableError("connection reset"),
                       /*after_effect=*/true);
  EXPECT_FALSE(emp->SendQueued().ok());
  absl::StatusOr<int> again = emp->SendQueued();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 1);
  EXPECT_EQ(relay_->QueuedCount(tp->account_id()), 3u);
  absl::StatusOr<SyncReport> r = tp->SyncOnce();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->received, 2);
  EXPECT_EQ(r->duplicates, 1);
  EXPECT_THAT(Bodies(*tp, *case_id), ElementsAre("een", "twee"));
}

TEST_F(AppFakeTest, AnEnvelopeWhoseAckIsLostComesAgainAndIsShownOnce) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "een");
  ASSERT_TRUE(case_id.ok());
  ASSERT_TRUE(emp->SendQueued().ok());
  relay_->FailNextCall(RelayMethod::kAck, absl::UnavailableError("gone"));
  EXPECT_FALSE(tp->SyncOnce().ok());
  // Stored, not acked: delivered again, recognised by the session as a
  // replay, and acked.
  absl::StatusOr<SyncReport> r = tp->SyncOnce();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->received, 0);
  EXPECT_EQ(r->duplicates + r->dropped, 1);
  EXPECT_EQ(relay_->QueuedCount(tp->account_id()), 0u);
  EXPECT_THAT(Bodies(*tp, *case_id), ElementsAre("een"));
}

TEST_F(AppFakeTest, ARefusedMessageIsMarkedFailedAndTheQueueMovesOn) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "een");
  ASSERT_TRUE(case_id.ok());
  ASSERT_TRUE(emp->SendQueued().ok());
  ASSERT_TRUE(emp->Send(*case_id, "geweigerd").ok());
  ASSERT_TRUE(emp->Send(*case_id, "daarna").ok());
  relay_->FailNextCall(RelayMethod::kSend,
                       absl::PermissionDeniedError("not allowed"));
  absl::StatusOr<int> sent = emp->SendQueued();
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 1);
  absl::StatusOr<std::vector<CaseMessage>> mine = emp->Read(*case_id);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 3u);
  EXPECT_EQ((*mine)[1].delivery, DeliveryState::kFailed);
  EXPECT_EQ((*mine)[2].delivery, DeliveryState::kSent);
  EXPECT_EQ(emp->connection().queued, 0u);
}

TEST_F(AppFakeTest, CatchesUpOnMoreThanOneAckBatchOfQueuedEnvelopes) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  constexpr int kQueued = 2100;  // more than two ack calls' worth
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "0");
  ASSERT_TRUE(case_id.ok());
  for (int i = 1; i < kQueued; ++i) {
    ASSERT_TRUE(emp->Send(*case_id, absl::StrCat(i)).ok());
  }
  absl::StatusOr<int> sent = emp->SendQueued();
  ASSERT_TRUE(sent.ok()) << sent.status();
  ASSERT_EQ(*sent, kQueued);
  absl::StatusOr<SyncReport> r = tp->SyncOnce();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->received, kQueued);
  EXPECT_EQ(relay_->QueuedCount(tp->account_id()), 0u);
  std::vector<std::string> bodies = Bodies(*tp, *case_id);
  ASSERT_EQ(bodies.size(), static_cast<size_t>(kQueued));
  for (int i = 0; i < kQueued; ++i) EXPECT_EQ(bodies[i], absl::StrCat(i));
}

TEST_F(AppFakeTest, OrganisationsAnswerWhileKeyUpkeepWaitsForTheRelay) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  ASSERT_NE(tp, nullptr);
  relay_->HoldCalls(RelayMethod::kGetPreKeyCount);
  absl::StatusOr<SyncReport> synced;
  std::thread sync([&] { synced = tp->SyncOnce(); });
  ASSERT_TRUE(
      relay_->WaitForHeldCall(RelayMethod::kGetPreKeyCount, absl::Seconds(10)));
  // What the desktop asks on the window's thread.
  std::future<size_t> organisations = std::async(
      std::launch::async, [&] { return tp->organisations().size(); });
  const bool answered = organisations.wait_for(std::chrono::seconds(3)) ==
                        std::future_status::ready;
  relay_->ReleaseCalls(RelayMethod::kGetPreKeyCount);
  sync.join();
  EXPECT_TRUE(answered) << "organisations() waited for the relay";
  EXPECT_EQ(organisations.get(), 1u);
  EXPECT_TRUE(synced.ok()) << synced.status();
}

TEST_F(AppFakeTest, AReceiptWhoseSendFailsIsSentLaterExactlyOnce) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "een");
  ASSERT_TRUE(case_id.ok());
  ASSERT_TRUE(emp->SendQueued().ok());
  // The message is stored and acked; its receipt's Send fails.
  relay_->FailNextCall(RelayMethod::kSend,
                       absl::UnavailableError("connection reset"));
  absl::StatusOr<SyncReport> received = tp->SyncOnce();
  EXPECT_TRUE(absl::IsUnavailable(received.status())) << received.status();
  EXPECT_EQ(relay_->QueuedCount(tp->account_id()), 0u);
  EXPECT_EQ(relay_->QueuedCount(emp->account_id()), 0u);
  absl::StatusOr<SyncReport> none = emp->SyncOnce();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->receipts, 0);

  // Kept in the outbox: it leaves with the next round, once.
  absl::StatusOr<int> sent = tp->SendQueued();
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 1);
  absl::StatusOr<int> again = tp->SendQueued();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(relay_->QueuedCount(emp->account_id()), 1u);
  absl::StatusOr<SyncReport> delivered = emp->SyncOnce();
  ASSERT_TRUE(delivered.ok()) << delivered.status();
  EXPECT_EQ(delivered->receipts, 1);
  absl::StatusOr<std::vector<CaseMessage>> mine = emp->Read(*case_id);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].delivery, DeliveryState::kDelivered);
  ASSERT_TRUE(tp->SyncOnce().ok());
  absl::StatusOr<SyncReport> later = emp->SyncOnce();
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->receipts, 0);
}

TEST_F(AppFakeTest, ReceiptsToOnePeerLeaveTogetherAfterOneRandomDelay) {
  constexpr uint64_t kSeed = 12;
  const absl::Duration kMin = absl::Seconds(5);
  const absl::Duration kMax = absl::Seconds(60);
  const absl::Time t0 = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  base::FakeClock clock(t0);
  base::FakeRandom random(kSeed);
  AppOptions options = Options();
  options.clock = &clock;
  options.messenger.random = &random;
  options.messenger.receipt_delay_min = kMin;
  options.messenger.receipt_delay_max = kMax;
  std::unique_ptr<App> tp = TrustPerson("tp", std::move(options));
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  // Two cases with the same peer, each with a message.
  absl::StatusOr<std::string> first = emp->OpenCase(tp->account_id(), "een");
  absl::StatusOr<std::string> second = emp->OpenCase(tp->account_id(), "twee");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(emp->SendQueued().ok());
  absl::StatusOr<SyncReport> received = tp->SyncOnce();
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(received->received, 2);
  EXPECT_EQ(received->sent, 0);

  // The one delay drawn, from the same sequence the messenger got.
  base::FakeRandom replay(kSeed);
  const absl::Duration delay = replay.UniformDuration(kMin, kMax);
  ASSERT_GE(delay, kMin);
  ASSERT_LE(delay, kMax);
  clock.Set(t0 + delay - absl::Seconds(1));
  absl::StatusOr<int> early = tp->SendQueued();
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_EQ(*early, 0);
  clock.Set(t0 + delay);
  absl::StatusOr<int> due = tp->SendQueued();
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(*due, 2) << "both cases' receipts leave in one round";
  absl::StatusOr<SyncReport> delivered = emp->SyncOnce();
  ASSERT_TRUE(delivered.ok()) << delivered.status();
  EXPECT_EQ(delivered->receipts, 2);
}

// The connection statuses told while offline.
class OfflineRecorder : public AppObserver {
 public:
  void OnConnectionChanged(const ConnectionStatus& s) override {
    if (s.state != ConnectionState::kOffline) return;
    absl::MutexLock lock(&mu_);
    if (!seen_.empty() && seen_.back().retry_in == s.retry_in) return;
    seen_.push_back(s);
  }
  // The `n`th offline status (from 0), once told; nullopt after 10 s.
  std::optional<ConnectionStatus> Wait(size_t n) {
    absl::MutexLock lock(&mu_);
    auto told = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return seen_.size() > n;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&told), absl::Seconds(10))) {
      return std::nullopt;
    }
    return seen_[n];
  }

 private:
  absl::Mutex mu_;
  std::vector<ConnectionStatus> seen_ ABSL_GUARDED_BY(mu_);
};

TEST_F(AppFakeTest, ReconnectBackoffDoublesFromOneSecondToAMinuteWithJitter) {
  constexpr uint64_t kSeed = 7;
  base::FakeRandom random(kSeed);
  AppOptions options = Options();
  options.reconnect_min = absl::Seconds(1);  // the defaults
  options.reconnect_max = absl::Seconds(60);
  options.random = &random;
  std::unique_ptr<App> tp = TrustPerson("tp", std::move(options));
  ASSERT_NE(tp, nullptr);
  relay_->SetReachable(false);
  OfflineRecorder offline;
  tp->AddObserver(&offline);
  tp->Start();
  // The jitter the App draws, replayed: the upper half of each backoff.
  base::FakeRandom replay(kSeed);
  absl::Duration backoff = absl::Seconds(1);
  std::vector<absl::Duration> waits;
  for (size_t i = 0; i < 9; ++i) {
    std::optional<ConnectionStatus> status = offline.Wait(i);
    ASSERT_TRUE(status.has_value()) << "no attempt " << i;
    EXPECT_TRUE(absl::IsUnavailable(status->error)) << status->error;
    const absl::Duration expected =
        replay.UniformDuration(backoff / 2, backoff);
    EXPECT_EQ(status->retry_in, expected) << "attempt " << i;
    EXPECT_GE(status->retry_in, backoff / 2);
    EXPECT_LE(status->retry_in, backoff);
    waits.push_back(status->retry_in);
    backoff = std::min(backoff * 2, absl::Seconds(60));
    tp->RetryNow();  // rather than wait for it
  }
  tp->Stop();
  tp->RemoveObserver(&offline);
  EXPECT_LE(waits.front(), absl::Seconds(1));
  EXPECT_GE(waits.back(), absl::Seconds(30));
  EXPECT_LE(waits.back(), absl::Seconds(60));
  // Jittered: not simply the backoff itself.
  EXPECT_NE(waits[6], absl::Seconds(60));
  EXPECT_NE(waits[7], waits[8]);
}

// Calls back into the App from its callbacks, as a UI would: marks every new
// message read and answers it, and adds or removes observers.
class Recorder : public AppObserver {
 public:
  void OnMessage(const std::string&, const CaseMessage& m, bool) override {
    absl::MutexLock lock(&mu_);
    bodies_.push_back(m.body);
  }
  void OnConnectionChanged(const ConnectionStatus& s) override {
    absl::MutexLock lock(&mu_);
    states_.push_back(s.state);
  }
  bool WaitFor(ConnectionState state, size_t since) {
    absl::MutexLock lock(&mu_);
    auto seen = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      for (size_t i = since; i < states_.size(); ++i) {
        if (states_[i] == state) return true;
      }
      return false;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&seen), absl::Seconds(10));
  }
  size_t WaitForBodies(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return bodies_.size() >= n;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
    return bodies_.size();
  }
  size_t count() {
    absl::MutexLock lock(&mu_);
    return states_.size();
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> bodies_ ABSL_GUARDED_BY(mu_);
  std::vector<ConnectionState> states_ ABSL_GUARDED_BY(mu_);
};

TEST_F(AppFakeTest, LiveReconnectsAndSaysSoEachTimeTheRelayVanishes) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  Recorder events;
  tp->AddObserver(&events);
  tp->Start();
  ASSERT_TRUE(events.WaitFor(ConnectionState::kConnected, 0));
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "0");
  ASSERT_TRUE(case_id.ok());
  ASSERT_TRUE(emp->SendQueued().ok());
  ASSERT_EQ(events.WaitForBodies(1), 1u);
  for (int i = 1; i <= 3; ++i) {
    const size_t before = events.count();
    relay_->SetReachable(false);
    ASSERT_TRUE(events.WaitFor(ConnectionState::kOffline, before));
    relay_->SetReachable(true);
    ASSERT_TRUE(events.WaitFor(ConnectionState::kConnected, before));
    ASSERT_TRUE(emp->Send(*case_id, absl::StrCat(i)).ok());
    ASSERT_TRUE(emp->SendQueued().ok());
    ASSERT_EQ(events.WaitForBodies(1 + i), static_cast<size_t>(1 + i));
  }
  tp->Stop();
  tp->RemoveObserver(&events);
  EXPECT_THAT(Bodies(*tp, *case_id), ElementsAre("0", "1", "2", "3"));
}

TEST_F(AppFakeTest, LiveCatchesUpOnMoreThanOneAckBatch) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  constexpr int kQueued = 2100;
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "0");
  ASSERT_TRUE(case_id.ok());
  for (int i = 1; i < kQueued; ++i) {
    ASSERT_TRUE(emp->Send(*case_id, absl::StrCat(i)).ok());
  }
  ASSERT_TRUE(emp->SendQueued().ok());
  Recorder events;
  tp->AddObserver(&events);
  tp->Start();
  EXPECT_EQ(events.WaitForBodies(kQueued), static_cast<size_t>(kQueued));
  ASSERT_TRUE(events.WaitFor(ConnectionState::kConnected, 0));
  tp->Stop();
  tp->RemoveObserver(&events);
  EXPECT_EQ(relay_->QueuedCount(tp->account_id()), 0u);
  EXPECT_EQ(relay_->QueuedCount(tp->account_id()), 0u);
}

}  // namespace
}  // namespace confidant::client
