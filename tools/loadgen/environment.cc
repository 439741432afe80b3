#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "tools/loadgen/scenarios.h"

namespace confidant::loadgen {
namespace {

namespace fs = std::filesystem;

constexpr absl::Duration kRelayStartTimeout = absl::Seconds(60);

absl::Status CheckExecutable(const std::string& path, const char* flag) {
  if (path.empty() || access(path.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no executable at '", path, "' (set ", flag, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

ProcessSample SampleSelf() {
  absl::StatusOr<ProcessSample> s = SampleProcess(getpid());
  return s.ok() ? *s : ProcessSample{};
}

absl::StatusOr<std::unique_ptr<Environment>> Environment::Create(
    const CommonOptions& options,
    const std::vector<std::pair<std::string, std::string>>& extra_limits) {
  std::unique_ptr<Environment> env(new Environment());
  env->options_ = options;
  absl::StatusOr<SizeMix> sizes = SizeMix::Parse(options.sizes);
  if (!sizes.ok()) return sizes.status();
  env->sizes_ = *sizes;
  env->payloads_ = std::make_unique<PayloadFactory>(options.seed);
  {
    std::ifstream in("/proc/loadavg");
    std::string line;
    std::getline(in, line);
    env->load_average_ = line.substr(0, line.find(' ', line.find(' ') + 1));
  }

  if (absl::Status st = CheckExecutable(options.admin_bin, "--admin-bin");
      !st.ok()) {
    return st;
  }
  if (options.target.empty()) {
    if (absl::Status st = CheckExecutable(options.relay_bin, "--relay-bin");
        !st.ok()) {
      return st;
    }
    std::string pattern =
        (fs::path(options.work_dir) / "confidant-loadgen-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot create a temporary directory in ", options.work_dir));
    }
    env->temp_dir_ = pattern;
    LaunchOptions launch;
    launch.relay_bin = options.relay_bin;
    launch.work_dir = env->temp_dir_;
    launch.worker_threads = options.worker_threads;
    launch.forget_after_seconds = options.forget_after_seconds;
    launch.limits = BenchmarkLimits();
    launch.limits.insert(launch.limits.end(), extra_limits.begin(),
                         extra_limits.end());
    absl::StatusOr<std::unique_ptr<RelayUnderTest>> relay =
        RelayUnderTest::Launch(launch, absl::Now() + kRelayStartTimeout);
    if (!relay.ok()) return relay.status();
    env->relay_ = *std::move(relay);
  } else {
    if (options.relay_data_dir.empty()) {
      return absl::InvalidArgumentError(
          "--target needs --relay-data-dir (confidant-admin sets up the "
          "organisation through the relay's admin socket)");
    }
    env->relay_ = RelayUnderTest::Attach(options.target, options.relay_pid,
                                         options.relay_data_dir);
  }
  env->admin_ =
      std::make_unique<AdminTool>(options.admin_bin, env->relay_->data_dir());
  env->org_name_ = absl::StrFormat(
      "Loadgen %s %d",
      absl::FormatTime("%Y%m%d-%H%M%S", absl::Now(), absl::UTCTimeZone()),
      getpid());
  absl::StatusOr<v1::CreateOrganisationResponse> org =
      env->admin_->CreateOrganisation(env->org_name_);
  if (!org.ok()) return org.status();
  env->access_code_ = org->access_code();
  return env;
}

absl::Status Environment::StopRelay() {
  if (relay_ == nullptr || !relay_->launched()) return absl::OkStatus();
  absl::StatusOr<int> code = relay_->Stop(absl::Now() + absl::Seconds(60));
  if (!code.ok()) return code.status();
  if (*code != 0) {
    return absl::InternalError(
        absl::StrCat("the relay exited with code ", *code, " on SIGTERM"));
  }
  return absl::OkStatus();
}

Environment::~Environment() {
  if (relay_ != nullptr && relay_->running()) {
    absl::StatusOr<int> code = relay_->Stop(absl::Now() + absl::Seconds(60));
    if (!code.ok()) {
      std::fprintf(stderr, "confidant-loadgen: stopping the relay: %s\n",
                   std::string(code.status().message()).c_str());
    } else if (*code != 0) {
      std::fprintf(stderr,
                   "confidant-loadgen: the relay exited with code %d on "
                   "SIGTERM\n",
                   *code);
    }
  }
  if (!temp_dir_.empty()) {
    if (options_.keep_data) {
      std::fprintf(stderr, "confidant-loadgen: kept %s\n", temp_dir_.c_str());
    } else {
      std::error_code ec;
      fs::remove_all(temp_dir_, ec);
    }
  }
}

absl::Status AwaitLoop(CallLoop& loop, Environment& env,
                       const std::string& what, uint64_t total,
                       absl::Duration stall) {
  const absl::Time start = absl::Now();
  absl::Time last_progress = start, last_print = start;
  uint64_t seen = 0;
  auto give_up = [&](absl::Status why) {
    loop.Stop();
    if (!loop.Wait(absl::Now() + env.options().rpc_timeout +
                   absl::Seconds(10))) {
      Abandon(absl::StrCat(what, ": calls did not finish after stopping"));
    }
    return why;
  };
  while (!loop.Wait(absl::Now() + absl::Seconds(1))) {
    const absl::Time now = absl::Now();
    const uint64_t done = loop.ok() + loop.failed();
    if (done != seen) {
      seen = done;
      last_progress = now;
    }
    if (now - last_print >= absl::Seconds(10)) {
      last_print = now;
      std::fprintf(
          stderr, "confidant-loadgen: %s: %llu of %llu (%.0f/s)\n",
          what.c_str(), static_cast<unsigned long long>(done),
          static_cast<unsigned long long>(total),
          static_cast<double>(done) / absl::ToDoubleSeconds(now - start));
    }
    if (absl::Status alive = env.relay().CheckAlive(); !alive.ok()) {
      return give_up(alive);
    }
    if (now - last_progress > stall) {
      return give_up(absl::DeadlineExceededError(
          absl::StrCat(what, ": no progress for ", absl::FormatDuration(stall),
                       " (", done, " of ", total, " done)")));
    }
  }
  return absl::OkStatus();
}

SetupOptions Environment::setup_options() const {
  SetupOptions s;
  s.rpc_timeout = options_.rpc_timeout;
  return s;
}

namespace {

// "some avg60" of a /proc/pressure file: the share of the last minute in
// which at least one task waited for the resource. Empty if unavailable.
std::string Pressure(const char* resource) {
  std::ifstream in(absl::StrCat("/proc/pressure/", resource));
  std::string line;
  if (!std::getline(in, line)) return "";
  const size_t at = line.find("avg60=");
  if (at == std::string::npos) return "";
  const size_t start = at + 6;
  return line.substr(start, line.find(' ', start) - start) + "%";
}

}  // namespace

void Environment::AddMachineFigures(Report& report) const {
  report.Add("cores", "cores", absl::StrCat(sysconf(_SC_NPROCESSORS_ONLN)));
  report.Add("load_average", "load avg (1/5 min) at start", load_average_);
  const std::string cpu = Pressure("cpu"), io = Pressure("io");
  if (!cpu.empty() && !io.empty()) {
    report.Add("pressure", "CPU/IO pressure (avg60) at end",
               absl::StrCat(cpu, " / ", io));
  }
  if (relay_->launched()) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : relay_->launch_options().limits) {
      keys.push_back(absl::StrCat(key, "=", value));
    }
    report.Add("relay_limits", "relay [limits] set", absl::StrJoin(keys, " "),
               false);
    if (!relay_->unknown_limits().empty()) {
      report.Note(absl::StrCat("this relay does not know [limits] ",
                               absl::StrJoin(relay_->unknown_limits(), ", "),
                               "; left out of its config"));
    }
  } else {
    report.Note("attached to a running relay: its own limits apply");
  }
}

void Environment::AddProcessFigures(
    Report& report, const std::string& key_prefix,
    const std::string& label_prefix,
    const std::optional<ProcessSample>& relay_from,
    const std::optional<ProcessSample>& relay_to,
    const ProcessSample& self_from, const ProcessSample& self_to,
    bool in_table) const {
  if (relay_from.has_value() && relay_to.has_value()) {
    report.Add(key_prefix + "relay_cpu_pct", label_prefix + "relay CPU",
               absl::StrFormat("%.0f%%", CpuPercent(*relay_from, *relay_to)),
               in_table);
    if (relay_from->disk_write_bytes >= 0 && relay_to->disk_write_bytes >= 0) {
      const double written = static_cast<double>(relay_to->disk_write_bytes -
                                                 relay_from->disk_write_bytes);
      const double wall =
          absl::ToDoubleSeconds(relay_to->when - relay_from->when);
      report.Add(key_prefix + "relay_disk_write_per_s",
                 label_prefix + "relay disk writes/s",
                 FormatBytes(wall > 0 ? written / wall : 0), in_table);
      report.AddHidden(key_prefix + "relay_disk_write_raw",
                       absl::StrCat(static_cast<int64_t>(written)));
    }
    report.Add(key_prefix + "relay_rss_bytes", label_prefix + "relay RSS",
               FormatBytes(static_cast<double>(relay_to->rss_bytes)), in_table);
    report.AddHidden(key_prefix + "relay_rss_raw",
                     absl::StrCat(relay_to->rss_bytes));
    report.Add(key_prefix + "relay_hwm_bytes", label_prefix + "relay peak RSS",
               FormatBytes(static_cast<double>(relay_to->hwm_bytes)), in_table);
    report.AddHidden(key_prefix + "relay_hwm_raw",
                     absl::StrCat(relay_to->hwm_bytes));
  } else {
    report.Add(key_prefix + "relay_cpu_pct", label_prefix + "relay CPU",
               "n/a (no --relay-pid)", in_table);
  }
  report.Add(key_prefix + "loadgen_cpu_pct", label_prefix + "loadgen CPU",
             absl::StrFormat("%.0f%%", CpuPercent(self_from, self_to)),
             in_table);
}

}  // namespace confidant::loadgen
