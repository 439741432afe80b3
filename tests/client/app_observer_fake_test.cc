// Observers of the app over the fake relay: they may call the App back,
// during SyncOnce and live, remove themselves, and RemoveObserver waits for
// a call in progress on another thread (client/app/app.h).
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

}  // namespace
}  // namespace confidant::client
