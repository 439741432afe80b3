#include "tools/loadgen/relay.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace confidant::loadgen {
namespace {

namespace fs = std::filesystem;

constexpr int kExitConfig = 78;  // the relay's "configuration problem"

std::string ConfigToml(const LaunchOptions& o) {
  std::string toml =
      "# Written by confidant-loadgen: limits raised for benchmarking.\n"
      "log_level = \"warning\"\n";
  if (o.worker_threads > 0) {
    absl::StrAppend(&toml, "worker_threads = ", o.worker_threads, "\n");
  }
  if (o.forget_after_seconds >= 0) {
    absl::StrAppend(&toml, "\n[retention]\nforget_after_seconds = ",
                    o.forget_after_seconds, "\n");
  }
  absl::StrAppend(&toml, "\n[limits]\n");
  for (const auto& [key, value] : o.limits) {
    absl::StrAppend(&toml, key, " = ", value, "\n");
  }
  return toml;
}

// The [limits] key named by "unknown config key 'limits.KEY'" in `log`.
std::optional<std::string> UnknownLimit(const std::string& log) {
  constexpr std::string_view kMarker = "unknown config key 'limits.";
  const size_t at = log.rfind(kMarker);
  if (at == std::string::npos) return std::nullopt;
  const size_t start = at + kMarker.size();
  const size_t end = log.find('\'', start);
  if (end == std::string::npos) return std::nullopt;
  return log.substr(start, end - start);
}

std::optional<int> ReadPort(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text)) return std::nullopt;
  int port = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &port) || port <= 0 ||
      port > 65535) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RelayUnderTest>> RelayUnderTest::Launch(
    const LaunchOptions& options, absl::Time deadline) {
  std::unique_ptr<RelayUnderTest> relay(new RelayUnderTest());
  relay->options_ = options;
  relay->launched_ = true;
  relay->data_dir_ = (fs::path(options.work_dir) / "data").string();
  relay->log_path_ = (fs::path(options.work_dir) / "relay.log").string();
  relay->config_path_ = (fs::path(options.work_dir) / "relay.toml").string();
  // Older relays reject [limits] keys they do not know (exit 78): drop the
  // key named in the log and try again.
  for (;;) {
    {
      std::ofstream out(relay->config_path_, std::ios::trunc);
      out << ConfigToml(relay->options_);
      if (!out.flush()) {
        return absl::FailedPreconditionError(
            absl::StrCat("cannot write ", relay->config_path_));
      }
    }
    const size_t log_before = relay->LogText().size();
    absl::Status st = relay->Start(deadline);
    if (st.ok()) return relay;
    std::optional<std::string> unknown;
    if (!relay->running_ && relay->last_exit_code_ == kExitConfig) {
      unknown = UnknownLimit(relay->LogText().substr(log_before));
    }
    auto& limits = relay->options_.limits;
    const auto it =
        unknown
            ? std::find_if(limits.begin(), limits.end(),
                           [&](const auto& kv) { return kv.first == *unknown; })
            : limits.end();
    if (it == limits.end()) return st;
    relay->unknown_limits_.push_back(*unknown);
    limits.erase(it);
  }
}

std::vector<std::pair<std::string, std::string>> BenchmarkLimits() {
  constexpr const char* kUnlimited = "1000000000.0";
  return {
      {"mailbox_max_envelopes", "10000000"},
      {"send_per_second", kUnlimited},
      {"send_burst", kUnlimited},
      {"send_bytes_per_second", "1000000000000.0"},
      {"send_bytes_burst", "1000000000000.0"},
      {"register_per_second", kUnlimited},
      {"register_burst", kUnlimited},
      {"bundle_per_second", kUnlimited},
      {"bundle_burst", kUnlimited},
  };
}

std::unique_ptr<RelayUnderTest> RelayUnderTest::Attach(std::string target,
                                                       pid_t pid,
                                                       std::string data_dir) {
  std::unique_ptr<RelayUnderTest> relay(new RelayUnderTest());
  relay->target_ = std::move(target);
  relay->pid_ = pid;
  relay->data_dir_ = std::move(data_dir);
  return relay;
}

RelayUnderTest::~RelayUnderTest() {
  if (launched_ && running_) {
    (void)Stop(absl::Now() + absl::Seconds(30));
  }
}

absl::Status RelayUnderTest::Start(absl::Time deadline) {
  const std::string port_file =
      (fs::path(options_.work_dir) / "relay.port").string();
  std::error_code ec;
  fs::remove(port_file, ec);
  absl::StatusOr<pid_t> pid = SpawnLogged(
      {options_.relay_bin, "--data-dir", data_dir_, "--listen", "127.0.0.1:0",
       "--config", config_path_, "--port-file", port_file},
      log_path_);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  running_ = true;
  while (absl::Now() < deadline) {
    if (std::optional<int> port = ReadPort(port_file)) {
      target_ = absl::StrCat("127.0.0.1:", *port);
      return absl::OkStatus();
    }
    if (absl::Status alive = CheckAlive(); !alive.ok()) return alive;
    absl::SleepFor(absl::Milliseconds(20));
  }
  (void)Stop(absl::Now() + absl::Seconds(10));
  return absl::DeadlineExceededError(absl::StrCat(
      "the relay did not start serving in time; its log: ", log_path_));
}

absl::Status RelayUnderTest::CheckAlive() {
  if (!launched_) {
    if (pid_ > 0 && kill(pid_, 0) != 0 && errno == ESRCH) {
      return absl::UnavailableError(
          absl::StrCat("relay process ", pid_, " is gone"));
    }
    return absl::OkStatus();
  }
  if (!running_) return absl::UnavailableError("the relay is not running");
  int wstatus = 0;
  const pid_t done = waitpid(pid_, &wstatus, WNOHANG);
  if (done == pid_) {
    running_ = false;
    last_exit_code_ = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    return absl::UnavailableError(absl::StrCat(
        "the relay exited unexpectedly (",
        WIFSIGNALED(wstatus) ? absl::StrCat("signal ", WTERMSIG(wstatus))
                             : absl::StrCat("exit code ", last_exit_code_),
        "); its log: ", log_path_, "\n", LogText()));
  }
  return absl::OkStatus();
}

std::optional<ProcessSample> RelayUnderTest::Sample() {
  if (pid_ <= 0) return std::nullopt;
  absl::StatusOr<ProcessSample> s = SampleProcess(pid_);
  if (!s.ok()) return std::nullopt;
  return *s;
}

absl::StatusOr<int> RelayUnderTest::Stop(absl::Time deadline) {
  if (!launched_) {
    return absl::FailedPreconditionError(
        "cannot stop a relay it did not start");
  }
  if (!running_) return last_exit_code_;
  kill(pid_, SIGTERM);
  int wstatus = 0;
  bool killed = false;
  for (;;) {
    const pid_t done = waitpid(pid_, &wstatus, killed ? 0 : WNOHANG);
    if (done == pid_) break;
    if (done < 0 && errno != EINTR) {
      running_ = false;
      return absl::InternalError("lost track of the relay process");
    }
    if (!killed && absl::Now() >= deadline) {
      kill(pid_, SIGKILL);
      killed = true;
    } else if (!killed) {
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  running_ = false;
  last_exit_code_ = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
  if (killed) {
    return absl::DeadlineExceededError(
        "the relay did not stop on SIGTERM in time and was killed");
  }
  return last_exit_code_;
}

absl::Status RelayUnderTest::Restart(absl::Time deadline) {
  absl::StatusOr<int> code = Stop(deadline);
  if (!code.ok()) return code.status();
  if (*code != 0) {
    return absl::InternalError(
        absl::StrCat("the relay exited with code ", *code,
                     " on SIGTERM; its log: ", log_path_));
  }
  return Start(deadline);
}

std::string RelayUnderTest::LogText() const {
  if (log_path_.empty()) return "";
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace confidant::loadgen
