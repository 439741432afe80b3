// What the hostile-client tests (relay_hostile_test.cc,
// relay_hostile_connection_test.cc) share: the well-behaved employee and
// trust person who keep doing Send -> Receive -> Ack round trips on their own
// connections while a hostile client is active (Prober), the relay's memory
// and CPU watched meanwhile, and the fixture that starts the real relay,
// makes organisations and checks that the others were served within the
// bounds stated here.
#ifndef CONFIDANT_TESTS_INTEGRATION_HOSTILE_FIXTURE_H_
#define CONFIDANT_TESTS_INTEGRATION_HOSTILE_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "confidant/v1/relay.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::hostile_testing {

using ::confidant::testing::RelayProcess;
using ::confidant::testing::TempDir;
using Clock = std::chrono::steady_clock;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// A round trip (Send, delivery on the open stream, Ack) of the well-behaved
// pair must finish within this, whatever else goes on; twice as long under
// the sanitizers, which slow the relay down two to three times.
constexpr auto kRoundTripBound =
    std::chrono::milliseconds(kSanitized ? 4000 : 2000);
// How far the relay's resident memory may grow over its idle baseline while
// a hostile client is active. The hostile clients here use at most 16
// connections with at most 32 calls each (limits.streams_per_connection) of
// at most 320 KiB (max_envelope_bytes plus framing, gRPC's limit): about
// 160 MiB of requests in flight, which gRPC holds in a buffer or two each.
// On top of that the storage's caches fill as envelopes are written: up to
// 64 MiB of memtables (db_write_buffer_size) and a 32 MiB block cache.
// ASan's redzones, shadow memory and quarantine of freed memory cost more.
constexpr long kMiB = 1024;  // in KiB
constexpr long kMemoryGrowthBoundKib =
    (kSanitized ? 3 : 1) * 256 * kMiB + 96 * kMiB;
// gRPC 1.51 reads a whole request before it checks it against its size limit
// (grpc/grpc#43012), holding it about three times over while it arrives.
constexpr long kPerOversizedRequestKib(long request_mib) {
  return (kSanitized ? 3 : 1) * 3 * request_mib * kMiB;
}

struct Account {
  std::string id;
  std::string secret;
};

// Adds `a`'s credentials and a deadline `deadline_ms` from now to `ctx`.
void Auth(grpc::ClientContext* ctx, const Account& a, int deadline_ms = 10000);

// A channel of its own (no subchannel shared with other channels to the same
// address), so hostile and well-behaved clients never share a connection.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& address);

// `size` bytes: `tag`, then dots.
std::string Envelope(size_t size, const std::string& tag);

// ---------------------------------------------------------------------------
// The well-behaved pair.

// Keeps both accounts' Receive streams open and does Send -> Receive -> Ack
// round trips between them, alternating directions, until Stop(). Every 10th
// round also makes a call on a brand-new connection, so refused or starved
// new connections count as failures too.
class Prober {
 public:
  struct Result {
    int rounds = 0;
    int failures = 0;
    long max_ms = 0;
    std::string slowest;  // where the slowest round trip spent its time
    long max_new_connection_ms = 0;  // a call on a fresh connection
    std::string first_failure;
  };

  Prober(std::string address, Account a, Account b)
      : address_(std::move(address)), accounts_{std::move(a), std::move(b)} {}
  ~Prober() { Stop(); }

  // Opens both streams and starts the round trips; false if a stream does not
  // reach its queue_empty marker.
  bool Start();

  // Stops the round trips and closes both streams; what they saw. Safe to
  // call more than once.
  Result Stop();

 private:
  void Fail(const std::string& what);
  void ReadLoop(int me);
  void ProbeLoop();

  const std::string address_;
  const Account accounts_[2];
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Mailbox::Stub> stub_;
  std::vector<std::thread> readers_;
  std::thread prober_;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable cv_;
  grpc::ClientContext* stream_contexts_[2] = {nullptr, nullptr};
  int streams_ready_ = 0;
  std::deque<v1::Envelope> inbox_[2];
  Result result_;
};

// CPU time (user and system) process `pid` has used, in seconds.
double CpuSeconds(pid_t pid);

// Samples a process's resident memory until destroyed.
class MemoryWatch {
 public:
  explicit MemoryWatch(pid_t pid);
  ~MemoryWatch();
  // The highest resident memory seen so far, in KiB.
  long PeakKib();

 private:
  void Sample();

  const pid_t pid_;
  std::atomic<long> peak_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// ---------------------------------------------------------------------------

class RelayHostileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartRelay({}, 0)); }

  void TearDown() override {
    if (relay_ != nullptr && relay_->pid() > 0) {
      EXPECT_EQ(relay_->Stop(), 0) << relay_->Log();
    }
  }

  // (Re)starts the relay with `config_lines` added to its config file.
  void StartRelay(const std::vector<std::string>& config_lines,
                  long open_files_soft_limit);

  template <typename Message>
  Message Admin(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  // An organisation with `trust_persons` trust persons and `employees`
  // employees, all with keys.
  void Organisation(const std::string& name, int trust_persons, int employees,
                    std::vector<Account>* out_tps,
                    std::vector<Account>* out_emps);

  // The well-behaved pair in its own organisation, and the baseline memory.
  void StartProber();

  // Stops the prober and checks it and the memory bound (plus `extra_kib`).
  void ExpectOthersServed(const std::string& phase, long extra_kib = 0);

  void RunFor(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

  TempDir dir_;
  std::string data_dir_;
  std::string address_;
  std::unique_ptr<RelayProcess> relay_;
  std::unique_ptr<Prober> prober_;
  std::unique_ptr<MemoryWatch> watch_;
  long baseline_kib_ = 0;
  Clock::time_point phase_start_;
  double relay_cpu_start_ = 0;
  double own_cpu_start_ = 0;
};

}  // namespace confidant::hostile_testing

#endif  // CONFIDANT_TESTS_INTEGRATION_HOSTILE_FIXTURE_H_
