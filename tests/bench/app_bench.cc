// confidant-app-bench: what the app layer costs, against the real relay on
// loopback. Not a test (nothing here asserts a time); the results go into
// docs/benchmarks.md. Run: build/default/tests/confidant-app-bench
//   Live latency   from Send() returning on one app to the peer app's
//                  observer firing, both live; p50 and p99.
//   Burst          10,000 envelopes queued for an app that then connects:
//                  messages handled per second.
//   Cases / read   ListCases and ReadCase in a profile of 10 cases and of
//                  1,000 cases of 100 messages each.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/bytes.h"
#include "client/app/app.h"
#include "client/app/app_stack.h"
#include "client/messenger.h"
#include "client/profile_store.h"
#include "confidant/client/v1/message.pb.h"
#include "confidant/v1/admin.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using ::confidant::testing::RelayProcess;
using ::confidant::testing::TempDir;

constexpr char kPassphrase[] = "correct horse battery staple";
constexpr crypto::Argon2Params kCheapArgon2 = {1, 8192, 1};

// Counts arrivals and the time of each.
class Arrivals : public AppObserver {
 public:
  void OnError(const absl::Status& error) override {
    std::fprintf(stderr, "app error: %s\n", error.ToString().c_str());
  }
  void OnConnectionChanged(const ConnectionStatus& s) override {
    if (s.state == ConnectionState::kOffline) {
      std::fprintf(stderr, "offline: %s\n", s.error.ToString().c_str());
    }
  }
  void OnMessage(const std::string&, const CaseMessage&, bool) override {
    absl::MutexLock lock(&mu_);
    times_.push_back(absl::Now());
  }
  // Waits for `n` arrivals; the time of the n-th.
  absl::Time WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return times_.size() >= n;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(60));
    if (times_.size() < n)
      std::fprintf(stderr, "%zu of %zu arrived\n", times_.size(), n);
    return times_.size() >= n ? times_[n - 1] : absl::InfiniteFuture();
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::Time> times_ ABSL_GUARDED_BY(mu_);
};

class AppBench : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string config = dir_.path() + "/relay.toml";
    // Generous limits: this measures the client, not the relay's policing.
    std::ofstream(config) << "[limits]\n"
                             "send_per_second = 100000.0\n"
                             "send_burst = 100000.0\n"
                             "bundle_per_second = 1000.0\n"
                             "bundle_burst = 1000.0\n";
    data_dir_ = dir_.path() + "/relay";
    relay_ = std::make_unique<RelayProcess>(
        CONFIDANT_RELAY_BIN, data_dir_,
        std::vector<std::string>{"--config", config});
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    org_ = ::confidant::testing::AdminJson<
        ::confidant::v1::CreateOrganisationResponse>(
        CONFIDANT_ADMIN_BIN, data_dir_, {"org", "create", "Bench"});
  }

  AppOptions Options() {
    AppOptions options;
    options.relay = relay_->address();
    options.insecure = true;
    options.argon2 = kCheapArgon2;
    options.messenger.receipt_delay_min = absl::Seconds(5);
    options.messenger.receipt_delay_max = absl::Seconds(60);
    return options;
  }

  std::unique_ptr<App> TrustPerson() {
    auto invite =
        ::confidant::testing::AdminJson<::confidant::v1::CreateInviteResponse>(
            CONFIDANT_ADMIN_BIN, data_dir_,
            {"invite", "create", "--org", org_.organisation().id()});
    TrustPersonProfile p;
    p.display_name = "Bench";
    p.affiliation = Affiliation::kInternal;
    p.languages = {"nl"};
    auto app = App::Enroll(dir_.path() + "/tp", kPassphrase, {},
                           invite.invite_code(), p, "", Options());
    EXPECT_TRUE(app.ok()) << app.status();
    return app.ok() ? *std::move(app) : nullptr;
  }

  std::unique_ptr<App> Employee() {
    auto app = App::Join(dir_.path() + "/emp", kPassphrase, {},
                         org_.access_code(), "", Options());
    EXPECT_TRUE(app.ok()) << app.status();
    return app.ok() ? *std::move(app) : nullptr;
  }

  TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  ::confidant::v1::CreateOrganisationResponse org_;
};

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

TEST_F(AppBench, LiveLatency) {
  std::unique_ptr<App> tp = TrustPerson();
  std::unique_ptr<App> emp = Employee();
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  Arrivals arrivals;
  tp->AddObserver(&arrivals);
  tp->Start();
  emp->Start();
  absl::StatusOr<std::string> case_id =
      emp->OpenCase(tp->account_id(), "warm-up");
  ASSERT_TRUE(case_id.ok());
  arrivals.WaitFor(1);
  constexpr int kMessages = 500;
  std::vector<double> latencies;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(emp->Send(*case_id, absl::StrCat("bericht ", i)).ok());
    const absl::Time sent = absl::Now();
    const absl::Time got = arrivals.WaitFor(2 + i);
    latencies.push_back(Ms(got - sent));
    absl::SleepFor(absl::Milliseconds(5));  // one at a time, as people type
  }
  tp->Stop();
  emp->Stop();
  tp->RemoveObserver(&arrivals);
  // For comparison: the relay's durable Send alone, as the sender sees it.
  std::vector<double> relay_sends;
  RelayTransport& transport = *emp->StackForTesting().transport;
  for (int i = 0; i < 200; ++i) {
    const absl::Time start = absl::Now();
    ASSERT_TRUE(transport.Send(tp->account_id(), std::string(1024, 'x')).ok());
    relay_sends.push_back(Ms(absl::Now() - start));
  }
  std::sort(relay_sends.begin(), relay_sends.end());
  std::printf("relay Send round trip alone: p50 %.2f ms, p99 %.2f ms\n",
              relay_sends[100], relay_sends[198]);
  std::sort(latencies.begin(), latencies.end());
  std::printf(
      "live latency over %d messages: p50 %.2f ms, p99 %.2f ms, "
      "max %.2f ms\n",
      kMessages, latencies[kMessages / 2], latencies[kMessages * 99 / 100],
      latencies.back());
}

TEST_F(AppBench, BurstOfTenThousand) {
  std::unique_ptr<App> tp = TrustPerson();
  std::unique_ptr<App> emp = Employee();
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  const int kBurst = std::getenv("CONFIDANT_BENCH_BURST") != nullptr
                         ? std::atoi(std::getenv("CONFIDANT_BENCH_BURST"))
                         : 10000;
  absl::StatusOr<std::string> case_id = emp->OpenCase(tp->account_id(), "0");
  ASSERT_TRUE(case_id.ok());
  for (int i = 1; i < kBurst; ++i) {
    ASSERT_TRUE(emp->Send(*case_id, absl::StrCat("bericht ", i)).ok());
  }
  const absl::Time send_start = absl::Now();
  absl::StatusOr<int> sent = emp->SendQueued();
  ASSERT_TRUE(sent.ok()) << sent.status();
  ASSERT_EQ(*sent, kBurst);
  const absl::Duration sending = absl::Now() - send_start;

  Arrivals arrivals;
  tp->AddObserver(&arrivals);
  const absl::Time start = absl::Now();
  tp->Start();
  const absl::Time done = arrivals.WaitFor(kBurst);
  tp->Stop();
  tp->RemoveObserver(&arrivals);
  ASSERT_NE(done, absl::InfiniteFuture());
  const absl::Duration handling = done - start;
  std::printf(
      "burst: %d queued envelopes handled in %.2f s = %.0f msg/s "
      "(the sender's outbox sent them at %.0f msg/s)\n",
      kBurst, absl::ToDoubleSeconds(handling),
      kBurst / absl::ToDoubleSeconds(handling),
      kBurst / absl::ToDoubleSeconds(sending));
}

// A profile of `cases` cases of `messages` messages each, written straight
// into the store (as the messenger stores them).
void Populate(ProfileStore& profile, int first, int cases, int messages) {
  for (int c = first; c < first + cases; ++c) {
    std::string case_id(16, '\0');
    base::PutBigEndian(case_id, static_cast<uint64_t>(c) + 1, 8);
    case_id = case_id.substr(8) + std::string(8, 'c');
    v1::CaseRecord record;
    record.set_peer_account_id(std::string(16, 'p'));
    record.set_status(v1::CaseRecord::OPEN);
    record.set_created_unix(1'800'000'000 + c);
    record.set_last_activity_unix(1'800'000'000 + c);
    record.set_next_sequence(messages + 1);
    ProfileStore::Batch batch;
    batch.Put(Namespace::kCase, case_id, record.SerializeAsString());
    for (int m = 1; m <= messages; ++m) {
      v1::MessageRecord message;
      message.set_message_id(std::string(16, static_cast<char>(m)));
      message.set_direction(v1::MessageRecord::INCOMING);
      message.set_body(std::string(200, 'x'));
      message.set_delivery(v1::MessageRecord::RECEIVED);
      std::string key = case_id;
      base::PutBigEndian(key, m, 8);
      batch.Put(Namespace::kMessage, key, message.SerializeAsString());
    }
    ASSERT_TRUE(profile.Write(batch).ok());
  }
}

TEST_F(AppBench, CasesAndReadDoNotGrowWithOtherCases) {
  std::unique_ptr<App> tp = TrustPerson();
  ASSERT_NE(tp, nullptr);
  const std::string dir = dir_.path() + "/tp";
  struct Result {
    double list_ms, read_ms;
  };
  // Opened afresh, as a user opens the app: 200 reads spread over 10 cases.
  auto measure = [&]() -> Result {
    tp.reset();
    auto opened = App::Open(dir, kPassphrase, Options());
    EXPECT_TRUE(opened.ok()) << opened.status();
    tp = *std::move(opened);
    absl::StatusOr<std::vector<CaseSummary>> cases = tp->Cases();
    EXPECT_TRUE(cases.ok());
    constexpr int kRounds = 20;
    absl::Time start = absl::Now();
    for (int i = 0; i < kRounds; ++i) EXPECT_TRUE(tp->Cases().ok());
    const double list = Ms(absl::Now() - start) / kRounds;
    constexpr int kReads = 200;
    start = absl::Now();
    for (int i = 0; i < kReads; ++i) {
      const std::string& id = (*cases)[(i * 7) % 10].case_id;
      absl::StatusOr<std::vector<CaseMessage>> read = tp->Read(id);
      EXPECT_EQ(read->size(), 100u);
    }
    const double read = Ms(absl::Now() - start) / kReads;
    return {list, read};
  };
  Populate(*tp->StackForTesting().profile, 0, 10, 100);
  const Result small = measure();
  Populate(*tp->StackForTesting().profile, 10, 990, 100);  // 1,000 cases now
  const Result large = measure();
  std::printf(
      "10 cases x 100 messages:    cases %.2f ms (%.3f ms per case), read "
      "%.2f ms\n"
      "1,000 cases x 100 messages: cases %.2f ms (%.3f ms per case), read "
      "%.2f ms\n"
      "read ratio %.2fx; cases ratio per listed case %.2fx\n",
      small.list_ms, small.list_ms / 10, small.read_ms, large.list_ms,
      large.list_ms / 1000, large.read_ms, large.read_ms / small.read_ms,
      (large.list_ms / 1000) / (small.list_ms / 10));
}

}  // namespace
}  // namespace confidant::client
