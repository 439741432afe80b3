// The relay process minus main(): storage, services, the public gRPC server,
// the admin server and the retention sweeper, started and stopped together.
#ifndef CONFIDANT_SERVER_RELAY_H_
#define CONFIDANT_SERVER_RELAY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "base/random.h"
#include "server/config.h"

namespace confidant::server {

class Relay {
 public:
  // Opens the data directory (created with mode 0700 if missing), starts
  // serving and returns once the listener is bound. A bad configuration, an
  // unusable data directory or a port in use fails with a clear message.
  // `clock` and `random` must outlive the relay.
  static absl::StatusOr<std::unique_ptr<Relay>> Start(const RelayConfig& config,
                                                      base::Clock& clock,
                                                      base::Random& random);

  // Graceful stop: at once stops listening and refuses new calls
  // (UNAVAILABLE), finishes open streams, gives calls in flight 5 s before
  // cancelling them, flushes storage. Idempotent; the destructor calls it.
  void Shutdown();
  ~Relay();

  // The bound TCP port (useful when listening on port 0).
  int port() const;

  // Runs one retention pass now (also runs every 10 minutes): expires old
  // envelopes and flushes storage so the space of deleted ones comes back.
  // Returns how many envelopes expired.
  absl::StatusOr<uint64_t> ExpireNow();

  // Runs one forgetting pass now (the forgetter also runs them on schedule;
  // see forget_after_seconds).
  absl::Status ForgetNow();

  struct State;

 private:
  explicit Relay(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_RELAY_H_
