#include "client/app/settings.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace confidant::client {

std::string ConnectionSettings::Encode() const {
  return absl::StrCat("relay=", relay, "\ntls_ca=", tls_ca, "\nproxy=", proxy,
                      "\ninsecure=", insecure ? 1 : 0, "\n");
}

absl::StatusOr<ConnectionSettings> ConnectionSettings::Decode(
    std::string_view encoded) {
  ConnectionSettings s;
  const std::vector<std::string> lines =
      absl::StrSplit(std::string(encoded), '\n', absl::SkipEmpty());
  for (const std::string& line : lines) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      return absl::DataLossError("the stored connection settings are corrupt");
    }
    const std::string name = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (name == "relay") {
      s.relay = std::move(value);
    } else if (name == "tls_ca") {
      s.tls_ca = std::move(value);
    } else if (name == "proxy") {
      s.proxy = std::move(value);
    } else if (name == "insecure") {
      s.insecure = value == "1";
    } else {
      return absl::DataLossError("the stored connection settings are corrupt");
    }
  }
  return s;
}

}  // namespace confidant::client
