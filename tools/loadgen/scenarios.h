// The load generator's scenarios. Each sets up what it needs on the relay
// under test, measures, checks that every envelope arrived, and returns its
// report.
#ifndef CONFIDANT_TOOLS_LOADGEN_SCENARIOS_H_
#define CONFIDANT_TOOLS_LOADGEN_SCENARIOS_H_

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/loadgen/client.h"
#include "tools/loadgen/histogram.h"
#include "tools/loadgen/payload.h"
#include "tools/loadgen/relay.h"
#include "tools/loadgen/report.h"
#include "tools/loadgen/setup.h"

namespace confidant::loadgen {

struct CommonOptions {
  std::string relay_bin;
  std::string admin_bin;
  std::string work_dir;  // parent of the temporary directory
  bool keep_data = false;
  int worker_threads = 0;         // relay config; 0 keeps its default
  int forget_after_seconds = -1;  // relay config; negative keeps its default
  // Attach to a running relay instead of starting one.
  std::string target;
  pid_t relay_pid = 0;
  std::string relay_data_dir;
  absl::Duration rpc_timeout = absl::Seconds(30);
  std::string sizes = "1k:90,4k:10";
  uint64_t seed = 1;
  std::string command_line;
};

// The relay under test, its organisation and the temporary directory, for
// one scenario. Stops the relay and removes the directory on destruction
// (unless keep_data).
class Environment {
 public:
  // `extra_limits` are [limits] keys for a launched relay besides
  // BenchmarkLimits().
  static absl::StatusOr<std::unique_ptr<Environment>> Create(
      const CommonOptions& options,
      const std::vector<std::pair<std::string, std::string>>& extra_limits);
  ~Environment();

  // Stops a launched relay (SIGTERM); an error unless it exits 0 in time.
  // Attached relays are left alone.
  absl::Status StopRelay();

  const CommonOptions& options() const { return options_; }
  RelayUnderTest& relay() { return *relay_; }
  const AdminTool& admin() const { return *admin_; }
  const std::string& org_name() const { return org_name_; }
  const std::string& access_code() const { return access_code_; }
  const SizeMix& sizes() const { return sizes_; }
  const PayloadFactory& payloads() const { return *payloads_; }
  SetupOptions setup_options() const;

  // Adds relay CPU (between the samples), relay RSS and peak RSS, and this
  // process's CPU, with `prefix` on keys and labels.
  void AddProcessFigures(Report& report, const std::string& key_prefix,
                         const std::string& label_prefix,
                         const std::optional<ProcessSample>& relay_from,
                         const std::optional<ProcessSample>& relay_to,
                         const ProcessSample& self_from,
                         const ProcessSample& self_to, bool in_table) const;
  // Machine facts (cores, load average when the run started, pressure) and
  // what the relay's config raised.
  void AddMachineFigures(Report& report) const;

 private:
  Environment() = default;

  CommonOptions options_;
  std::string temp_dir_;  // empty when attached
  std::unique_ptr<RelayUnderTest> relay_;
  std::unique_ptr<AdminTool> admin_;
  std::string org_name_;
  std::string access_code_;
  SizeMix sizes_ = *SizeMix::Parse("1k:1");
  std::unique_ptr<PayloadFactory> payloads_;
  std::string load_average_;
};

// This process's /proc figures.
ProcessSample SampleSelf();

// Waits for `loop` (of `total` calls) to finish. Prints progress to stderr
// every 10 s for long phases. Stops the loop and fails when no call finished
// for `stall`, or when a launched relay has died.
absl::Status AwaitLoop(CallLoop& loop, Environment& env,
                       const std::string& what, uint64_t total,
                       absl::Duration stall);

// Sends `count` envelopes, envelope i from senders[i % S] to
// mailboxes[i % K], at most `concurrency` at once over `eps`; records each
// Send's latency and the bytes sent. Any failed Send fails the whole.
absl::Status SendMany(Environment& env,
                      const std::vector<std::unique_ptr<Endpoint>>& eps,
                      const std::vector<Account>& senders,
                      const std::vector<Account>& mailboxes, uint64_t count,
                      int concurrency, Histogram* send_latency,
                      std::atomic<uint64_t>* bytes_sent);

struct TrafficOptions {
  int senders = 64;     // employee accounts; closed: calls in flight
  int receivers = 8;    // trust-person mailboxes, one Receive stream each
  int connections = 0;  // for the senders; 0: one per sender
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration duration = absl::Seconds(10);
  // closed only
  bool baseline = true;
  // open only
  double rate = 0;      // offered envelopes per second
  bool poisson = true;  // else uniform arrivals
  int max_in_flight = 20000;
  // Envelopes queued before the run in mailboxes nobody reads, spread over
  // `backlog_mailboxes` (a relay that stores much while it serves).
  uint64_t backlog = 0;
  int backlog_mailboxes = 1000;
};

// Closed loop: maximum durable Send/s with receivers streaming and acking,
// then the health check at the same concurrency, and their ratio.
absl::StatusOr<Report> RunClosed(Environment& env, const TrafficOptions& o);
// Open loop: a fixed offered rate; Send and end-to-end latency percentiles.
absl::StatusOr<Report> RunOpen(Environment& env, const TrafficOptions& o);

struct IdleOptions {
  int receivers = 10000;
  int streams_per_connection = 1;
  int open_batch = 500;  // streams being opened at once
  absl::Duration hold = absl::Seconds(10);
  int probes = 100;  // envelopes sent to random receivers while all are held
};

// N connected, idle Receive streams: relay memory and CPU while held.
absl::StatusOr<Report> RunIdle(Environment& env, const IdleOptions& o);

struct QueueOptions {
  uint64_t envelopes = 10000;
  int mailboxes = 1000;
  int senders = 8;         // trust persons sending
  int concurrency = 64;    // Sends in flight while filling
  int ttfe_samples = 200;  // mailboxes whose time to first envelope is timed
  int drain_concurrency = 64;  // mailboxes drained at once
  absl::Duration settle_timeout = absl::Seconds(120);
  bool restart = true;  // restart the relay after draining (flushes)
};

// Fill a queue with no receiver connected, time Receive's first envelope,
// measure disk per envelope, drain everything, and see the space come back.
absl::StatusOr<Report> RunQueue(Environment& env, const QueueOptions& o);

}  // namespace confidant::loadgen

#endif  // CONFIDANT_TOOLS_LOADGEN_SCENARIOS_H_
