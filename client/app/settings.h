// How a client reaches its relay, as the user chose it at enroll or join.
#ifndef CONFIDANT_CLIENT_APP_SETTINGS_H_
#define CONFIDANT_CLIENT_APP_SETTINGS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confidant::client {

// The relay a client talks to unless told otherwise.
inline constexpr char kDefaultRelay[] = "127.0.0.1:7443";

// kMeta key of the stored settings.
inline constexpr char kSettingsKey[] = "settings";

struct ConnectionSettings {
  std::string relay = kDefaultRelay;  // HOST:PORT
  std::string tls_ca;                 // PEM file; empty: the system's roots
  std::string proxy;      // http://HOST:PORT, e.g. tor's HTTPTunnelPort
  bool insecure = false;  // plaintext, for a relay on loopback only

  // Lines of `name=value`: relay, tls_ca, proxy, insecure (0 or 1).
  std::string Encode() const;
  // DATA_LOSS for a line without `=` or an unknown name.
  static absl::StatusOr<ConnectionSettings> Decode(std::string_view encoded);

  friend bool operator==(const ConnectionSettings&,
                         const ConnectionSettings&) = default;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_SETTINGS_H_
