// The relay's configuration: defaults, the optional TOML file, then flags.
#ifndef CONFIDANT_SERVER_CONFIG_H_
#define CONFIDANT_SERVER_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "server/relay_service.h"

namespace confidant::server {

struct RelayConfig {
  std::string data_dir;
  std::string listen = "127.0.0.1:7443";
  std::string tls_cert;
  std::string tls_key;
  bool insecure = false;
  uint32_t retention_days = 30;
  int worker_threads = 16;
  std::string log_level = "info";
  // If set, the chosen port is written there once the relay serves (useful
  // with port 0).
  std::string port_file;
  RelayLimits limits;
};

// Reads the TOML file at `path` into `config`, overriding what it names.
// Unknown keys and wrong types are errors naming the key, so typos never pass
// silently. See deploy/relay.example.toml for every key.
absl::Status ApplyTomlFile(const std::string& path, RelayConfig* config);

// Checks a complete configuration: data directory given, listen address
// well-formed, TLS cert and key together, and no plaintext listener off
// loopback unless `insecure`.
absl::Status ValidateConfig(const RelayConfig& config);

// True for 127.0.0.0/8, ::1 and "localhost" (with or without a port).
bool IsLoopbackHost(const std::string& host);

// Splits "HOST:PORT" or "[V6]:PORT"; INVALID_ARGUMENT if malformed.
absl::Status SplitHostPort(const std::string& address, std::string* out_host,
                           int* out_port);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_CONFIG_H_
