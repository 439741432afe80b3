#include "server/config.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/host_port.h"

namespace confidant::server {
namespace {

template <typename T>
absl::Status Read(const toml::node& node, const std::string& key, T* out) {
  std::optional<T> v = node.value<T>();
  if (!v.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config key '", key, "' has the wrong type"));
  }
  *out = *v;
  return absl::OkStatus();
}

absl::Status ReadPositive(const toml::node& node, const std::string& key,
                          double* out) {
  absl::Status st = Read<double>(node, key, out);
  if (st.ok() && *out <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("config key '", key, "' must be positive"));
  }
  return st;
}

template <typename Int>
absl::Status ReadCount(const toml::node& node, const std::string& key,
                       int64_t min, int64_t max, Int* out) {
  int64_t v = 0;
  absl::Status st = Read<int64_t>(node, key, &v);
  if (!st.ok()) return st;
  if (v < min || v > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config key '", key, "' must be between ", min, " and ", max));
  }
  *out = static_cast<Int>(v);
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyTomlFile(const std::string& path, RelayConfig* c) {
  // Debian's toml++ is built with exceptions: parse errors arrive as one.
  toml::table parsed;
  try {
    parsed = toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot read config file ", path, ": ", std::string(err.description()),
        " (line ", err.source().begin.line, ")"));
  }
  using Setter =
      std::function<absl::Status(const toml::node&, const std::string&)>;
  RelayLimits& l = c->limits;
  ConnectionLimits& conn = c->connections;
  const std::map<std::string, Setter> setters = {
      {"data_dir", [c](auto& n, auto& k) { return Read(n, k, &c->data_dir); }},
      {"listen", [c](auto& n, auto& k) { return Read(n, k, &c->listen); }},
      {"insecure", [c](auto& n, auto& k) { return Read(n, k, &c->insecure); }},
      {"log_level",
       [c](auto& n, auto& k) { return Read(n, k, &c->log_level); }},
      {"worker_threads",
       [c](auto& n, auto& k) {
         return ReadCount(n, k, 1, 256, &c->worker_threads);
       }},
      {"tls.cert", [c](auto& n, auto& k) { return Read(n, k, &c->tls_cert); }},
      {"tls.key", [c](auto& n, auto& k) { return Read(n, k, &c->tls_key); }},
      {"retention.days",
       [c](auto& n, auto& k) {
         return ReadCount(n, k, 1, 3650, &c->retention_days);
       }},
      {"retention.forget_after_seconds",
       [c](auto& n, auto& k) {
         return ReadCount(n, k, 0, 3600, &c->forget_after_seconds);
       }},
      {"limits.mailbox_max_envelopes",
       [&l](auto& n, auto& k) {
         return ReadCount(n, k, 1, 10000000, &l.max_queued_per_mailbox);
       }},
      {"limits.streams_per_account",
       [&l](auto& n, auto& k) {
         return ReadCount(n, k, 1, 1000, &l.max_streams_per_account);
       }},
      {"limits.one_time_pre_keys",
       [&l](auto& n, auto& k) {
         return ReadCount(n, k, 1, 100000, &l.max_one_time_pre_keys);
       }},
      {"limits.send_per_second",
       [&l](auto& n, auto& k) {
         return ReadPositive(n, k, &l.send_per_second);
       }},
      {"limits.send_burst",
       [&l](auto& n, auto& k) { return ReadPositive(n, k, &l.send_burst); }},
      {"limits.send_bytes_per_second",
       [&l](auto& n, auto& k) {
         return ReadPositive(n, k, &l.send_bytes_per_second);
       }},
      {"limits.send_bytes_burst",
       [&l](auto& n, auto& k) {
         return ReadPositive(n, k, &l.send_bytes_burst);
       }},
      {"limits.bundle_per_second",
       [&l](auto& n, auto& k) {
         return ReadPositive(n, k, &l.bundle_per_second);
       }},
      {"limits.bundle_burst",
       [&l](auto& n, auto& k) { return ReadPositive(n, k, &l.bundle_burst); }},
      {"limits.register_per_second",
       [&l](auto& n, auto& k) {
         return ReadPositive(n, k, &l.register_per_second);
       }},
      {"limits.register_burst",
       [&l](auto& n, auto& k) {
         return ReadPositive(n, k, &l.register_burst);
       }},
      {"limits.certificate_per_second",
       [&l](auto& n, auto& k) {
         return ReadPositive(n, k, &l.certificate_per_second);
       }},
      {"limits.certificate_burst",
       [&l](auto& n, auto& k) {
         return ReadPositive(n, k, &l.certificate_burst);
       }},
      {"limits.handshake_timeout_seconds",
       [&conn](auto& n, auto& k) {
         return ReadCount(n, k, 1, 300, &conn.handshake_timeout_seconds);
       }},
      {"limits.idle_connection_seconds",
       [&conn](auto& n, auto& k) {
         return ReadCount(n, k, 1, 86400, &conn.idle_timeout_seconds);
       }},
      {"limits.streams_per_connection",
       [&conn](auto& n, auto& k) {
         return ReadCount(n, k, 4, 1000, &conn.max_streams_per_connection);
       }},
  };

  absl::Status status;
  std::function<void(const toml::table&, const std::string&)> walk =
      [&](const toml::table& table, const std::string& prefix) {
        for (const auto& [key, node] : table) {
          if (!status.ok()) return;
          const std::string name = prefix + std::string(key.str());
          if (const toml::table* sub = node.as_table()) {
            walk(*sub, name + ".");
            continue;
          }
          auto it = setters.find(name);
          if (it == setters.end()) {
            status = absl::InvalidArgumentError(
                absl::StrCat("unknown config key '", name, "' in ", path));
            return;
          }
          status = it->second(node, name);
        }
      };
  walk(parsed, "");
  return status;
}

absl::Status ValidateConfig(const RelayConfig& c) {
  if (c.data_dir.empty()) {
    return absl::InvalidArgumentError("--data-dir is required");
  }
  const absl::StatusOr<base::HostPort> listen = base::ParseHostPort(c.listen);
  if (!listen.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen ", listen.status().message()));
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both --tls-cert and --tls-key");
  }
  if (c.tls_cert.empty() && !base::IsLoopbackHost(listen->host) &&
      !c.insecure) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to listen on ", c.listen,
        " without TLS: give --tls-cert and --tls-key, listen on loopback, or "
        "pass --insecure (for example behind a TLS-terminating proxy or an "
        "onion service)"));
  }
  if (c.limits.send_bytes_burst < c.limits.max_envelope_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limits.send_bytes_burst must be at least the largest envelope (",
        c.limits.max_envelope_bytes, " bytes)"));
  }
  if (c.log_level != "debug" && c.log_level != "info" &&
      c.log_level != "warning" && c.log_level != "error") {
    return absl::InvalidArgumentError(
        "log level must be debug, info, warning or error");
  }
  return absl::OkStatus();
}

}  // namespace confidant::server
