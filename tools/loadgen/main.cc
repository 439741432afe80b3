// confidant-loadgen: load generator and benchmark driver for the relay. See
// README.md in this directory and --help.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "tools/loadgen/scenarios.h"

namespace confidant::loadgen {
namespace {

namespace fs = std::filesystem;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitStuck = 3;

// The relay and admin binaries of the same build tree (build/X/tools/loadgen
// -> build/X/server), or next to this binary when installed together.
std::string DefaultSibling(const std::string& name) {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const fs::path dir = self.parent_path();
  for (const fs::path& candidate :
       {dir / ".." / ".." / "server" / name, dir / name}) {
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate.lexically_normal().string();
    }
  }
  return "";
}

absl::Duration Seconds(double s) { return absl::Seconds(s); }

int Main(int argc, char** argv) {
  CommonOptions common;
  common.relay_bin = DefaultSibling("confidant-relay");
  common.admin_bin = DefaultSibling("confidant-admin");
  common.work_dir = fs::temp_directory_path().string();
  double rpc_timeout = 30, max_runtime = 4 * 3600;
  std::string summary_file, markdown_file;
  int relay_pid = 0;

  CLI::App app(
      "Load generator and benchmark driver for confidant-relay. Starts a relay "
      "with a temporary data directory (or attaches to one), sets up an "
      "organisation, employees and trust persons, then measures.",
      "confidant-loadgen");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option(
      "--relay-bin", common.relay_bin,
      "confidant-relay to start (default: the one of this build tree)");
  app.add_option(
      "--admin-bin", common.admin_bin,
      "confidant-admin for the setup (default: the one of this build "
      "tree)");
  app.add_option("--work-dir", common.work_dir,
                 "Where the temporary data directory is created (default: "
                 "$TMPDIR or /tmp)")
      ->check(CLI::ExistingDirectory);
  app.add_flag("--keep-data", common.keep_data,
               "Keep the temporary directory (data, config, relay log)");
  app.add_option("--worker-threads", common.worker_threads,
                 "worker_threads in the started relay's config (default: the "
                 "relay's own)")
      ->check(CLI::Range(1, 256));
  app.add_option("--forget-after", common.forget_after_seconds,
                 "Launched relay: [retention] forget_after_seconds (0 turns "
                 "forgetting off; default: the relay's)");
  app.add_option("--target", common.target,
                 "Attach to a running relay at HOST:PORT instead of starting "
                 "one (its limits may then throttle the load)");
  app.add_option("--relay-pid", relay_pid,
                 "With --target: the relay's pid, for its CPU and memory")
      ->check(CLI::PositiveNumber);
  app.add_option("--relay-data-dir", common.relay_data_dir,
                 "With --target: the relay's data directory (for "
                 "confidant-admin and disk usage)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--rpc-timeout", rpc_timeout,
                 "Deadline of every call, seconds")
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--max-runtime", max_runtime,
                 "Give up (exit 3) after this many seconds in all")
      ->check(CLI::Range(1.0, 7 * 86400.0));
  app.add_option(
      "--sizes", common.sizes,
      "Envelope size mix, SIZE:WEIGHT,... with sizes from the padding "
      "buckets 1k 4k 16k 64k 256k (default 1k:90,4k:10)");
  app.add_option("--seed", common.seed, "Seed for sizes, contents and choices");
  app.add_option("--summary-file", summary_file,
                 "Also write key=value results here (for scripts)");
  app.add_option("--markdown-file", markdown_file,
                 "Also append the markdown block to this file");

  TrafficOptions traffic;
  double warmup = 2, duration = 10;
  std::string arrivals = "poisson";
  CLI::App* closed = app.add_subcommand(
      "closed",
      "Closed loop: C senders each send as soon as their previous Send "
      "returned; receivers stream and ack. Then the health check at the same "
      "concurrency, and the ratio.");
  CLI::App* open = app.add_subcommand(
      "open", "Open loop: a fixed offered rate; Send and end-to-end latency.");
  for (CLI::App* sub : {closed, open}) {
    sub->add_option("--senders,-c", traffic.senders,
                    "Employee accounts sending (closed: the concurrency)")
        ->check(CLI::Range(1, 100000));
    sub->add_option("--receivers", traffic.receivers,
                    "Trust-person mailboxes receiving, one stream each")
        ->check(CLI::Range(1, 10000));
    sub->add_option("--connections", traffic.connections,
                    "Connections the senders share (default: one per sender)")
        ->check(CLI::Range(1, 100000));
    sub->add_option("--warmup", warmup, "Seconds before measuring")
        ->check(CLI::Range(0.0, 3600.0));
    sub->add_option("--duration", duration, "Seconds measured")
        ->check(CLI::Range(0.1, 86400.0));
  }
  closed->add_flag("!--no-baseline", traffic.baseline,
                   "Skip the health-check baseline");
  for (CLI::App* sub : {closed, open}) {
    sub->add_option("--backlog", traffic.backlog,
                    "Envelopes queued before the run in mailboxes nobody "
                    "reads");
    sub->add_option("--backlog-mailboxes", traffic.backlog_mailboxes,
                    "Mailboxes the backlog is spread over")
        ->check(CLI::PositiveNumber);
  }
  open->add_option("--rate", traffic.rate, "Offered envelopes per second")
      ->required()
      ->check(CLI::Range(0.1, 1e7));
  open->add_option("--arrivals", arrivals, "poisson or uniform")
      ->check(CLI::IsMember({"poisson", "uniform"}));
  open->add_option("--max-in-flight", traffic.max_in_flight,
                   "Sends outstanding before new ones are skipped (and the "
                   "run fails)")
      ->check(CLI::Range(1, 1000000));

  IdleOptions idle;
  double hold = 10;
  CLI::App* idle_cmd = app.add_subcommand(
      "idle", "N connected, idle Receive streams: relay RSS and CPU.");
  idle_cmd
      ->add_option("--receivers,-n", idle.receivers,
                   "Employee accounts holding a Receive stream")
      ->check(CLI::Range(1, 100000));
  idle_cmd
      ->add_option("--streams-per-connection", idle.streams_per_connection,
                   "Streams sharing one connection (default 1, as "
                   "separate clients; at most the relay's per-connection "
                   "stream limit, or the rest wait in the client)")
      ->check(CLI::Range(1, 100));
  idle_cmd->add_option("--hold", hold, "Seconds to hold the streams open")
      ->check(CLI::Range(0.0, 86400.0));
  idle_cmd
      ->add_option("--probes", idle.probes,
                   "Envelopes sent one at a time to random held receivers")
      ->check(CLI::Range(0, 100000));
  idle_cmd
      ->add_option("--open-batch", idle.open_batch, "Streams opened at once")
      ->check(CLI::Range(1, 100000));

  QueueOptions queue;
  double settle = 120;
  CLI::App* queue_cmd = app.add_subcommand(
      "queue",
      "Fill Q envelopes across K mailboxes with nobody receiving; time "
      "Receive's first envelope; disk per envelope; drain and ack all; disk "
      "after.");
  queue_cmd->add_option("--envelopes,-q", queue.envelopes, "Envelopes to queue")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000000}));
  queue_cmd
      ->add_option("--mailboxes,-k", queue.mailboxes,
                   "Employee mailboxes they are spread over")
      ->check(CLI::Range(1, 10000000));
  queue_cmd->add_option("--senders", queue.senders, "Trust persons sending")
      ->check(CLI::Range(1, 1000));
  queue_cmd
      ->add_option("--concurrency", queue.concurrency,
                   "Sends in flight while filling")
      ->check(CLI::Range(1, 10000));
  queue_cmd
      ->add_option("--ttfe-samples", queue.ttfe_samples,
                   "Mailboxes whose time to first envelope is measured")
      ->check(CLI::Range(1, 1000000));
  queue_cmd
      ->add_option("--drain-concurrency", queue.drain_concurrency,
                   "Mailboxes drained at once")
      ->check(CLI::Range(1, 10000));
  queue_cmd
      ->add_option("--settle-timeout", settle,
                   "Seconds to wait for the disk size to settle")
      ->check(CLI::Range(0.0, 86400.0));
  queue_cmd->add_flag("!--no-restart", queue.restart,
                      "Do not restart the relay after draining");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (!common.target.empty() && relay_pid == 0) {
    std::fprintf(stderr,
                 "confidant-loadgen: note: without --relay-pid the report has "
                 "no relay CPU or memory\n");
  }
  if (common.target.empty() &&
      (relay_pid != 0 || !common.relay_data_dir.empty())) {
    std::fprintf(stderr,
                 "confidant-loadgen: --relay-pid and --relay-data-dir need "
                 "--target\n");
    return kExitUsage;
  }
  if (!common.target.empty() && common.relay_data_dir.empty()) {
    std::fprintf(stderr,
                 "confidant-loadgen: --target needs --relay-data-dir "
                 "(confidant-admin sets up the organisation through the "
                 "relay's admin socket)\n");
    return kExitUsage;
  }
  common.relay_pid = relay_pid;
  common.rpc_timeout = Seconds(rpc_timeout);
  if (absl::StatusOr<SizeMix> mix = SizeMix::Parse(common.sizes); !mix.ok()) {
    std::fprintf(stderr, "confidant-loadgen: %s\n",
                 std::string(mix.status().message()).c_str());
    return kExitUsage;
  }
  if (queue_cmd->parsed() && queue.mailboxes > 0 &&
      queue.envelopes < static_cast<uint64_t>(queue.mailboxes)) {
    std::fprintf(stderr,
                 "confidant-loadgen: --envelopes must be at least --mailboxes "
                 "(every mailbox gets envelopes)\n");
    return kExitUsage;
  }
  traffic.warmup = Seconds(warmup);
  traffic.duration = Seconds(duration);
  traffic.poisson = arrivals == "poisson";
  idle.hold = Seconds(hold);
  queue.settle_timeout = Seconds(settle);
  // The command as reported: without the options that only name output
  // files, which do not change what is measured.
  std::vector<std::string> shown;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--summary-file" || arg == "--markdown-file") {
      ++i;
      continue;
    }
    if (arg.rfind("--summary-file=", 0) == 0 ||
        arg.rfind("--markdown-file=", 0) == 0) {
      continue;
    }
    shown.push_back(arg);
  }
  common.command_line = ShellQuote(shown);

  // Last resort against hanging: every phase has its own deadline too.
  absl::Notification finished;
  std::thread watchdog([&finished, max_runtime] {
    if (!finished.WaitForNotificationWithTimeout(Seconds(max_runtime))) {
      std::fprintf(stderr,
                   "confidant-loadgen: --max-runtime of %.0f s exceeded; "
                   "giving up\n",
                   max_runtime);
      std::fflush(stderr);
      std::_Exit(kExitStuck);
    }
  });
  int exit_code = kExitOk;
  {
    std::vector<std::pair<std::string, std::string>> extra_limits;
    if ((closed->parsed() || open->parsed()) && traffic.connections > 0) {
      const int per_connection =
          (traffic.senders + traffic.connections - 1) / traffic.connections;
      if (per_connection > 32) {
        extra_limits.push_back({"streams_per_connection",
                                absl::StrCat(std::min(1000, per_connection))});
      }
    }
    if (idle_cmd->parsed()) {
      // Room for the streams a connection is to carry (relays that know the
      // key; older ones allow 100).
      extra_limits.push_back(
          {"streams_per_connection",
           absl::StrCat(std::max(32, idle.streams_per_connection))});
    }
    absl::StatusOr<std::unique_ptr<Environment>> env =
        Environment::Create(common, extra_limits);
    absl::StatusOr<Report> report = absl::InternalError("no scenario");
    if (!env.ok()) {
      report = env.status();
    } else if (closed->parsed()) {
      report = RunClosed(**env, traffic);
    } else if (open->parsed()) {
      report = RunOpen(**env, traffic);
    } else if (idle_cmd->parsed()) {
      report = RunIdle(**env, idle);
    } else {
      report = RunQueue(**env, queue);
    }
    if (report.ok()) {
      if (absl::Status stopped = (*env)->StopRelay(); !stopped.ok()) {
        report->Fail(std::string(stopped.message()));
      }
    }
    if (!report.ok()) {
      std::fprintf(stderr, "confidant-loadgen: %s\n",
                   std::string(report.status().message()).c_str());
      exit_code = kExitFailed;
    } else {
      std::printf("%s\n%s", report->Human().c_str(),
                  report->Markdown().c_str());
      std::fflush(stdout);
      if (!summary_file.empty()) {
        std::ofstream out(summary_file, std::ios::trunc);
        out << report->KeyValues();
        if (!out.flush()) {
          std::fprintf(stderr, "confidant-loadgen: cannot write %s\n",
                       summary_file.c_str());
          exit_code = kExitFailed;
        }
      }
      if (!markdown_file.empty()) {
        std::ofstream out(markdown_file, std::ios::app);
        out << "\n" << report->Markdown();
        if (!out.flush()) {
          std::fprintf(stderr, "confidant-loadgen: cannot write %s\n",
                       markdown_file.c_str());
          exit_code = kExitFailed;
        }
      }
      if (report->failed()) exit_code = kExitFailed;
    }
    if (env.ok() && (*env)->relay().launched()) {
      const std::string log = (*env)->relay().LogText();
      if (!log.empty()) {
        std::fprintf(stderr, "confidant-loadgen: the relay logged:\n%s",
                     log.c_str());
      }
    }
  }
  finished.Notify();
  watchdog.join();
  return exit_code;
}

}  // namespace
}  // namespace confidant::loadgen

int main(int argc, char** argv) {
  try {
    return confidant::loadgen::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "confidant-loadgen: %s\n", e.what());
    return 1;
  }
}
