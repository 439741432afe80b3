// The app layer against the real confidant-relay: live delivery on one
// stream without polling, reconnection after the relay is killed, the outbox
// across client restarts, and a profile that fails at each write of a sync.
#include "client/app/app.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/app/app_stack.h"
#include "client/grpc_transport.h"
#include "client/messenger.h"
#include "client/profile_store.h"
#include "client/testing/forwarding_transport.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/messenger_fixture.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using messenger_testing::Bodies;
using messenger_testing::kPassphrase;
using messenger_testing::MessengerTest;
using messenger_testing::Party;
using ::testing::ElementsAre;

constexpr absl::Duration kWait = absl::Seconds(20);

// Records what an App tells its observers.
class Recorder : public AppObserver {
 public:
  void OnMessage(const std::string& case_id, const CaseMessage& message,
                 bool new_case) override {
    absl::MutexLock lock(&mu_);
    messages_.push_back(message.body);
    last_case_ = case_id;
  }
  void OnDeliveryChanged(const std::string& case_id,
                         const std::string& message_id,
                         DeliveryState state) override {
    absl::MutexLock lock(&mu_);
    if (state == DeliveryState::kSent) ++sent_;
    if (state == DeliveryState::kDelivered) ++delivered_;
  }
  void OnConnectionChanged(const ConnectionStatus& status) override {
    absl::MutexLock lock(&mu_);
    states_.push_back(status.state);
    queued_ = status.queued;
  }

  // Waits until `n` messages arrived; their bodies.
  std::vector<std::string> WaitForMessages(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return messages_.size() >= n;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), kWait);
    return messages_;
  }
  // Waits until the connection is in `state` (a state seen after `since`
  // earlier reports); true if it was.
  bool WaitForState(ConnectionState state, size_t since = 0) {
    absl::MutexLock lock(&mu_);
    auto seen = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      for (size_t i = since; i < states_.size(); ++i) {
        if (states_[i] == state) return true;
      }
      return false;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&seen), kWait);
  }
  bool WaitForDelivered(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return delivered_ >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kWait);
  }
  size_t state_count() {
    absl::MutexLock lock(&mu_);
    return states_.size();
  }
  std::string last_case() {
    absl::MutexLock lock(&mu_);
    return last_case_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> messages_ ABSL_GUARDED_BY(mu_);
  std::string last_case_ ABSL_GUARDED_BY(mu_);
  std::vector<ConnectionState> states_ ABSL_GUARDED_BY(mu_);
  uint32_t queued_ ABSL_GUARDED_BY(mu_) = 0;
  int sent_ ABSL_GUARDED_BY(mu_) = 0;
  int delivered_ ABSL_GUARDED_BY(mu_) = 0;
};

// A transport that counts the Receive streams opened over the real one.
class CountingTransport : public ForwardingTransport {
 public:
  CountingTransport(std::unique_ptr<RelayTransport> inner, int* opens)
      : ForwardingTransport(std::move(inner)), opens_(opens) {}
  absl::StatusOr<std::unique_ptr<ReceiveStream>> OpenReceive() override {
    ++*opens_;
    return ForwardingTransport::OpenReceive();
  }

 private:
  int* opens_;
};

class AppTest : public MessengerTest {
 protected:
  // Reopens `party` with a transport counting its streams in `opens`.
  void ReopenCounting(Party& party, int* opens) {
    party.Close();
    AppOptions options = party.Options();
    options.make_transport = [opens](const ConnectionSettings& s)
        -> absl::StatusOr<std::unique_ptr<RelayTransport>> {
      GrpcTransportOptions grpc;
      grpc.address = s.relay;
      grpc.insecure = true;
      auto inner = CreateGrpcTransport(grpc);
      if (!inner.ok()) return inner.status();
      return std::make_unique<CountingTransport>(*std::move(inner), opens);
    };
    auto opened = App::Open(party.profile_dir, kPassphrase, options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    party.Adopt(*std::move(opened));
  }
};

TEST_F(AppTest, LiveBothWaysOnOneStreamWithoutPolling) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  int tp_opens = 0;
  ASSERT_NO_FATAL_FAILURE(ReopenCounting(*tp, &tp_opens));
  Recorder tp_events, emp_events;
  tp->app->AddObserver(&tp_events);
  emp->app->AddObserver(&emp_events);
  tp->app->Start();
  emp->app->Start();
  ASSERT_TRUE(tp_events.WaitForState(ConnectionState::kConnected));
  ASSERT_TRUE(emp_events.WaitForState(ConnectionState::kConnected));

  absl::StatusOr<std::string> case_id =
      emp->app->OpenCase(tp->id(), "Goedemiddag, mag ik iets vragen?");
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  EXPECT_THAT(Bodies(tp_events.WaitForMessages(1)),
              ElementsAre(Bodies({"Goedemiddag, mag ik iets vragen?"})[0]));
  EXPECT_EQ(tp_events.last_case(), *case_id);
  // The receipt comes back live too.
  EXPECT_TRUE(emp_events.WaitForDelivered(1));

  ASSERT_TRUE(tp->app->Send(*case_id, "Natuurlijk. Waar gaat het over?").ok());
  EXPECT_EQ(emp_events.WaitForMessages(1).size(), 1u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(emp->app->Send(*case_id, absl::StrCat("bericht ", i)).ok());
  }
  std::vector<std::string> got = tp_events.WaitForMessages(6);
  ASSERT_EQ(got.size(), 6u);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(got[1 + i], absl::StrCat("bericht ", i));
  EXPECT_TRUE(emp_events.WaitForDelivered(6));

  // Everything above arrived on the one stream the trust person opened.
  EXPECT_EQ(tp_opens, 1);
  tp->app->Stop();
  emp->app->Stop();
  tp->app->RemoveObserver(&tp_events);
  emp->app->RemoveObserver(&emp_events);

  std::vector<CaseMessage> messages = emp->Read(*case_id);
  ASSERT_EQ(messages.size(), 7u);
  EXPECT_EQ(messages[0].delivery, DeliveryState::kDelivered);
  EXPECT_EQ(messages[1].direction, Direction::kIncoming);
  EXPECT_EQ(messages[6].delivery, DeliveryState::kDelivered);
}

TEST_F(AppTest, ReconnectsAfterTheRelayIsKilledAndRestarted) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  absl::StatusOr<std::string> case_id =
      emp->messenger->OpenCase(tp->id(), "Eerste bericht", t0_);
  ASSERT_TRUE(case_id.ok()) << case_id.status();

  Recorder events;
  tp->app->AddObserver(&events);
  tp->app->Start();
  ASSERT_EQ(events.WaitForMessages(1).size(), 1u);
  ASSERT_TRUE(events.WaitForState(ConnectionState::kConnected));

  const int port = relay_->port();
  const size_t before = events.state_count();
  relay_->Kill();
  ASSERT_TRUE(events.WaitForState(ConnectionState::kOffline, before));
  EXPECT_EQ(tp->app->connection().state == ConnectionState::kConnected, false);

  // The relay comes back on its port, with everything it stored.
  relay_->set_listen(absl::StrCat("127.0.0.1:", port));
  ASSERT_TRUE(relay_->Start()) << relay_->Log();
  const size_t offline = events.state_count();
  ASSERT_TRUE(events.WaitForState(ConnectionState::kConnected, offline));

  ASSERT_TRUE(emp->messenger->SendText(*case_id, "Na de herstart", t0_).ok());
  std::vector<std::string> got = events.WaitForMessages(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], "Na de herstart");
  tp->app->Stop();
  tp->app->RemoveObserver(&events);
}

TEST_F(AppTest, QueuedOfflineSurvivesARestartAndArrivesOnceInOrder) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  // The employee is offline: its relay address leads nowhere.
  emp->Close();
  {
    AppOptions options = emp->Options();
    options.relay = "127.0.0.1:1";
    auto offline = App::Open(emp->profile_dir, kPassphrase, options);
    ASSERT_TRUE(offline.ok()) << offline.status();
    absl::StatusOr<std::string> case_id =
        (*offline)->OpenCase(tp->id(), "Offline geschreven");
    ASSERT_TRUE(case_id.ok()) << case_id.status();
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE((*offline)->Send(*case_id, absl::StrCat("deel ", i)).ok());
    }
    EXPECT_FALSE((*offline)->SendQueued().ok());
    absl::StatusOr<std::vector<CaseMessage>> queued =
        (*offline)->Read(*case_id);
    ASSERT_TRUE(queued.ok());
    ASSERT_EQ(queued->size(), 4u);
    for (const CaseMessage& m : *queued) {
      EXPECT_EQ(m.delivery, DeliveryState::kQueued);
    }
    Recorder events;
    (*offline)->AddObserver(&events);
    (*offline)->Start();
    ASSERT_TRUE(events.WaitForState(ConnectionState::kOffline));
    EXPECT_EQ((*offline)->connection().queued, 4u);
    (*offline)->Stop();
    (*offline)->RemoveObserver(&events);
  }
  // Restarted with the relay reachable: the queue leaves, once, in order.
  ASSERT_NO_FATAL_FAILURE(emp->Reopen());
  Recorder events;
  emp->app->AddObserver(&events);
  emp->app->Start();
  ASSERT_TRUE(events.WaitForState(ConnectionState::kConnected));
  SyncReport r;
  for (int i = 0; i < 50 && r.received < 4; ++i) {
    r.Add(tp->Sync(t0_));
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(r.received, 4);
  ASSERT_TRUE(events.WaitForDelivered(4));
  emp->app->Stop();
  emp->app->RemoveObserver(&events);
  ASSERT_NO_FATAL_FAILURE(emp->Reopen());
  EXPECT_EQ(emp->messenger->Sync(t0_)->sent, 0);
  EXPECT_EQ(tp->Sync(t0_).received, 0);

  std::vector<CaseSummary> cases = tp->Cases();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_THAT(
      Bodies(tp->Read(cases[0].case_id)),
      ElementsAre(Bodies({"Offline geschreven"})[0], Bodies({"deel 1"})[0],
                  Bodies({"deel 2"})[0], Bodies({"deel 3"})[0]));
}

// After leveldb's fault-injection tests: every write a sync makes fails in
// turn, once. After each, nothing is lost or doubled, and the conversation
// goes on.
TEST_F(AppTest, NoMessageLostWhicheverWriteOfASyncFails) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  ASSERT_NE(tp, nullptr);
  int writes = 0;
  int fail_at = -1;
  tp->profile->SetWriteFaultForTesting(
      [&](const ProfileStore::Batch&) -> absl::Status {
        if (writes++ == fail_at) {
          return absl::UnavailableError("injected disk failure");
        }
        return absl::OkStatus();
      });

  // One employee per round, each with a new case of three messages (the
  // first starts the session, the others ride on it).
  auto round = [&](int fault, const std::string& name) {
    SCOPED_TRACE(absl::StrCat("write point ", fault));
    std::unique_ptr<Party> emp = NewEmployee(name);
    ASSERT_NE(emp, nullptr);
    absl::StatusOr<std::string> case_id =
        emp->messenger->OpenCase(tp->id(), "een", t0_);
    ASSERT_TRUE(case_id.ok()) << case_id.status();
    ASSERT_TRUE(emp->messenger->SendText(*case_id, "twee", t0_).ok());
    ASSERT_TRUE(emp->messenger->SendText(*case_id, "drie", t0_).ok());

    writes = 0;
    fail_at = fault;
    absl::StatusOr<SyncReport> failed = tp->messenger->Sync(t0_);
    fail_at = -1;
    if (fault >= 0 && writes > fault) {
      EXPECT_FALSE(failed.ok()) << "write " << fault << " of " << writes;
    }
    SyncReport again = tp->Sync(t0_);
    (void)again;
    EXPECT_THAT(Bodies(tp->Read(*case_id)),
                ElementsAre(Bodies({"een"})[0], Bodies({"twee"})[0],
                            Bodies({"drie"})[0]));
    // The conversation goes on, both ways, and receipts got through.
    ASSERT_TRUE(tp->messenger->SendText(*case_id, "antwoord", t0_).ok());
    emp->Sync(t0_);
    std::vector<CaseMessage> seen = emp->Read(*case_id);
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[3].body, "antwoord");
    EXPECT_EQ(seen[0].delivery, DeliveryState::kDelivered);
    EXPECT_EQ(seen[2].delivery, DeliveryState::kDelivered);
  };
  // A clean round counts the write points.
  ASSERT_NO_FATAL_FAILURE(round(-1, "employee_count"));
  writes = 0;
  {
    std::unique_ptr<Party> emp = NewEmployee("employee_probe");
    ASSERT_NE(emp, nullptr);
    absl::StatusOr<std::string> case_id =
        emp->messenger->OpenCase(tp->id(), "een", t0_);
    ASSERT_TRUE(case_id.ok());
    ASSERT_TRUE(emp->messenger->SendText(*case_id, "twee", t0_).ok());
    ASSERT_TRUE(emp->messenger->SendText(*case_id, "drie", t0_).ok());
    writes = 0;
    tp->Sync(t0_);
  }
  const int points = writes;
  ASSERT_GE(points, 4);  // three messages and the receipts' send at least
  for (int fault = 0; fault < points; ++fault) {
    ASSERT_NO_FATAL_FAILURE(round(fault, absl::StrCat("employee", fault)));
  }
}

TEST_F(AppTest, ReceiptsWaitTheirDelayAndLeaveTogether) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  // The trust person's receipts wait exactly ten minutes (its clock).
  tp->Close();
  AppOptions options = tp->Options();
  options.messenger.receipt_delay_min = absl::Minutes(10);
  options.messenger.receipt_delay_max = absl::Minutes(10);
  auto opened = App::Open(tp->profile_dir, kPassphrase, options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  tp->Adopt(*std::move(opened));

  absl::StatusOr<std::string> case_id =
      emp->messenger->OpenCase(tp->id(), "een", t0_);
  ASSERT_TRUE(case_id.ok());
  ASSERT_TRUE(emp->messenger->SendText(*case_id, "twee", t0_).ok());
  SyncReport r = tp->Sync(t0_);
  EXPECT_EQ(r.received, 2);
  EXPECT_EQ(r.sent, 0);  // no receipt yet
  ASSERT_TRUE(emp->messenger->SendText(*case_id, "drie", t0_).ok());
  r = tp->Sync(t0_ + absl::Minutes(9));
  EXPECT_EQ(r.received, 1);
  EXPECT_EQ(r.sent, 0);
  emp->Sync(t0_);
  for (const CaseMessage& m : emp->Read(*case_id)) {
    EXPECT_EQ(m.delivery, DeliveryState::kSent);
  }
  // Once the first is due, all three leave in one receipt message.
  r = tp->Sync(t0_ + absl::Minutes(10));
  EXPECT_EQ(r.sent, 1);
  EXPECT_EQ(emp->Sync(t0_).receipts, 1);
  for (const CaseMessage& m : emp->Read(*case_id)) {
    EXPECT_EQ(m.delivery, DeliveryState::kDelivered);
  }
}

TEST_F(AppTest, AnUnknownKindFromANewerClientIsAckedAndIgnored) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  absl::StatusOr<std::string> case_id =
      emp->messenger->OpenCase(tp->id(), "hallo", t0_);
  ASSERT_TRUE(case_id.ok());
  ASSERT_EQ(tp->Sync(t0_).received, 1);
  v1::AppMessage future;
  future.set_message_id(std::string(16, 'f'));
  future.set_case_id(*case_id);
  future.set_kind(static_cast<v1::AppMessage::Kind>(42));
  future.set_body("iets nieuws");
  ASSERT_TRUE(
      emp->transport->Send(tp->id(), emp->Envelope(tp->id(), future)).ok());
  SyncReport r = tp->Sync(t0_);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_THAT(r.warnings, ElementsAre("unknown message kind"));
  EXPECT_EQ(tp->Sync(t0_).dropped, 0);  // acked: never again
  EXPECT_EQ(tp->Read(*case_id).size(), 1u);
  // And the session goes on.
  ASSERT_TRUE(emp->messenger->SendText(*case_id, "nog iets", t0_).ok());
  EXPECT_EQ(tp->Sync(t0_).received, 1);
}

}  // namespace
}  // namespace confidant::client
