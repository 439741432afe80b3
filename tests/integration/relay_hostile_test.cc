// Hostile clients against the real confidant-relay: oversized requests, send
// floods, thousands of streams and calls, slow readers, connections that never
// finish the handshake, idle connections, a stream never read at shutdown and
// requests that make libprotobuf log. While each kind is active, a
// well-behaved employee and trust person keep doing Send -> Receive -> Ack
// round trips on their own connections (and open fresh connections); every
// round trip must succeed within a generous bound, and the relay's resident
// memory must stay under a stated bound. The latency target itself (p99 under
// 10 ms at half load) is for a benchmark, not for this test.
#include <arpa/inet.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "confidant/v1/admin.pb.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant {
namespace {

using ::confidant::testing::RelayProcess;
using ::confidant::testing::TempDir;
using ::confidant::testing::XeddsaTestKey;
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

void Auth(grpc::ClientContext* ctx, const Account& a, int deadline_ms = 10000) {
  ctx->AddMetadata("x-confidant-account-bin", a.id);
  ctx->AddMetadata("x-confidant-secret-bin", a.secret);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(deadline_ms));
}

// A channel of its own (no subchannel shared with other channels to the same
// address), so hostile and well-behaved clients never share a connection.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxSendMessageSize(-1);
  args.SetMaxReceiveMessageSize(8 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

std::string Envelope(size_t size, const std::string& tag) {
  std::string out = tag;
  out.resize(size, '.');
  return out;
}

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
  bool Start() {
    channel_ = NewChannel(address_);
    stub_ = v1::Mailbox::NewStub(channel_);
    for (int i = 0; i < 2; ++i) {
      readers_.emplace_back([this, i] { ReadLoop(i); });
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!cv_.wait_for(lock, std::chrono::seconds(10),
                        [&] { return streams_ready_ == 2; })) {
        return false;
      }
    }
    prober_ = std::thread([this] { ProbeLoop(); });
    return true;
  }

  Result Stop() {
    if (!stopping_.exchange(true)) {
      if (prober_.joinable()) prober_.join();
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto* ctx : stream_contexts_) {
          if (ctx != nullptr) ctx->TryCancel();
        }
      }
      for (auto& t : readers_) t.join();
    }
    std::lock_guard<std::mutex> lock(mu_);
    return result_;
  }

 private:
  void Fail(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu_);
    ++result_.failures;
    if (result_.first_failure.empty()) result_.first_failure = what;
  }

  void ReadLoop(int me) {
    while (!stopping_) {
      grpc::ClientContext ctx;
      Auth(&ctx, accounts_[me], 600000);
      {
        std::lock_guard<std::mutex> lock(mu_);
        stream_contexts_[me] = &ctx;
        if (stopping_) ctx.TryCancel();
      }
      auto reader = stub_->Receive(&ctx, v1::ReceiveRequest());
      v1::ReceiveResponse resp;
      while (reader->Read(&resp)) {
        std::lock_guard<std::mutex> lock(mu_);
        if (resp.has_queue_empty()) {
          ++streams_ready_;
        } else {
          inbox_[me].push_back(resp.envelope());
        }
        cv_.notify_all();
      }
      grpc::Status st = reader->Finish();
      {
        std::lock_guard<std::mutex> lock(mu_);
        stream_contexts_[me] = nullptr;
      }
      if (!stopping_) {
        Fail("a Receive stream of the well-behaved pair ended: " +
             std::to_string(st.error_code()) + " " + st.error_message());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }

  void ProbeLoop() {
    for (int round = 0; !stopping_; ++round) {
      const int from = round % 2, to = 1 - from;
      const std::string tag = "probe-" + std::to_string(round) + "-";
      const auto start = Clock::now();
      const auto deadline = start + kRoundTripBound;
      std::string failure;
      auto delivered_at = start;
      grpc::ClientContext send_ctx;
      Auth(&send_ctx, accounts_[from], kRoundTripBound.count());
      v1::SendRequest send;
      send.set_recipient_account_id(accounts_[to].id);
      send.set_content(Envelope(1024, tag));
      v1::SendResponse sent;
      grpc::Status st = stub_->Send(&send_ctx, send, &sent);
      const auto sent_at = Clock::now();
      if (!st.ok()) {
        failure = "Send: " + std::to_string(st.error_code()) + " " +
                  st.error_message();
      } else {
        std::unique_lock<std::mutex> lock(mu_);
        const bool arrived = cv_.wait_until(lock, deadline, [&] {
          for (const auto& e : inbox_[to]) {
            if (e.seq() == sent.seq()) return true;
          }
          return false;
        });
        if (!arrived) {
          failure = "the envelope did not arrive on the open stream in time";
        } else {
          delivered_at = Clock::now();
          const v1::Envelope e = inbox_[to].front();
          inbox_[to].clear();
          lock.unlock();
          if (e.content() != send.content()) failure = "wrong envelope";
        }
      }
      if (failure.empty()) {
        grpc::ClientContext ack_ctx;
        Auth(&ack_ctx, accounts_[to], kRoundTripBound.count());
        v1::AckRequest ack;
        ack.add_seqs(sent.seq());
        v1::AckResponse acked;
        st = stub_->Ack(&ack_ctx, ack, &acked);
        if (!st.ok() || acked.deleted() != 1) {
          failure = "Ack: " + std::to_string(st.error_code()) + " " +
                    st.error_message();
        }
      }
      const auto end = Clock::now();
      const long ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(end - start)
              .count();
      auto in_ms = [](auto d) {
        return std::to_string(
            std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
      };
      const std::string breakdown =
          "Send " + in_ms(sent_at - start) + " ms, then delivery " +
          (failure.empty() ? in_ms(delivered_at - sent_at) : "-") +
          " ms, Ack " + (failure.empty() ? in_ms(end - delivered_at) : "-") +
          " ms";
      if (failure.empty() && round % 10 == 0) {
        // A new client must still get in, within the same bound.
        auto fresh = v1::Accounts::NewStub(NewChannel(address_));
        grpc::ClientContext ctx;
        Auth(&ctx, accounts_[from], kRoundTripBound.count());
        v1::GetAccountResponse me;
        st = fresh->GetAccount(&ctx, v1::GetAccountRequest(), &me);
        const long connect_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                                  end)
                .count();
        if (!st.ok()) {
          failure = "a new connection: " + std::to_string(st.error_code()) +
                    " " + st.error_message();
        }
        std::lock_guard<std::mutex> lock(mu_);
        result_.max_new_connection_ms =
            std::max(result_.max_new_connection_ms, connect_ms);
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++result_.rounds;
        if (ms > result_.max_ms) {
          result_.max_ms = ms;
          result_.slowest = breakdown;
        }
      }
      if (failure.empty() && ms > kRoundTripBound.count()) {
        failure = "a round trip took " + std::to_string(ms) + " ms (" +
                  breakdown + ")";
      }
      if (!failure.empty()) Fail(failure);
      // About 25 round trips a second: well inside the send rate limit.
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
  }

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
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  const size_t end_of_name = stat.rfind(')');
  if (end_of_name == std::string::npos) return 0;
  std::istringstream fields(stat.substr(end_of_name + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Samples a process's resident memory until destroyed.
class MemoryWatch {
 public:
  explicit MemoryWatch(pid_t pid) : pid_(pid) {
    thread_ = std::thread([this] {
      while (!stop_) {
        Sample();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  ~MemoryWatch() {
    stop_ = true;
    thread_.join();
  }
  long PeakKib() {
    Sample();
    return peak_;
  }

 private:
  void Sample() {
    const long kib = ::confidant::testing::ResidentKib(pid_);
    long seen = peak_.load();
    while (kib > seen && !peak_.compare_exchange_weak(seen, kib)) {
    }
  }
  const pid_t pid_;
  std::atomic<long> peak_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// ---------------------------------------------------------------------------
// Raw sockets and hand-made HTTP/2, for clients no gRPC library would be.

constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

int ConnectRaw(int port, int receive_buffer = 0) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (receive_buffer > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
                 sizeof(receive_buffer));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// True once the peer closed (or reset) the connection; never blocks.
bool PeerClosed(int fd) {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

std::string Frame(uint8_t type, uint8_t flags, uint32_t stream,
                  const std::string& payload) {
  std::string f;
  const uint32_t len = static_cast<uint32_t>(payload.size());
  f.push_back(static_cast<char>(len >> 16));
  f.push_back(static_cast<char>(len >> 8));
  f.push_back(static_cast<char>(len));
  f.push_back(static_cast<char>(type));
  f.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) {
    f.push_back(static_cast<char>((stream >> shift) & 0x7f));
  }
  return f + payload;
}

std::string Settings(const std::vector<std::pair<uint16_t, uint32_t>>& s) {
  std::string payload;
  for (auto [id, value] : s) {
    payload.push_back(static_cast<char>(id >> 8));
    payload.push_back(static_cast<char>(id));
    for (int shift = 24; shift >= 0; shift -= 8) {
      payload.push_back(static_cast<char>(value >> shift));
    }
  }
  return Frame(0x4, 0, 0, payload);
}

// HPACK: a string literal without Huffman coding.
void AppendHpackString(std::string* out, const std::string& s) {
  size_t len = s.size();
  if (len < 127) {
    out->push_back(static_cast<char>(len));
  } else {
    out->push_back(static_cast<char>(127));
    len -= 127;
    while (len >= 128) {
      out->push_back(static_cast<char>((len & 0x7f) | 0x80));
      len >>= 7;
    }
    out->push_back(static_cast<char>(len));
  }
  out->append(s);
}

std::string Base64(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 0x3f]);
    }
  }
  if (count > 0) out.push_back(kAlphabet[(bits << (6 - count)) & 0x3f]);
  return out;
}

// A HEADERS frame opening a gRPC call to `method` as `account`.
std::string RequestHeaders(uint32_t stream, const std::string& method,
                           const Account& account) {
  std::string block;
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{
           {":method", "POST"},
           {":scheme", "http"},
           {":path", method},
           {":authority", "localhost"},
           {"content-type", "application/grpc"},
           {"te", "trailers"},
           {"x-confidant-account-bin", Base64(account.id)},
           {"x-confidant-secret-bin", Base64(account.secret)}}) {
    block.push_back(0);  // literal header field without indexing, new name
    AppendHpackString(&block, name);
    AppendHpackString(&block, value);
  }
  return Frame(0x1, 0x4 /* END_HEADERS */, stream, block);
}

// gRPC's length-prefixed message framing.
std::string GrpcMessage(const std::string& bytes, uint32_t declared_length) {
  std::string out(1, '\0');
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(declared_length >> shift));
  }
  return out + bytes;
}

// Raw sockets closed on destruction.
class Sockets {
 public:
  ~Sockets() {
    for (int fd : fds_) ::close(fd);
  }
  void Add(int fd) { fds_.push_back(fd); }
  const std::vector<int>& fds() const { return fds_; }
  size_t ClosedByPeer() const {
    return std::count_if(fds_.begin(), fds_.end(), PeerClosed);
  }

 private:
  std::vector<int> fds_;
};

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
                  long open_files_soft_limit) {
    if (relay_ != nullptr) relay_->Stop();
    data_dir_ = dir_.path() + "/relay";
    const std::string config = dir_.path() + "/relay.toml";
    {
      std::ofstream out(config);
      for (const auto& line : config_lines) out << line << "\n";
    }
    relay_ = std::make_unique<RelayProcess>(
        CONFIDANT_RELAY_BIN, data_dir_,
        std::vector<std::string>{"--config", config});
    relay_->set_open_files_soft_limit(open_files_soft_limit);
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    address_ = relay_->address();
  }

  template <typename Message>
  Message Admin(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  // An organisation with `trust_persons` trust persons and `employees`
  // employees, all with keys.
  void Organisation(const std::string& name, int trust_persons, int employees,
                    std::vector<Account>* out_tps,
                    std::vector<Account>* out_emps) {
    auto org = Admin<v1::CreateOrganisationResponse>({"org", "create", name});
    ASSERT_FALSE(org.access_code().empty());
    auto channel = NewChannel(address_);
    auto accounts = v1::Accounts::NewStub(channel);
    auto keys = v1::Keys::NewStub(channel);
    for (int i = 0; i < trust_persons + employees; ++i) {
      v1::RegisterRequest req;
      if (i < trust_persons) {
        auto invite = Admin<v1::CreateInviteResponse>(
            {"invite", "create", "--org", org.organisation().id()});
        req.set_invite_code(invite.invite_code());
        req.mutable_profile()->set_display_name("TP " + std::to_string(i));
        req.mutable_profile()->set_affiliation(
            v1::TRUST_PERSON_AFFILIATION_INTERNAL);
      } else {
        req.set_access_code(org.access_code());
      }
      grpc::ClientContext ctx;
      v1::RegisterResponse resp;
      grpc::Status st = accounts->Register(&ctx, req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      Account a{resp.account_id(), resp.secret()};
      XeddsaTestKey identity;
      v1::UploadKeysRequest upload;
      upload.set_identity_key(identity.public_key());
      upload.set_registration_id(1 + i);
      upload.mutable_signed_pre_key()->set_id(1);
      upload.mutable_signed_pre_key()->set_public_key(
          ::confidant::testing::RandomPublicKey());
      upload.mutable_signed_pre_key()->set_signature(
          identity.Sign(upload.signed_pre_key().public_key()));
      grpc::ClientContext kctx;
      Auth(&kctx, a);
      v1::UploadKeysResponse kresp;
      st = keys->UploadKeys(&kctx, upload, &kresp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      (i < trust_persons ? out_tps : out_emps)->push_back(std::move(a));
    }
  }

  // The well-behaved pair in its own organisation, and the baseline memory.
  void StartProber() {
    std::vector<Account> tps, emps;
    ASSERT_NO_FATAL_FAILURE(Organisation("Goed Gedrag BV", 1, 1, &tps, &emps));
    prober_ = std::make_unique<Prober>(address_, emps[0], tps[0]);
    ASSERT_TRUE(prober_->Start());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    baseline_kib_ = ::confidant::testing::ResidentKib(relay_->pid());
    watch_ = std::make_unique<MemoryWatch>(relay_->pid());
    phase_start_ = Clock::now();
    relay_cpu_start_ = CpuSeconds(relay_->pid());
    own_cpu_start_ = CpuSeconds(::getpid());
  }

  // Stops the prober and checks it and the memory bound (plus `extra_kib`).
  void ExpectOthersServed(const std::string& phase, long extra_kib = 0) {
    Prober::Result r = prober_->Stop();
    const long peak = watch_->PeakKib();
    const double wall =
        std::chrono::duration<double>(Clock::now() - phase_start_).count();
    std::printf(
        "%s: %d round trips, %d failed, slowest %ld ms (%s), new connections "
        "within %ld ms; relay RSS %ld KiB idle, %ld KiB peak; CPU over %.1f "
        "s: relay %.1f s, clients %.1f s\n",
        phase.c_str(), r.rounds, r.failures, r.max_ms, r.slowest.c_str(),
        r.max_new_connection_ms, baseline_kib_, peak, wall,
        CpuSeconds(relay_->pid()) - relay_cpu_start_,
        CpuSeconds(::getpid()) - own_cpu_start_);
    EXPECT_GE(r.rounds, 5) << phase;
    EXPECT_EQ(r.failures, 0) << phase << ": " << r.first_failure;
    EXPECT_LE(r.max_ms, kRoundTripBound.count()) << phase;
    EXPECT_LE(peak - baseline_kib_, kMemoryGrowthBoundKib + extra_kib)
        << phase << ": the relay grew from " << baseline_kib_ << " to " << peak
        << " KiB";
    EXPECT_TRUE(relay_->pid() > 0 && ::kill(relay_->pid(), 0) == 0)
        << phase << ": the relay died\n"
        << relay_->Log();
  }

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
}  // namespace confidant
