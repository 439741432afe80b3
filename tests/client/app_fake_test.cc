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
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using ::confidant::testing::TempDir;
using ::testing::ElementsAre;

// Runs `f` on a thread of its own. A deadlocked thread cannot be freed: if
// `f` has not returned after `timeout`, the whole test binary fails.
void FinishesOrDie(std::function<void()> f, absl::Duration timeout,
                   const char* what) {
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  std::thread runner([&] {
    f();
    done.set_value();
  });
  if (finished.wait_for(absl::ToChronoNanoseconds(timeout)) !=
      std::future_status::ready) {
    std::fprintf(stderr, "FAILED: %s did not finish (deadlock)\n", what);
    std::fflush(stderr);
    std::_Exit(1);
  }
  runner.join();
}

constexpr char kPassphrase[] = "correct horse battery staple";
constexpr crypto::Argon2Params kCheapArgon2 = {1, 8192, 1};

class AppFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto relay = FakeRelay::Create();
    ASSERT_TRUE(relay.ok()) << relay.status();
    relay_ = *std::move(relay);
    auto org = relay_->CreateOrganisation("Gemeente Voorbeeld");
    ASSERT_TRUE(org.ok()) << org.status();
    org_ = *std::move(org);
  }

  AppOptions Options() {
    AppOptions options;
    options.argon2 = kCheapArgon2;
    options.make_transport = [this](const ConnectionSettings&)
        -> absl::StatusOr<std::unique_ptr<RelayTransport>> {
      return relay_->NewTransport();
    };
    options.messenger.receipt_delay_min = absl::ZeroDuration();
    options.messenger.receipt_delay_max = absl::ZeroDuration();
    options.reconnect_min = absl::Milliseconds(20);
    options.reconnect_max = absl::Milliseconds(100);
    return options;
  }

  std::unique_ptr<App> TrustPerson(const std::string& name) {
    return TrustPerson(name, Options());
  }
  std::unique_ptr<App> TrustPerson(const std::string& name,
                                   AppOptions options) {
    auto invite = relay_->CreateInvite({org_.organisation.id});
    EXPECT_TRUE(invite.ok()) << invite.status();
    TrustPersonProfile profile;
    profile.display_name = "Anna de Vries";
    profile.affiliation = Affiliation::kExternal;
    profile.languages = {"nl"};
    auto app = App::Enroll(dir_.path() + "/" + name, kPassphrase,
                           ConnectionSettings{}, invite.value_or(""), profile,
                           relay_->RootFingerprint(), std::move(options));
    EXPECT_TRUE(app.ok()) << app.status();
    return app.ok() ? *std::move(app) : nullptr;
  }

  std::unique_ptr<App> Employee(const std::string& name) {
    auto app =
        App::Join(dir_.path() + "/" + name, kPassphrase, ConnectionSettings{},
                  org_.access_code, relay_->RootFingerprint(), Options());
    EXPECT_TRUE(app.ok()) << app.status();
    return app.ok() ? *std::move(app) : nullptr;
  }

  std::vector<std::string> Bodies(App& app, const std::string& case_id) {
    absl::StatusOr<std::vector<CaseMessage>> messages = app.Read(case_id);
    EXPECT_TRUE(messages.ok()) << messages.status();
    std::vector<std::string> out;
    for (const CaseMessage& m : messages.value_or(std::vector<CaseMessage>{})) {
      out.push_back(m.body);
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<FakeRelay> relay_;
  FakeRelay::CreatedOrganisation org_;
};

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
class CallingBack : public AppObserver {
 public:
  explicit CallingBack(App& app) : app_(app) {}
  void OnMessage(const std::string& case_id, const CaseMessage& m,
                 bool) override {
    if (m.body.rfind("re:", 0) == 0) return;
    EXPECT_TRUE(app_.MarkRead(case_id).ok());
    EXPECT_TRUE(app_.Send(case_id, "re: " + m.body).ok());
    EXPECT_TRUE(app_.Read(case_id).ok());
    app_.AddObserver(&other_);
    app_.RemoveObserver(&other_);
    absl::MutexLock lock(&mu_);
    ++messages_;
  }
  void OnCaseChanged(const std::string&) override {
    absl::MutexLock lock(&mu_);
    ++case_changes_;
  }
  int messages() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }
  int case_changes() {
    absl::MutexLock lock(&mu_);
    return case_changes_;
  }
  bool WaitForMessages(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return messages_ >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
  }

 private:
  App& app_;
  AppObserver other_;
  absl::Mutex mu_;
  int messages_ ABSL_GUARDED_BY(mu_) = 0;
  int case_changes_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST_F(AppFakeTest, AnObserverMayCallTheAppDuringSyncOnce) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "een");
  ASSERT_TRUE(case_id.ok());
  ASSERT_TRUE(emp->Send(*case_id, "twee").ok());
  ASSERT_TRUE(emp->SendQueued().ok());
  CallingBack observer(*tp);
  tp->AddObserver(&observer);
  FinishesOrDie(
      [&] {
        absl::StatusOr<SyncReport> r = tp->SyncOnce();
        EXPECT_TRUE(r.ok()) << r.status();
      },
      absl::Seconds(30), "SyncOnce with an observer calling the App");
  tp->RemoveObserver(&observer);
  EXPECT_EQ(observer.messages(), 2);
  // Its own MarkRead calls were told to it too, after it returned.
  EXPECT_GE(observer.case_changes(), 4);
  absl::StatusOr<CaseSummary> summary = tp->Case(*case_id);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->unread_count, 0u);
  ASSERT_TRUE(emp->SyncOnce().ok());
  EXPECT_THAT(Bodies(*emp, *case_id),
              ElementsAre("een", "twee", "re: een", "re: twee"));
}

TEST_F(AppFakeTest, AnObserverMayCallTheAppWhileLive) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  CallingBack observer(*tp);
  tp->AddObserver(&observer);
  tp->Start();
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "een");
  ASSERT_TRUE(case_id.ok());
  ASSERT_TRUE(emp->SendQueued().ok());
  const bool seen = observer.WaitForMessages(1);
  FinishesOrDie(
      [&] {
        tp->Stop();
        tp->RemoveObserver(&observer);
      },
      absl::Seconds(30), "Stop with an observer calling the App");
  ASSERT_TRUE(seen);
  ASSERT_TRUE(tp->SendQueued().ok());
  ASSERT_TRUE(emp->SyncOnce().ok());
  EXPECT_THAT(Bodies(*emp, *case_id), ElementsAre("een", "re: een"));
}

// Removes itself from inside its first callback.
class OneShot : public AppObserver {
 public:
  explicit OneShot(App& app) : app_(app) {}
  void OnConnectionChanged(const ConnectionStatus&) override {
    ++calls_;
    app_.RemoveObserver(this);
  }
  int calls_ = 0;

 private:
  App& app_;
};

TEST_F(AppFakeTest, AnObserverThatRemovesItselfIsNotCalledAgain) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  OneShot once(*tp);
  tp->AddObserver(&once);
  FinishesOrDie(
      [&] {
        absl::StatusOr<std::string> case_id =
            emp->OpenCase(tp->account_id(), "een");
        ASSERT_TRUE(case_id.ok());
        ASSERT_TRUE(emp->SendQueued().ok());
        ASSERT_TRUE(tp->SyncOnce().ok());
        ASSERT_TRUE(tp->Send(*case_id, "twee").ok());
      },
      absl::Seconds(30), "an observer removing itself");
  EXPECT_EQ(once.calls_, 1);
}

// Blocks in its callback until released.
class Blocking : public AppObserver {
 public:
  void OnConnectionChanged(const ConnectionStatus&) override {
    absl::MutexLock lock(&mu_);
    inside_ = true;
    mu_.Await(absl::Condition(&released_));
    inside_ = false;
  }
  bool WaitInside() {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&inside_), absl::Seconds(10));
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }
  bool inside() {
    absl::MutexLock lock(&mu_);
    return inside_;
  }

 private:
  absl::Mutex mu_;
  bool inside_ ABSL_GUARDED_BY(mu_) = false;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
};

TEST_F(AppFakeTest, RemoveObserverWaitsForACallOnAnotherThread) {
  std::unique_ptr<App> tp = TrustPerson("tp");
  ASSERT_NE(tp, nullptr);
  Blocking observer;
  tp->AddObserver(&observer);
  tp->Start();
  ASSERT_TRUE(observer.WaitInside());
  std::future<void> removed =
      std::async(std::launch::async, [&] { tp->RemoveObserver(&observer); });
  EXPECT_EQ(removed.wait_for(std::chrono::milliseconds(300)),
            std::future_status::timeout);
  observer.Release();
  EXPECT_EQ(removed.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_FALSE(observer.inside());
  tp->Stop();
}

// Records connection states and messages.
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
