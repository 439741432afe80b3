#include "server/relay.h"

#include <fcntl.h>
#include <grpc/grpc.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "base/files.h"
#include "server/admin_service.h"
#include "server/forgetter.h"
#include "server/log.h"
#include "server/relay_keys.h"
#include "server/relay_service.h"
#include "server/storage/rocksdb_storage.h"
#include "server/worker_pool.h"

namespace confidant::server {
namespace {

constexpr absl::Duration kSweepInterval = absl::Minutes(10);
constexpr absl::Duration kShutdownGrace = absl::Seconds(5);
// How long before the end of the grace calls must have finished to count as
// drained.
constexpr absl::Duration kDrainMargin = absl::Milliseconds(200);

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", what, " ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status PrepareDataDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data directory ", dir, ": ", ec.message()));
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("data directory ", dir, " is not a directory"));
  }
  if (::chmod(dir.c_str(), 0700) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot set permissions of data directory ", dir));
  }
  return absl::OkStatus();
}

// Opens DATA_DIR/db. A new database is made complete under another name and
// renamed into place, so a crash during the very first start leaves nothing
// that a later start would refuse as "not a Confidant database".
absl::StatusOr<std::unique_ptr<Storage>> OpenStorage(
    const std::string& data_dir) {
  const std::string db = data_dir + "/db";
  std::error_code ec;
  if (!std::filesystem::exists(db, ec) && !ec) {
    const std::string fresh = data_dir + "/db.creating";
    std::filesystem::remove_all(fresh, ec);  // left by a crash, never used
    if (ec) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot remove ", fresh, ": ", ec.message()));
    }
    absl::StatusOr<std::unique_ptr<Storage>> created =
        OpenRocksDbStorage(fresh);
    if (!created.ok()) return created.status();
    created->reset();  // closes it
    std::filesystem::rename(fresh, db, ec);
    if (ec) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot move the new database to ", db, ": ", ec.message()));
    }
    absl::Status synced = base::SyncDirectory(data_dir);
    if (!synced.ok()) return absl::FailedPreconditionError(synced.message());
  }
  return OpenRocksDbStorage(db);
}

}  // namespace

struct Relay::State {
  RelayConfig config;
  base::Clock* clock = nullptr;
  std::unique_ptr<Storage> storage;
  std::unique_ptr<RelayKeys> keys;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<RelayServices> services;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<AdminServer> admin;
  std::unique_ptr<Forgetter> forgetter;
  int port = 0;

  absl::Notification stop_sweeper;
  std::thread sweeper;
  absl::Mutex shutdown_mu;
  bool shut_down ABSL_GUARDED_BY(shutdown_mu) = false;

  absl::StatusOr<uint64_t> Expire() {
    const uint32_t now = clock->NowHour();
    const uint32_t window = config.retention_days * 24;
    const uint32_t cutoff = now > window ? now - window : 0;
    absl::StatusOr<uint64_t> expired =
        storage->mailboxes().ExpireBefore(cutoff);
    if (!expired.ok()) return expired;
    absl::StatusOr<uint64_t> invites =
        storage->accounts().DeleteExpiredInvites(now);
    if (!invites.ok()) return invites.status();
    if (*expired > 0) {
      Log(LogLevel::kInfo, absl::StrCat("retention: expired ", *expired,
                                        " undelivered envelopes"));
    }
    // Writes out the deletions of acked and expired envelopes, so compaction
    // returns their disk space while the relay runs; held in memory they
    // would keep it until the next restart (docs/benchmarks.md).
    if (absl::Status flushed = storage->Flush(); !flushed.ok()) {
      return flushed;
    }
    return expired;
  }
};

Relay::Relay(std::unique_ptr<State> state) : state_(std::move(state)) {}

Relay::~Relay() { Shutdown(); }

int Relay::port() const { return state_->port; }

absl::StatusOr<uint64_t> Relay::ExpireNow() { return state_->Expire(); }

absl::Status Relay::ForgetNow() { return state_->storage->Forget(); }

absl::StatusOr<std::unique_ptr<Relay>> Relay::Start(const RelayConfig& config,
                                                    base::Clock& clock,
                                                    base::Random& random) {
  absl::Status st = ValidateConfig(config);
  if (!st.ok()) return st;
  st = PrepareDataDir(config.data_dir);
  if (!st.ok()) return st;

  auto state = std::make_unique<State>();
  state->config = config;
  state->clock = &clock;
  absl::StatusOr<std::unique_ptr<Storage>> storage =
      OpenStorage(config.data_dir);
  if (!storage.ok()) return storage.status();
  state->storage = *std::move(storage);
  absl::StatusOr<AccountStore::Counts> counts =
      state->storage->accounts().Count(clock.NowHour());
  if (!counts.ok()) return counts.status();
  absl::StatusOr<std::unique_ptr<RelayKeys>> keys = RelayKeys::Open(
      config.data_dir, clock,
      {.database_in_use = counts->employees + counts->trust_persons > 0,
       .allow_new_root = config.create_relay_key});
  if (!keys.ok()) return keys.status();
  state->keys = *std::move(keys);
  // Public, and what organisations publish: worth seeing in the journal.
  Log(LogLevel::kInfo,
      absl::StrCat(
          "relay key root fingerprint: ", state->keys->RootFingerprint(), " (",
          state->keys->Chain().size(), " relay keys)"));
  state->pool = std::make_unique<WorkerPool>(config.worker_threads);
  state->services = std::make_unique<RelayServices>(
      *state->storage, clock, random, *state->pool, *state->keys,
      config.limits);

  std::shared_ptr<grpc::ServerCredentials> creds;
  if (!config.tls_cert.empty()) {
    absl::StatusOr<std::string> cert =
        ReadFile(config.tls_cert, "TLS certificate");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadFile(config.tls_key, "TLS key");
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back({*key, *cert});
    creds = grpc::SslServerCredentials(options);
  } else {
    creds = grpc::InsecureServerCredentials();
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen, creds, &state->port);
  for (grpc::Service* service : state->services->services()) {
    builder.RegisterService(service);
  }
  // Room for the largest envelope plus framing; larger requests are refused
  // by gRPC with RESOURCE_EXHAUSTED before they reach a handler.
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(config.limits.max_envelope_bytes) + 64 * 1024);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // What a connection may cost before it does anything useful: it must finish
  // its handshake in time, is closed when it stays without calls, and holds
  // a bounded number of calls (each of which gRPC may buffer whole).
  const ConnectionLimits& conn = config.connections;
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                             conn.handshake_timeout_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             conn.idle_timeout_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             conn.max_streams_per_connection);
  // gRPC sets SO_REUSEPORT by default, so a second process (another relay, or
  // anything running as the same user) could bind the same port and be
  // handed a share of the connections. A port in use must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  state->server = builder.BuildAndStart();
  if (state->server == nullptr || state->port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.listen,
                     " (address in use, or not an address of this machine)"));
  }

  absl::StatusOr<std::unique_ptr<AdminServer>> admin = AdminServer::Start(
      config.data_dir, *state->storage, clock, random, state->keys.get());
  if (!admin.ok()) {
    state->server->Shutdown();
    return admin.status();
  }
  state->admin = *std::move(admin);

  if (config.forget_after_seconds > 0) {
    state->forgetter = std::make_unique<Forgetter>(
        *state->storage, clock, absl::Seconds(config.forget_after_seconds));
  } else {
    Log(LogLevel::kWarning,
        "forgetting is off: copies of the data directory show write order, "
        "deleted envelopes and fine times");
  }

  State* s = state.get();
  state->sweeper = std::thread([s] {
    do {
      absl::StatusOr<uint64_t> expired = s->Expire();
      if (!expired.ok()) {
        Log(LogLevel::kError, absl::StrCat("retention pass failed: ",
                                           expired.status().message()));
      }
    } while (!s->stop_sweeper.WaitForNotificationWithTimeout(kSweepInterval));
  });
  return std::unique_ptr<Relay>(new Relay(std::move(state)));
}

void Relay::Shutdown() {
  State& s = *state_;
  {
    absl::MutexLock lock(&s.shutdown_mu);
    if (s.shut_down) return;
    s.shut_down = true;
  }
  if (auto* health = s.server->GetHealthCheckService()) {
    health->SetServingStatus(false);
  }
  // New calls are refused from here on, by the services and, once the
  // server's shutdown has begun, by gRPC itself, which also stops listening.
  // Calls in flight get kShutdownGrace; gRPC then cancels what is left, such
  // as a stream whose client stopped reading.
  s.services->BeginShutdown();
  const absl::Time deadline = absl::Now() + kShutdownGrace;
  // gRPC's shutdown also waits, until the deadline, for clients to close
  // their connections, which idle ones do not. Once our calls are done,
  // this cuts them (and calls of the health and reflection services) off,
  // and keeps doing so until the server is down, in case it runs before
  // the shutdown has begun.
  bool drained = false;
  absl::Notification server_down;
  std::thread closer([&s, &drained, &server_down, deadline] {
    // Judged a little before gRPC's own deadline: at the deadline gRPC
    // cancels what is left, and a call that ends by that cancellation must
    // not count as one that finished by itself.
    drained =
        s.services->WaitForCallsToFinish(deadline - absl::Now() - kDrainMargin);
    do {
      grpc_server_cancel_all_calls(s.server->c_server());
    } while (
        !server_down.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  });
  s.server->Shutdown(absl::ToChronoTime(deadline));
  s.server->Wait();
  server_down.Notify();
  closer.join();
  if (!drained) {
    Log(LogLevel::kWarning, "calls still running at shutdown were cancelled");
  }
  // Cancelled calls end once their pool tasks have run.
  if (!s.services->WaitForCallsToFinish(kShutdownGrace)) {
    Log(LogLevel::kError, "calls still running after they were cancelled");
  }
  if (s.admin) s.admin->Shutdown();
  s.stop_sweeper.Notify();
  if (s.sweeper.joinable()) s.sweeper.join();
  s.pool.reset();  // runs what is still queued
  // A stopped relay's files forget too, not only a running one's; a pass
  // flushes first, so only without forgetting is a plain flush needed.
  if (s.forgetter) {
    s.forgetter->Stop();
    if (absl::Status forgotten = s.storage->Forget(); !forgotten.ok()) {
      Log(LogLevel::kError,
          absl::StrCat("forgetting at shutdown failed: ", forgotten.message()));
    }
  }
  if (absl::Status flushed = s.storage->Flush(); !flushed.ok()) {
    Log(LogLevel::kError,
        absl::StrCat("flush at shutdown failed: ", flushed.message()));
  }
  s.server.reset();
  s.services.reset();
  s.storage.reset();
  s.keys.reset();
}

}  // namespace confidant::server
