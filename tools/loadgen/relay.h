// The relay under test: a confidant-relay child this tool starts (with a
// temporary data directory and limits raised so that the load generator is
// not rate-limited), or one that already runs.
#ifndef CONFIDANT_TOOLS_LOADGEN_RELAY_H_
#define CONFIDANT_TOOLS_LOADGEN_RELAY_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/loadgen/process.h"

namespace confidant::loadgen {

struct LaunchOptions {
  std::string relay_bin;
  std::string work_dir;    // holds data/, relay.toml and relay.log
  int worker_threads = 0;  // 0: the relay's default
  // Keys of the config's [limits] table and their values. A key this relay
  // version does not know is dropped (and reported) rather than failing.
  std::vector<std::pair<std::string, std::string>> limits;
  // [retention] forget_after_seconds; negative keeps the relay's default.
  int forget_after_seconds = -1;
};

// The limits raised for every run, so that the load generator measures the
// relay rather than its abuse protection.
std::vector<std::pair<std::string, std::string>> BenchmarkLimits();

// Not thread-safe; used from the scenario's main thread.
class RelayUnderTest {
 public:
  // Writes the config, starts the relay on 127.0.0.1 port 0 and waits (until
  // `deadline`) for its port file.
  static absl::StatusOr<std::unique_ptr<RelayUnderTest>> Launch(
      const LaunchOptions& options, absl::Time deadline);
  // A running relay at `target`; `pid` (0 if unknown) for CPU and memory,
  // `data_dir` (empty if unknown) for confidant-admin and disk usage.
  static std::unique_ptr<RelayUnderTest> Attach(std::string target, pid_t pid,
                                                std::string data_dir);

  ~RelayUnderTest();  // stops a launched relay (SIGTERM, then SIGKILL)

  const std::string& target() const { return target_; }
  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }
  bool launched() const { return launched_; }
  // A launched relay not yet stopped (or seen to exit).
  bool running() const { return running_; }

  // UNAVAILABLE if a launched relay has exited.
  absl::Status CheckAlive();
  // The relay's /proc figures; nullopt without a pid.
  std::optional<ProcessSample> Sample();

  // SIGTERM, then waits for exit until `deadline` (SIGKILL after it). Returns
  // the exit code. Only for launched relays.
  absl::StatusOr<int> Stop(absl::Time deadline);
  // Stop, then Launch again on the same data directory (new port).
  absl::Status Restart(absl::Time deadline);

  // Warning and error lines the relay wrote so far (launched relays).
  std::string LogText() const;
  // The [limits] keys it was started with, and those it did not know.
  const LaunchOptions& launch_options() const { return options_; }
  const std::vector<std::string>& unknown_limits() const {
    return unknown_limits_;
  }

 private:
  RelayUnderTest() = default;
  absl::Status Start(absl::Time deadline);

  LaunchOptions options_;
  std::string target_;
  pid_t pid_ = 0;
  std::string data_dir_;
  std::string log_path_;
  std::string config_path_;
  bool launched_ = false;
  bool running_ = false;
  int last_exit_code_ = 0;
  std::vector<std::string> unknown_limits_;
};

}  // namespace confidant::loadgen

#endif  // CONFIDANT_TOOLS_LOADGEN_RELAY_H_
