// Hostile clients against the real confidant-relay, part two: attacks on
// connections rather than with requests (slow readers, connections that never
// finish the handshake, idle connections, a stream never read at shutdown,
// and a second process on the relay's port). While they are active the
// well-behaved pair of hostile_fixture.h keeps doing round trips, within the
// same bounds of time and memory as in relay_hostile_test.cc.
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/hostile_fixture.h"
#include "tests/integration/raw_http2.h"

namespace confidant::hostile_testing {
namespace {

// A Receive stream that reads nothing until Read() is called, on a channel
// whose flow-control window stays at 64 KiB, so the relay cannot write far
// ahead of it.
class LateReader : public grpc::ClientReadReactor<v1::ReceiveResponse> {
 public:
  LateReader(const std::string& address, const Account& account) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 64 * 1024);
    args.SetMaxReceiveMessageSize(8 << 20);
    stub_ = v1::Mailbox::NewStub(grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), args));
    Auth(&ctx_, account, 120000);
    stub_->async()->Receive(&ctx_, &request_, this);
    StartCall();
  }
  ~LateReader() {
    ctx_.TryCancel();
    Wait();
  }
  // Starts reading, and goes on until the stream ends.
  void Read() { StartRead(&response_); }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (response_.has_envelope()) ++envelopes_;
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& st) override {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = st;
    done_ = true;
    cv_.notify_all();
  }
  // Waits until the stream ended; its status.
  grpc::Status Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_; });
    return status_;
  }
  int envelopes() const { return envelopes_; }

 private:
  std::unique_ptr<v1::Mailbox::Stub> stub_;
  grpc::ClientContext ctx_;
  v1::ReceiveRequest request_;
  v1::ReceiveResponse response_;
  std::atomic<int> envelopes_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  grpc::Status status_;
};

// Raises this process's soft limit on open files so the test can hold
// thousands of sockets; false if it cannot.
bool EnoughOpenFiles(rlim_t need) {
  rlimit own{};
  if (::getrlimit(RLIMIT_NOFILE, &own) != 0) return false;
  if (own.rlim_cur < need && own.rlim_max > own.rlim_cur) {
    own.rlim_cur = std::min<rlim_t>(own.rlim_max, need);
    ::setrlimit(RLIMIT_NOFILE, &own);
  }
  return own.rlim_cur >= need;
}

// Waits up to `timeout` for `done()`.
bool Eventually(const std::function<bool()>& done,
                std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

// The relay runs under a soft limit of 1024 open files (systemd's default)
// with short connection timeouts, so the tests see them act.
const std::vector<std::string> kShortHandshakeTimeout = {
    "[limits]", "handshake_timeout_seconds = 5"};
const std::vector<std::string> kShortIdleTimeout = {
    "[limits]", "idle_connection_seconds = 5"};

TEST_F(RelayHostileTest, SlowReadersDoNotGrowMemoryWithTheirQueue) {
  // Two trust persons with 960 envelopes of 64 KiB queued each, from 16
  // employees (each within its send burst of 8 MiB).
  std::vector<Account> tps, emps;
  ASSERT_NO_FATAL_FAILURE(Organisation("Traag BV", 2, 16, &tps, &emps));
  constexpr int kPerSender = 120;
  constexpr size_t kSize = 64 * 1024;
  {
    std::vector<std::thread> senders;
    std::atomic<int> failed{0};
    for (size_t e = 0; e < emps.size(); ++e) {
      senders.emplace_back([&, e] {
        auto stub = v1::Mailbox::NewStub(NewChannel(address_));
        for (int i = 0; i < kPerSender; ++i) {
          grpc::ClientContext ctx;
          Auth(&ctx, emps[e]);
          v1::SendRequest req;
          req.set_recipient_account_id(tps[e % 2].id);
          req.set_content(Envelope(kSize, "queued"));
          v1::SendResponse resp;
          if (!stub->Send(&ctx, req, &resp).ok()) ++failed;
        }
      });
    }
    for (auto& t : senders) t.join();
    ASSERT_EQ(failed, 0);
  }
  const long queued_kib = emps.size() * kPerSender * kSize / 1024;
  ASSERT_NO_FATAL_FAILURE(StartProber());

  // Four streams per trust person (the most allowed) that never read: raw
  // HTTP/2 connections with a small socket buffer, half announcing the
  // default flow-control window and half the largest one.
  Sockets sockets;
  for (int i = 0; i < 8; ++i) {
    const int fd = ConnectRaw(relay_->port(), 4096);
    ASSERT_GE(fd, 0);
    sockets.Add(fd);
    std::string out = kPreface;
    if (i % 2 == 1) {
      out += Settings({{0x4, 0x7fffffff}});  // SETTINGS_INITIAL_WINDOW_SIZE
      std::string increment(4, '\0');
      increment[0] = 0x7f;
      increment[1] = increment[2] = increment[3] = static_cast<char>(0xff);
      out += Frame(0x8, 0, 0, increment);  // connection WINDOW_UPDATE
    } else {
      out += Settings({});
    }
    out += RequestHeaders(1, "/confidant.v1.Mailbox/Receive", tps[i % 2]);
    out += Frame(0x0, 0x1 /* END_STREAM */, 1, GrpcMessage("", 0));
    ASSERT_TRUE(SendAll(fd, out));
  }
  RunFor(std::chrono::milliseconds(4000));
  const long grown = watch_->PeakKib() - baseline_kib_;
  std::printf("slow readers: %ld KiB queued, relay grew by %ld KiB\n",
              queued_kib, grown);
  // Each stream holds at most one storage batch (256 KiB), the envelope it
  // is writing and a flow-control window, not its queue: the 8 streams stay
  // within 1.25 MiB each, far below the 120 MiB queued for them.
  EXPECT_LT(grown, (kSanitized ? 4 : 1) * 8 * 5 * kMiB / 4);
  ExpectOthersServed("slow readers");
}

TEST_F(RelayHostileTest, UnfinishedHandshakes) {
  ASSERT_TRUE(EnoughOpenFiles(4096)) << "this test needs 4096 open files";
  ASSERT_NO_FATAL_FAILURE(StartRelay(kShortHandshakeTimeout, 1024));
  ASSERT_NO_FATAL_FAILURE(StartProber());
  const int fds_before = ::confidant::testing::OpenFileCount(relay_->pid());

  // More connections than the soft limit the relay started with: they send
  // nothing, half the HTTP/2 preface, or the preface without SETTINGS.
  Sockets sockets;
  for (int i = 0; i < 1500; ++i) {
    const int fd = ConnectRaw(relay_->port());
    ASSERT_GE(fd, 0);
    sockets.Add(fd);
    if (i % 3 == 1) {
      ASSERT_TRUE(SendAll(fd, std::string(kPreface, 16)));
    } else if (i % 3 == 2) {
      ASSERT_TRUE(SendAll(fd, kPreface));
    }
  }
  // The relay holds them all, beyond the soft limit it was started with.
  EXPECT_TRUE(Eventually(
      [&] {
        return ::confidant::testing::OpenFileCount(relay_->pid()) >=
               fds_before + 1400;
      },
      std::chrono::seconds(3)))
      << ::confidant::testing::OpenFileCount(relay_->pid()) << " open files";
  const int fds_during = ::confidant::testing::OpenFileCount(relay_->pid());
  RunFor(std::chrono::milliseconds(1500));
  ExpectOthersServed("unfinished handshakes");
  // The relay closes every one of them after the handshake timeout.
  EXPECT_TRUE(
      Eventually([&] { return sockets.ClosedByPeer() == sockets.fds().size(); },
                 std::chrono::seconds(15)))
      << sockets.ClosedByPeer() << " of " << sockets.fds().size()
      << " closed by the relay";
  EXPECT_TRUE(Eventually(
      [&] {
        return ::confidant::testing::OpenFileCount(relay_->pid()) <=
               fds_before + 10;
      },
      std::chrono::seconds(10)));
  std::printf("relay open files: %d before, %d with the sockets, %d after\n",
              fds_before, fds_during,
              ::confidant::testing::OpenFileCount(relay_->pid()));
}

TEST_F(RelayHostileTest, IdleConnections) {
  ASSERT_TRUE(EnoughOpenFiles(4096)) << "this test needs 4096 open files";
  ASSERT_NO_FATAL_FAILURE(StartRelay(kShortIdleTimeout, 1024));
  ASSERT_NO_FATAL_FAILURE(StartProber());
  const int fds_before = ::confidant::testing::OpenFileCount(relay_->pid());

  // 1500 gRPC connections that make one call each and then sit idle, made
  // from several threads so that all are open before the first idles out.
  std::vector<std::shared_ptr<grpc::Channel>> channels(1500);
  absl::Mutex failures_mu;
  std::vector<std::string> failures;  // guarded by failures_mu
  int retried = 0;                    // guarded by failures_mu
  {
    const Account nobody{std::string(16, 'n'), std::string(32, 's')};
    std::vector<std::thread> threads;
    for (int t = 0; t < 10; ++t) {
      threads.emplace_back([&, t] {
        for (size_t i = t; i < channels.size(); i += 10) {
          channels[i] = NewChannel(address_);
          auto stub = v1::Accounts::NewStub(channels[i]);
          // While 1500 connections are being made on a loaded machine one
          // may be reset (UNAVAILABLE) or wait past its deadline; such a
          // call is tried once more and counted. Any other answer than
          // UNAUTHENTICATED, or a second such failure, fails the test.
          grpc::Status st;
          for (int attempt = 0; attempt < 2; ++attempt) {
            grpc::ClientContext ctx;
            Auth(&ctx, nobody);
            v1::GetAccountResponse resp;
            st = stub->GetAccount(&ctx, v1::GetAccountRequest(), &resp);
            if (st.error_code() != grpc::StatusCode::UNAVAILABLE &&
                st.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
              break;
            }
            if (attempt == 0) {
              absl::MutexLock lock(&failures_mu);
              ++retried;
            }
          }
          if (st.error_code() != grpc::StatusCode::UNAUTHENTICATED) {
            absl::MutexLock lock(&failures_mu);
            failures.push_back(absl::StrCat("call ", i, ": code ",
                                            st.error_code(), " ",
                                            st.error_message()));
          }
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  {
    absl::MutexLock lock(&failures_mu);
    EXPECT_TRUE(failures.empty()) << absl::StrJoin(failures, "\n");
    std::printf("calls tried again: %d\n", retried);
  }
  const int fds_during = ::confidant::testing::OpenFileCount(relay_->pid());
  EXPECT_GE(fds_during, fds_before + 1000);
  ExpectOthersServed("idle connections");
  // The relay closes them once idle for idle_connection_seconds.
  EXPECT_TRUE(Eventually(
      [&] {
        return ::confidant::testing::OpenFileCount(relay_->pid()) <=
               fds_before + 10;
      },
      std::chrono::seconds(15)))
      << ::confidant::testing::OpenFileCount(relay_->pid()) << " open files";
  std::printf(
      "relay open files: %d before, %d with the connections, %d "
      "after\n",
      fds_before, fds_during,
      ::confidant::testing::OpenFileCount(relay_->pid()));
}

// SIGTERM while a client holds a Receive stream it never reads: the relay
// stops listening and refuses calls begun after the signal at once; a stream
// in flight that is read a second later still ends as the relay ends streams;
// the one never read holds up the exit only for the grace of 5 s.
TEST_F(RelayHostileTest, ShutdownRefusesNewCallsAtOnceDespiteAStreamNeverRead) {
  std::vector<Account> tps, emps;
  ASSERT_NO_FATAL_FAILURE(Organisation("Stop BV", 1, 2, &tps, &emps));
  // 4 MiB queued: far more than flow control lets through to a client that
  // does not read.
  constexpr int kQueued = 64;
  auto channel = NewChannel(address_);
  auto mailbox = v1::Mailbox::NewStub(channel);
  for (int i = 0; i < kQueued; ++i) {
    grpc::ClientContext ctx;
    Auth(&ctx, emps[0]);
    v1::SendRequest req;
    req.set_recipient_account_id(tps[0].id);
    req.set_content(Envelope(64 * 1024, "queued"));
    v1::SendResponse resp;
    ASSERT_TRUE(mailbox->Send(&ctx, req, &resp).ok()) << i;
  }
  Sockets sockets;
  const int fd = ConnectRaw(relay_->port(), 4096);
  ASSERT_GE(fd, 0);
  sockets.Add(fd);
  ASSERT_TRUE(SendAll(
      fd, std::string(kPreface) + Settings({}) +
              RequestHeaders(1, "/confidant.v1.Mailbox/Receive", tps[0]) +
              Frame(0x0, 0x1 /* END_STREAM */, 1, GrpcMessage("", 0))));
  LateReader late(address_, tps[0]);
  RunFor(std::chrono::milliseconds(1000));  // both streams are writing

  const auto signalled = Clock::now();
  ASSERT_EQ(::kill(relay_->pid(), SIGTERM), 0);
  ASSERT_TRUE(Eventually(
      [&] {
        return relay_->Log().find("INFO shutting down") != std::string::npos;
      },
      std::chrono::seconds(5)));
  RunFor(std::chrono::milliseconds(200));

  // Begun after the signal, on a new connection and on an open one.
  auto expect_refused = [&](const grpc::Status& st, const std::string& what) {
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE)
        << what << ": " << st.error_code() << " " << st.error_message();
  };
  {
    auto accounts = v1::Accounts::NewStub(NewChannel(address_));
    grpc::ClientContext ctx;
    Auth(&ctx, emps[1], 3000);
    v1::GetAccountResponse resp;
    expect_refused(accounts->GetAccount(&ctx, {}, &resp),
                   "GetAccount on a new connection");
    grpc::ClientContext reg_ctx;
    reg_ctx.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(3));
    v1::RegisterRequest reg;
    reg.set_access_code("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
    v1::RegisterResponse reg_resp;
    expect_refused(accounts->Register(&reg_ctx, reg, &reg_resp),
                   "Register on a new connection");
  }
  {
    grpc::ClientContext ctx;
    Auth(&ctx, emps[1], 3000);
    v1::SendRequest req;
    req.set_recipient_account_id(tps[0].id);
    req.set_content("after the signal");
    v1::SendResponse resp;
    expect_refused(mailbox->Send(&ctx, req, &resp),
                   "Send on an open connection");
  }

  // The stream in flight, read from now on, gets what was on its way and
  // the relay's own end of stream, not a cancellation.
  std::this_thread::sleep_until(signalled + std::chrono::milliseconds(1000));
  late.Read();
  const grpc::Status late_status = late.Wait();
  EXPECT_EQ(late_status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << late_status.error_message();
  EXPECT_EQ(late_status.error_message(), "relay shutting down");
  EXPECT_GT(late.envelopes(), 0);
  EXPECT_LT(late.envelopes(), kQueued);  // it was cut short by the shutdown

  // The stream never read is cancelled after the grace.
  EXPECT_EQ(relay_->Wait(), 0) << relay_->Log();
  const auto took = Clock::now() - signalled;
  EXPECT_LT(took, std::chrono::seconds(15));
  EXPECT_NE(
      relay_->Log().find("calls still running at shutdown were cancelled"),
      std::string::npos)
      << relay_->Log();
  std::printf(
      "the relay exited %lld ms after SIGTERM\n",
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

// Another process must not be able to listen on the relay's port and take a
// share of its connections (gRPC sets SO_REUSEPORT unless told not to).
TEST_F(RelayHostileTest, NoSecondProcessOnTheSamePort) {
  const ::confidant::testing::CommandResult second =
      ::confidant::testing::RunCommand(
          {"/usr/bin/timeout", "20", CONFIDANT_RELAY_BIN, "--data-dir",
           dir_.path() + "/second", "--listen",
           "127.0.0.1:" + std::to_string(relay_->port())});
  EXPECT_EQ(second.exit_code, 1) << second.err;  // 124: it served too
  EXPECT_NE(second.err.find("cannot listen"), std::string::npos) << second.err;
}

}  // namespace
}  // namespace confidant::hostile_testing
