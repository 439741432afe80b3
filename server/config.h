// The relay's configuration: defaults, the optional TOML file, then flags.
#ifndef CONFIDANT_SERVER_CONFIG_H_
#define CONFIDANT_SERVER_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "server/relay_service.h"

namespace confidant::server {

// Limits on client connections, applied by gRPC before any call reaches the
// services. They bound what idle, unfinished or greedy connections cost.
struct ConnectionLimits {
  // A connection must finish TLS and send its HTTP/2 preface and SETTINGS
  // within this, or it is closed.
  int handshake_timeout_seconds = 10;
  // A connection without calls for this long is closed (clients reconnect
  // when they need to).
  int idle_timeout_seconds = 600;
  // Calls one connection may have open at once; more wait in the client.
  int max_streams_per_connection = 32;
};

struct RelayConfig {
  std::string data_dir;
  std::string listen = "127.0.0.1:7443";
  std::string tls_cert;
  std::string tls_key;
  bool insecure = false;
  uint32_t retention_days = 30;
  // Every write is forgotten (storage.h, "What the files hold") within this
  // many seconds; 0 turns forgetting off, for measurements only.
  uint32_t forget_after_seconds = 600;
  int worker_threads = 16;
  std::string log_level = "info";
  // If set, the chosen port is written there once the relay serves (useful
  // with port 0).
  std::string port_file;
  // Make a new relay key 1 although the database holds accounts and there
  // is no key file: only for a relay that ran a version without sender
  // certificates (RelayKeys::Open). A flag, never in the config file.
  bool create_relay_key = false;
  RelayLimits limits;
  ConnectionLimits connections;
};

// Reads the TOML file at `path` into `config`, overriding what it names.
// Unknown keys and wrong types are errors naming the key, so typos never pass
// silently. See deploy/relay.example.toml for every key.
absl::Status ApplyTomlFile(const std::string& path, RelayConfig* config);

// Checks a complete configuration: data directory given, listen address
// well-formed, TLS cert and key together, and no plaintext listener off
// loopback unless `insecure`.
absl::Status ValidateConfig(const RelayConfig& config);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_CONFIG_H_
