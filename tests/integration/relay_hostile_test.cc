// Hostile clients against the real confidant-relay, part one: floods and
// oversized requests (requests beyond every size limit, send floods beyond
// the rate limit, thousands of streams and unfinished calls, and requests
// that make libprotobuf log). While each kind is active, a well-behaved
// employee and trust person keep doing Send -> Receive -> Ack round trips on
// their own connections (and open fresh connections); every round trip must
// succeed within a generous bound, and the relay's resident memory must stay
// under a stated bound (hostile_fixture.h). The latency target itself (p99
// under 10 ms at half load) is for a benchmark, not for this test. The
// connection-level attacks are in relay_hostile_connection_test.cc.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "confidant/v1/relay.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/hostile_fixture.h"
#include "tests/integration/raw_http2.h"

namespace confidant::hostile_testing {
namespace {

// ---------------------------------------------------------------------------
// Many calls in flight through gRPC's callback API.

// Keeps `depth` calls in flight on each channel until Stop(), each started by
// `start(ctx, done)`, and counts how they end.
class Flood {
 public:
  using Start = std::function<void(grpc::ClientContext*,
                                   std::function<void(grpc::Status)>)>;

  Flood(int depth, std::vector<Start> starts) : starts_(std::move(starts)) {
    for (size_t c = 0; c < starts_.size(); ++c) {
      for (int i = 0; i < depth; ++i) Launch(c);
    }
  }
  ~Flood() { Stop(); }

  void Stop() {
    std::unique_lock<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.wait(lock, [&] { return in_flight_ == 0; });
  }

  int Count(grpc::StatusCode code) {
    std::lock_guard<std::mutex> lock(mu_);
    return codes_[code];
  }
  int Total() {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (auto& [code, count] : codes_) n += count;
    return n;
  }
  std::string Summary() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string s;
    for (auto& [code, count] : codes_) {
      s += " code " + std::to_string(code) + ": " + std::to_string(count);
    }
    return s;
  }

 private:
  void Launch(size_t channel) {
    auto ctx = std::make_shared<grpc::ClientContext>();
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++in_flight_;
    }
    starts_[channel](ctx.get(), [this, ctx, channel](grpc::Status st) {
      bool again;
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++codes_[st.error_code()];
        again = !stopping_;
      }
      if (again) Launch(channel);
      std::lock_guard<std::mutex> lock(mu_);
      --in_flight_;
      cv_.notify_all();
    });
  }

  std::vector<Start> starts_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int in_flight_ = 0;
  std::map<grpc::StatusCode, int> codes_;
};

// A Receive stream held open through the callback API; it reads whatever
// arrives and remembers how it ended.
class HeldStream : public grpc::ClientReadReactor<v1::ReceiveResponse> {
 public:
  HeldStream(v1::Mailbox::Stub& stub, const Account& account) {
    Auth(&ctx_, account, 120000);
    stub.async()->Receive(&ctx_, &request_, this);
    StartRead(&response_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    opened_ = true;
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& st) override {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = st;
    done_ = true;
    cv_.notify_all();
  }
  void Cancel() { ctx_.TryCancel(); }
  // Waits until the stream ended; its status.
  grpc::Status Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_; });
    return status_;
  }
  bool done() {
    std::lock_guard<std::mutex> lock(mu_);
    return done_;
  }
  bool opened() const { return opened_; }

 private:
  grpc::ClientContext ctx_;
  v1::ReceiveRequest request_;
  v1::ReceiveResponse response_;
  std::atomic<bool> opened_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  grpc::Status status_;
};

// A unary call with `body` as the raw request bytes.
grpc::Status RawUnaryCall(grpc::GenericStub& stub, const std::string& method,
                          const std::string& body) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1), reply;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, method, grpc::StubOptions(), &request, &reply,
                 [&](grpc::Status st) { done.set_value(std::move(st)); });
  return done.get_future().get();
}

TEST_F(RelayHostileTest, OversizedRequests) {
  ASSERT_NO_FATAL_FAILURE(StartProber());
  std::vector<Account> tps, emps;
  ASSERT_NO_FATAL_FAILURE(Organisation("Te Groot BV", 1, 1, &tps, &emps));
  const Account attacker = emps[0], target = tps[0];

  // Beyond max_envelope_bytes (refused by the handler) and beyond gRPC's
  // message limit (refused by gRPC), each size from two connections with 8
  // calls in flight; and 64 MiB requests one at a time. gRPC 1.51 reads a
  // whole message before it checks its size (grpc/grpc#43012), so what such
  // requests cost grows with how many are in flight: the relay bounds that
  // per connection (limits.streams_per_connection).
  std::vector<std::shared_ptr<v1::Mailbox::Stub>> stubs;
  std::vector<Flood::Start> starts, huge;
  auto start_for = [&](size_t size) -> Flood::Start {
    auto request = std::make_shared<v1::SendRequest>();
    request->set_recipient_account_id(target.id);
    request->set_content(std::string(size, 'x'));
    auto stub = std::shared_ptr<v1::Mailbox::Stub>(
        v1::Mailbox::NewStub(NewChannel(address_)));
    return [stub, request, attacker](grpc::ClientContext* ctx,
                                     std::function<void(grpc::Status)> done) {
      Auth(ctx, attacker, 30000);
      auto resp = std::make_shared<v1::SendResponse>();
      stub->async()->Send(ctx, request.get(), resp.get(),
                          [resp, done](grpc::Status st) { done(st); });
    };
  };
  for (size_t size : {256 * 1024 + 1, 320 * 1024, 1 << 20, 4 << 20}) {
    for (int c = 0; c < 2; ++c) starts.push_back(start_for(size));
  }
  huge.push_back(start_for(64 << 20));
  Flood flood(8, std::move(starts));
  Flood huge_flood(1, std::move(huge));

  RunFor(std::chrono::milliseconds(4000));
  flood.Stop();
  huge_flood.Stop();
  std::printf("oversized sends:%s; 64 MiB sends:%s\n", flood.Summary().c_str(),
              huge_flood.Summary().c_str());
  for (Flood* f : {&flood, &huge_flood}) {
    EXPECT_GT(f->Total(), 0);
    EXPECT_EQ(f->Count(grpc::StatusCode::RESOURCE_EXHAUSTED), f->Total())
        << f->Summary();
  }

  // Metadata far beyond what gRPC accepts.
  {
    auto stub = v1::Mailbox::NewStub(NewChannel(address_));
    grpc::ClientContext ctx;
    Auth(&ctx, attacker);
    ctx.AddMetadata("x-padding", std::string(1 << 20, 'p'));
    v1::SendRequest req;
    req.set_recipient_account_id(target.id);
    req.set_content("x");
    v1::SendResponse resp;
    EXPECT_FALSE(stub->Send(&ctx, req, &resp).ok());
  }
  ExpectOthersServed("oversized requests", kPerOversizedRequestKib(64));
}

TEST_F(RelayHostileTest, SendFloodBeyondTheRateLimit) {
  ASSERT_NO_FATAL_FAILURE(StartProber());
  std::vector<Account> tps, emps;
  ASSERT_NO_FATAL_FAILURE(Organisation("Spam BV", 1, 2, &tps, &emps));
  const Account target = tps[0];
  Account impostor = emps[0];
  impostor.secret = std::string(32, 'x');

  // Two flooders (small envelopes, and the largest allowed ones) and an
  // impostor with a wrong secret, each with many calls in flight on several
  // connections.
  auto starts_for = [&](const Account& from, size_t size, int connections) {
    auto request = std::make_shared<v1::SendRequest>();
    request->set_recipient_account_id(target.id);
    request->set_content(Envelope(size, "flood"));
    std::vector<Flood::Start> starts;
    for (int c = 0; c < connections; ++c) {
      auto stub = std::shared_ptr<v1::Mailbox::Stub>(
          v1::Mailbox::NewStub(NewChannel(address_)));
      starts.push_back(
          [stub, request, from](grpc::ClientContext* ctx,
                                std::function<void(grpc::Status)> done) {
            Auth(ctx, from, 30000);
            auto resp = std::make_shared<v1::SendResponse>();
            stub->async()->Send(ctx, request.get(), resp.get(),
                                [resp, done](grpc::Status st) { done(st); });
          });
    }
    return starts;
  };
  const auto start = Clock::now();
  Flood small(50, starts_for(emps[0], 1024, 4));
  Flood large(100, starts_for(emps[1], 256 * 1024, 8));
  Flood unauthenticated(50, starts_for(impostor, 1024, 4));
  RunFor(std::chrono::milliseconds(4000));
  small.Stop();
  large.Stop();
  unauthenticated.Stop();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "flood of small sends:%s\nflood of large sends:%s\n"
      "impostor:%s\n",
      small.Summary().c_str(), large.Summary().c_str(),
      unauthenticated.Summary().c_str());
  // Defaults per account: bursts of 200 sends, then 50 a second; and bursts
  // of 8 MiB, then 1 MiB a second (32, then 4 envelopes of 256 KiB).
  const int small_allowed = 200 + static_cast<int>(50 * seconds) + 10;
  const int large_allowed = 32 + static_cast<int>(4 * seconds) + 2;
  EXPECT_LE(small.Count(grpc::StatusCode::OK), small_allowed)
      << small.Summary();
  EXPECT_LE(large.Count(grpc::StatusCode::OK), large_allowed)
      << large.Summary();
  for (Flood* f : {&small, &large}) {
    EXPECT_GT(f->Count(grpc::StatusCode::OK), 0) << f->Summary();
    EXPECT_GT(f->Count(grpc::StatusCode::RESOURCE_EXHAUSTED), 0)
        << f->Summary();
    EXPECT_EQ(f->Count(grpc::StatusCode::OK) +
                  f->Count(grpc::StatusCode::RESOURCE_EXHAUSTED),
              f->Total())
        << f->Summary();
  }
  EXPECT_EQ(unauthenticated.Count(grpc::StatusCode::UNAUTHENTICATED),
            unauthenticated.Total())
      << unauthenticated.Summary();
  ExpectOthersServed("send flood");
}

TEST_F(RelayHostileTest, ThousandsOfStreamsAndCalls) {
  ASSERT_NO_FATAL_FAILURE(StartProber());
  std::vector<Account> tps, emps;
  ASSERT_NO_FATAL_FAILURE(Organisation("Veel Stromen BV", 1, 1, &tps, &emps));
  const Account greedy = emps[0];

  // 2000 Receive streams from one account on 20 connections: 4 are allowed.
  {
    std::vector<std::unique_ptr<v1::Mailbox::Stub>> stubs;
    std::vector<std::unique_ptr<HeldStream>> streams;
    for (int c = 0; c < 20; ++c) {
      stubs.push_back(v1::Mailbox::NewStub(NewChannel(address_)));
      for (int i = 0; i < 100; ++i) {
        streams.push_back(std::make_unique<HeldStream>(*stubs.back(), greedy));
      }
    }
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    size_t ended = 0;
    while (Clock::now() < deadline) {
      ended = std::count_if(streams.begin(), streams.end(),
                            [](auto& s) { return s->done(); });
      if (ended >= streams.size() - 4) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const size_t open = std::count_if(streams.begin(), streams.end(),
                                      [](auto& s) { return s->opened(); });
    std::printf("2000 streams of one account: %zu refused, %zu open\n", ended,
                open);
    EXPECT_EQ(ended, streams.size() - 4);
    EXPECT_EQ(open, 4u);
    for (auto& s : streams) s->Cancel();
    for (auto& s : streams) {
      grpc::Status st = s->Wait();
      if (!s->opened()) {
        EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
            << st.error_message();
      }
    }
  }

  // Thousands of calls that never complete their request, on many
  // connections (as many on each as the relay allows): half a Send message,
  // or headers only.
  Sockets sockets;
  int calls = 0;
  for (int c = 0; c < 125; ++c) {
    const int fd = ConnectRaw(relay_->port());
    ASSERT_GE(fd, 0);
    sockets.Add(fd);
    std::string out = std::string(kPreface) + Settings({});
    for (uint32_t i = 0; i < 32; ++i) {
      const uint32_t stream = 2 * i + 1;
      if (c % 2 == 0) {
        out += RequestHeaders(stream, "/confidant.v1.Mailbox/Send", greedy);
        out += Frame(0x0, 0, stream,
                     GrpcMessage(std::string(8192, 's'), 256 * 1024));
      } else {
        out += RequestHeaders(stream, "/confidant.v1.Mailbox/Receive", greedy);
      }
      ++calls;
    }
    ASSERT_TRUE(SendAll(fd, out));
  }
  std::printf("%d unfinished calls on %zu connections\n", calls,
              sockets.fds().size());
  RunFor(std::chrono::milliseconds(3000));
  ExpectOthersServed("thousands of streams and calls");
}

// libprotobuf logs every string field that is not valid UTF-8, and anyone can
// send such requests without an account: the relay's log must not grow with
// them.
TEST_F(RelayHostileTest, InvalidUtf8FloodKeepsTheLogShort) {
  auto count_lines = [](const std::string& log) {
    return std::count(log.begin(), log.end(), '\n');
  };
  const auto lines_before = count_lines(relay_->Log());
  grpc::GenericStub generic(NewChannel(address_));
  const std::vector<std::string> bodies = {
      std::string("\x0a\x02\xff\xfe", 4),          // access_code
      std::string("\x12\x02\xc3\x28", 4),          // invite_code
      std::string("\x1a\x04\x0a\x02\xc3\x28", 6),  // profile.display_name
  };
  constexpr int kRequests = 600;
  int refused = 0;
  for (int i = 0; i < kRequests; ++i) {
    const grpc::Status st = RawUnaryCall(
        generic, "/confidant.v1.Accounts/Register", bodies[i % bodies.size()]);
    if (st.error_code() == grpc::StatusCode::INVALID_ARGUMENT) ++refused;
  }
  EXPECT_EQ(refused, kRequests);
  RunFor(std::chrono::milliseconds(200));

  const std::string log = relay_->Log();
  std::istringstream in(log);
  std::string line;
  std::vector<std::string> added;
  for (long n = 0; std::getline(in, line); ++n) {
    if (n >= lines_before) added.push_back(line);
  }
  EXPECT_GE(added.size(), 1u) << log;  // they are logged, in our format
  EXPECT_LE(added.size(), 11u) << log;
  for (const std::string& l : added) {
    EXPECT_NE(l.find("Z ERROR protobuf: "), std::string::npos) << l;
    EXPECT_EQ(l.find("ipv4:"), std::string::npos) << l;
  }
}

}  // namespace
}  // namespace confidant::hostile_testing
