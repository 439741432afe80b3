// confidant-relay: the relay server. See --help.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/host_port.h"
#include "server/config.h"
#include "server/log.h"
#include "server/relay.h"

namespace {

// Exit codes: 2 bad usage, 78 (EX_CONFIG) configuration or data directory
// problem (a service manager should not restart in a loop), 1 other failure.
constexpr int kExitUsage = 2;
constexpr int kExitConfig = 78;

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "confidant-relay: %s\n", message.c_str());
  return code;
}

bool WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return false;
    out << port << "\n";
    if (!out.flush()) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

// Every connection, including one that never finishes its handshake, holds a
// file descriptor, and the database needs them too. Service managers often
// start processes with a soft limit of 1024, which a few hundred idle sockets
// would exhaust (new clients refused, database files unopenable), so the
// soft limit is raised to the hard one. Returns the limit now in force.
rlim_t RaiseOpenFilesLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur == limit.rlim_max) return limit.rlim_cur;
  // An unlimited hard limit is not a valid soft limit for open files; the
  // kernel's default ceiling (fs.nr_open) is 2^20.
  const rlim_t want =
      limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
  rlimit raised = limit;
  raised.rlim_cur = want;
  if (setrlimit(RLIMIT_NOFILE, &raised) != 0) return limit.rlim_cur;
  return want;
}

}  // namespace

int main(int argc, char** argv) {
  using confidant::server::RelayConfig;
  namespace srv = confidant::server;
  // Debian's Abseil checks every mutex acquisition for lock-order cycles:
  // 3 to 4% of the relay's CPU under load (docs/benchmarks.md). The tests run
  // the relay's code in-process with the check on; the shipped binary skips it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  CLI::App app{
      "confidant-relay: the Confidant relay. Stores only sealed, encrypted "
      "envelopes; never content, senders or addresses."};
  RelayConfig flags;
  std::string config_file;
  app.add_option("--data-dir", flags.data_dir,
                 "Directory for the database and the admin socket (created "
                 "with mode 0700). Required here or in the config file.");
  app.add_option("--listen", flags.listen,
                 "HOST:PORT to serve on; port 0 picks a free port. Default "
                 "127.0.0.1:7443.");
  app.add_option("--config", config_file,
                 "Optional TOML file; every option can be set there "
                 "(see deploy/relay.example.toml). Flags given here win.")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", flags.tls_cert,
                 "PEM certificate chain; with --tls-key the relay serves TLS.");
  app.add_option("--tls-key", flags.tls_key, "PEM private key for --tls-cert.");
  app.add_flag("--insecure", flags.insecure,
               "Allow plaintext on a non-loopback address (only behind a "
               "TLS-terminating proxy or an onion service).");
  app.add_option("--retention-days", flags.retention_days,
                 "Days an undelivered envelope is kept (default 30).")
      ->check(CLI::Range(1, 3650));
  app.add_option("--log-level", flags.log_level,
                 "debug, info, warning or error (default info). No level ever "
                 "logs content, account ids, sizes or addresses.");
  app.add_option("--port-file", flags.port_file,
                 "Write the bound port to this file once serving.");
  app.add_flag("--create-relay-key", flags.create_relay_key,
               "Make a new relay key 1 although the database holds accounts "
               "and the data directory has no relay-keys file. Only for a "
               "relay that ran a version without sender certificates: "
               "otherwise restore relay-keys from the backup, or every "
               "client refuses the relay (docs/operations.md).");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  RelayConfig config;
  if (!config_file.empty()) {
    absl::Status st = srv::ApplyTomlFile(config_file, &config);
    if (!st.ok()) return Fail(kExitConfig, std::string(st.message()));
  }
  if (app.count("--data-dir")) config.data_dir = flags.data_dir;
  if (app.count("--listen")) config.listen = flags.listen;
  if (app.count("--tls-cert")) config.tls_cert = flags.tls_cert;
  if (app.count("--tls-key")) config.tls_key = flags.tls_key;
  if (app.count("--insecure")) config.insecure = flags.insecure;
  if (app.count("--retention-days"))
    config.retention_days = flags.retention_days;
  if (app.count("--log-level")) config.log_level = flags.log_level;
  if (app.count("--port-file")) config.port_file = flags.port_file;
  config.create_relay_key = flags.create_relay_key;
  absl::Status valid = srv::ValidateConfig(config);
  if (!valid.ok()) return Fail(kExitConfig, std::string(valid.message()));

  srv::SetMinLogLevel(config.log_level == "debug"     ? srv::LogLevel::kDebug
                      : config.log_level == "warning" ? srv::LogLevel::kWarning
                      : config.log_level == "error"   ? srv::LogLevel::kError
                                                      : srv::LogLevel::kInfo);
  srv::InstallGrpcLogFilter();
  srv::InstallProtobufLogFilter();
  const rlim_t open_files = RaiseOpenFilesLimit();
  if (open_files < 4096) {
    srv::Log(srv::LogLevel::kWarning,
             absl::StrCat("open files limit is ", open_files,
                          "; idle connections can exhaust it (raise "
                          "LimitNOFILE / ulimit -n)"));
  }

  // Signals are taken by sigwait below; every thread inherits this mask.
  // A shell starting the relay in the background may have set SIGINT to
  // "ignore", which would discard it before sigwait could take it.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<std::unique_ptr<srv::Relay>> relay = srv::Relay::Start(
      config, confidant::base::RealClock(), confidant::base::SecureRandom());
  if (!relay.ok()) {
    const bool config_problem = absl::IsFailedPrecondition(relay.status()) ||
                                absl::IsInvalidArgument(relay.status()) ||
                                absl::IsDataLoss(relay.status());
    return Fail(config_problem ? kExitConfig : 1,
                std::string(relay.status().message()));
  }
  const auto listen = confidant::base::ParseHostPort(config.listen);
  const std::string host = listen.ok() ? listen->host : config.listen;
  srv::Log(srv::LogLevel::kInfo,
           absl::StrCat("relay serving on ", host, ":", (*relay)->port(),
                        config.tls_cert.empty() ? " (plaintext)" : " (TLS)",
                        "; admin socket in the data directory"));
  // The port file last: whoever waits for it sees all of the start-up's log.
  if (!config.port_file.empty() &&
      !WritePortFile(config.port_file, (*relay)->port())) {
    return Fail(1, absl::StrCat("cannot write port file ", config.port_file));
  }

  int received = 0;
  sigwait(&signals, &received);
  srv::Log(srv::LogLevel::kInfo, "shutting down");
  (*relay)->Shutdown();
  srv::Log(srv::LogLevel::kInfo, "stopped");
  return 0;
}
