// gRPC client plumbing of the load generator: connections, credentials,
// closed- and open-loop call drivers, the message tracker and Receive streams.
// Everything runs on gRPC's callback API; no call is made without a deadline.
#ifndef CONFIDANT_TOOLS_LOADGEN_CLIENT_H_
#define CONFIDANT_TOOLS_LOADGEN_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tools/loadgen/histogram.h"

namespace confidant::loadgen {

struct Account {
  std::string id;      // 16 bytes
  std::string secret;  // 32 bytes
};

// One gRPC channel (its own TCP connection) and stubs on it.
struct Endpoint {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::Accounts::Stub> accounts;
  std::unique_ptr<v1::Keys::Stub> keys;
  std::unique_ptr<v1::Directory::Stub> directory;
  std::unique_ptr<v1::Mailbox::Stub> mailbox;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
};

// A channel that shares no connection with any other (gRPC would otherwise
// reuse one subchannel for channels with equal arguments).
std::unique_ptr<Endpoint> Connect(const std::string& target);

// Connects every endpoint (in parallel) before `deadline`.
absl::Status WaitConnected(const std::vector<std::unique_ptr<Endpoint>>& eps,
                           absl::Time deadline);

// For calls that outlived their deadlines (which gRPC should never allow):
// their state cannot be freed safely, so the process ends here, and with it
// a relay it launched (which gets SIGTERM as this process dies). Exit code 3.
[[noreturn]] void Abandon(const std::string& what);

// Adds the account's credentials and a deadline to a call.
void PrepareCall(grpc::ClientContext* ctx, const Account* account,
                 absl::Duration timeout);

// Counts call outcomes by status code, keeping one message per code.
class ErrorCounter {
 public:
  void Add(const grpc::Status& status);
  uint64_t total() const;
  // "UNAVAILABLE x3 (connection refused); ..." or "none".
  std::string Describe() const;

 private:
  mutable absl::Mutex mu_;
  std::map<int, std::pair<uint64_t, std::string>> by_code_ ABSL_GUARDED_BY(mu_);
};

// Keeps `concurrency` calls in flight: each completion starts the next call,
// until `total` calls were started (0: unbounded) or Stop(). `issue(index,
// slot, done)` starts call number `index` and must arrange for `done(status)`
// to run exactly once, on any thread.
class CallLoop {
 public:
  using Done = std::function<void(const grpc::Status&)>;
  using Issue = std::function<void(uint64_t index, int slot, Done done)>;

  CallLoop(int concurrency, uint64_t total, Issue issue);
  ~CallLoop();  // waits for the calls in flight (as Wait with no deadline)

  void Start();
  // No new calls after this; calls in flight finish.
  void Stop();
  // True once every started call has finished and no more will start.
  bool Wait(absl::Time deadline);

  uint64_t ok() const { return ok_.load(); }
  uint64_t failed() const { return errors_.total(); }
  const ErrorCounter& errors() const { return errors_; }
  // Set when the loop stopped itself after too many consecutive failures.
  bool aborted() const { return aborted_.load(); }

 private:
  void Next(int slot);
  void Finished(int slot, const grpc::Status& status);
  void HandOff(int slot);
  void HandOffLoop();

  const int concurrency_;
  const uint64_t total_;
  const Issue issue_;
  std::atomic<uint64_t> next_index_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> aborted_{false};
  std::atomic<uint64_t> ok_{0};
  std::atomic<int> consecutive_failures_{0};
  ErrorCounter errors_;

  absl::Mutex mu_;
  int active_slots_ ABSL_GUARDED_BY(mu_) = 0;
  // Slots whose next call is started by the hand-off thread, so that calls
  // completing inline cannot recurse without bound.
  std::vector<int> handed_off_ ABSL_GUARDED_BY(mu_);
  bool quit_handoff_ ABSL_GUARDED_BY(mu_) = false;
  std::thread handoff_thread_;
};

// What the receiving side saw of the envelopes this process sent. Latencies
// are recorded only for envelopes stamped inside the measurement window.
// Thread-safe.
class Tracker {
 public:
  void SetWindow(int64_t start_nanos, int64_t end_nanos);
  bool InWindow(int64_t nanos) const;

  // Called for every received envelope.
  void OnEnvelope(const std::string& content, int64_t now_nanos);

  uint64_t received() const { return received_.load(); }
  uint64_t unique() const;
  uint64_t duplicates() const { return duplicates_.load(); }
  uint64_t foreign() const { return foreign_.load(); }
  uint64_t received_bytes() const { return received_bytes_.load(); }
  // Whether the envelope with this stamp sequence was received.
  bool Seen(uint64_t seq) const;

  Histogram& e2e() { return e2e_; }

 private:
  std::atomic<int64_t> window_start_{0};
  std::atomic<int64_t> window_end_{INT64_MAX};
  std::atomic<uint64_t> received_{0};
  std::atomic<uint64_t> duplicates_{0};
  std::atomic<uint64_t> foreign_{0};
  std::atomic<uint64_t> received_bytes_{0};
  Histogram e2e_;
  mutable absl::Mutex mu_;
  absl::flat_hash_set<uint64_t> seen_ ABSL_GUARDED_BY(mu_);
};

// One Receive stream of one account. Envelopes go to the tracker and are
// acknowledged (at most one Ack call in flight, carrying everything received
// meanwhile). The stream ends by Cancel(), its deadline, an error, or in
// kDrain mode once the queue is empty and acknowledged; in kFirstEnvelope
// mode at the first envelope (not acknowledged).
class ReceiveStream final
    : public grpc::ClientReadReactor<v1::ReceiveResponse> {
 public:
  enum class Mode { kLive, kDrain, kFirstEnvelope };

  ReceiveStream(Endpoint& endpoint, const Account& account, Tracker* tracker,
                Mode mode, absl::Duration deadline, absl::Duration ack_timeout);

  // `on_done` (optional, set before Start) runs once the stream has ended,
  // as the last thing the stream does: it may delete the stream.
  void set_on_done(std::function<void(const grpc::Status&)> on_done) {
    on_done_ = std::move(on_done);
  }

  void Start();
  void Cancel();
  bool WaitQueueEmpty(absl::Time deadline);
  bool WaitDone(absl::Time deadline);

  bool done() const;
  bool saw_queue_empty() const;
  // OK for a stream ended by Cancel() (or by reaching its goal).
  grpc::Status status() const;
  // Time from Start() to the first envelope; -1 if none arrived.
  int64_t first_envelope_nanos() const;
  uint64_t envelopes() const { return envelopes_.load(); }
  uint64_t acked() const { return acked_.load(); }
  const ErrorCounter& ack_errors() const { return ack_errors_; }

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  // Sends up to 1000 pending acks; only while ack_in_flight_ is ours.
  void SendAck();
  void OnAckDone(const grpc::Status& status);
  // In kDrain mode: true (once) when everything is received and acked, and
  // the caller is to cancel the stream.
  bool DrainFinishedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Endpoint& endpoint_;
  const Account account_;
  Tracker* const tracker_;
  const Mode mode_;
  const absl::Duration ack_timeout_;
  std::function<void(const grpc::Status&)> on_done_;
  grpc::ClientContext context_;
  v1::ReceiveRequest request_;
  v1::ReceiveResponse response_;
  int64_t started_nanos_ = 0;
  std::atomic<int64_t> first_envelope_nanos_{-1};
  std::atomic<uint64_t> envelopes_{0};
  std::atomic<uint64_t> acked_{0};
  ErrorCounter ack_errors_;

  mutable absl::Mutex mu_;
  std::vector<uint64_t> pending_acks_ ABSL_GUARDED_BY(mu_);
  bool ack_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool queue_empty_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  // The ack call in flight: touched only by whoever set ack_in_flight_.
  std::unique_ptr<grpc::ClientContext> ack_context_;
  v1::AckRequest ack_request_;
  v1::AckResponse ack_response_;
};

// Receive streams owned together. Destruction cancels them and waits for
// them to end (Abandon()s the process if one does not within a minute).
class StreamSet {
 public:
  StreamSet() = default;
  StreamSet(const StreamSet&) = delete;
  StreamSet& operator=(const StreamSet&) = delete;
  ~StreamSet();

  ReceiveStream& Add(std::unique_ptr<ReceiveStream> stream);
  std::vector<std::unique_ptr<ReceiveStream>>& streams() { return streams_; }
  // Cancels every stream and waits for all to end before `deadline`.
  bool CancelAll(absl::Time deadline);

 private:
  std::vector<std::unique_ptr<ReceiveStream>> streams_;
};

}  // namespace confidant::loadgen

#endif  // CONFIDANT_TOOLS_LOADGEN_CLIENT_H_
