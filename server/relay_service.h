// The relay's public gRPC services (Accounts, Keys, Directory, Certificates,
// Mailbox) on the callback API. Blocking work runs on a WorkerPool, never on
// reactor threads.
#ifndef CONFIDANT_SERVER_RELAY_SERVICE_H_
#define CONFIDANT_SERVER_RELAY_SERVICE_H_

#include <grpcpp/impl/service_type.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "base/clock.h"
#include "base/random.h"
#include "confidant/v1/wire.h"
#include "server/relay_keys.h"
#include "server/storage/storage.h"
#include "server/worker_pool.h"

namespace confidant::server {

// Every limit the public API enforces; defaults match relay.proto.
struct RelayLimits {
  uint32_t max_envelope_bytes = wire::kMaxEnvelopeSize;
  uint32_t max_queued_per_mailbox = 10000;
  int max_streams_per_account = 4;
  uint32_t max_one_time_pre_keys = 1000;
  uint32_t max_pre_keys_per_upload = wire::kMaxOneTimePreKeysPerUpload;
  double send_per_second = 50;
  double send_burst = 200;
  // Bytes of envelope content per account: every accepted byte is a synced
  // write that all senders share. The burst must hold max_envelope_bytes.
  double send_bytes_per_second = 1 << 20;
  double send_bytes_burst = 8 << 20;
  double bundle_per_second = 1;
  double bundle_burst = 20;
  double register_per_second = 1;  // per organisation
  double register_burst = 30;
  // Sender certificates, per account (a client needs one a week).
  double certificate_per_second = 1;
  double certificate_burst = 20;
};

// Owns the five services and the state they share. Every reference passed in
// must outlive this object; `pool` must run until the gRPC server has shut
// down.
class RelayServices {
 public:
  RelayServices(Storage& storage, base::Clock& clock, base::Random& random,
                WorkerPool& pool, RelayKeys& keys, const RelayLimits& limits);
  ~RelayServices();

  // The services to register with a grpc::ServerBuilder (owned here).
  std::vector<grpc::Service*> services();

  // From now on refuses every new call with UNAVAILABLE "relay shutting
  // down" and finishes every open Receive stream likewise; calls already in
  // flight go on. Call before grpc::Server::Shutdown.
  void BeginShutdown();

  // Waits until no call is in flight, at most `timeout`; true if none is.
  bool WaitForCallsToFinish(absl::Duration timeout);

  // Open Receive streams (for tests and stats).
  size_t OpenStreams();

  struct Shared;

 private:
  std::unique_ptr<Shared> shared_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_RELAY_SERVICE_H_
