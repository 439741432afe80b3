// Opening the app from the command line's options.
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli.h"

namespace confidant::cli {
namespace {

std::string DefaultProfileDir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg != '\0') return absl::StrCat(xdg, "/confidant");
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return absl::StrCat(home, "/.local/share/confidant");
}

}  // namespace

std::string ProfileDir(const Request& req) {
  return req.profile.empty() ? DefaultProfileDir() : req.profile;
}

client::AppOptions AppOptionsFor(const Request& req) {
  client::AppOptions options;
  if (req.relay_given) options.relay = req.relay;
  if (req.tls_ca_given) options.tls_ca = req.tls_ca;
  if (req.proxy_given) options.proxy = req.proxy;
  options.insecure = req.insecure;
  options.time_zone = req.time_zone;
  return options;
}

client::ConnectionSettings SettingsFor(const Request& req) {
  client::ConnectionSettings s;
  if (req.relay_given) s.relay = req.relay;
  if (req.tls_ca_given) s.tls_ca = req.tls_ca;
  if (req.proxy_given) s.proxy = req.proxy;
  s.insecure = req.insecure;
  return s;
}

absl::StatusOr<std::unique_ptr<client::App>> OpenApp(const Request& req) {
  const std::string dir = ProfileDir(req);
  if (dir.empty()) {
    return absl::InvalidArgumentError("no profile directory: set --profile");
  }
  absl::StatusOr<crypto::SecretBytes> pass = GetPassphrase(req, false);
  if (!pass.ok()) return pass.status();
  return client::App::Open(dir, pass->view(), AppOptionsFor(req));
}

absl::StatusOr<client::CaseSummary> FindCase(client::App& app,
                                             const std::string& hex_id) {
  std::optional<std::string> id = Unhex(hex_id);
  if (id.has_value() && id->size() == 16) {
    absl::StatusOr<client::CaseSummary> found = app.Case(*id);
    if (found.ok() || !absl::IsNotFound(found.status())) return found;
  }
  return absl::NotFoundError(absl::StrCat("unknown case ", hex_id));
}

std::string RelayKeyText(const Request& req, const std::string& fingerprint) {
  return absl::StrCat(
      "\nrelay key / relaissleutel: ", fingerprint, "\n",
      req.relay_key.empty()
          ? "compare it with the fingerprint your organisation published / "
            "vergelijk met de vingerafdruk die uw organisatie publiceerde\n"
          : "matches the fingerprint given / komt overeen\n");
}

}  // namespace confidant::cli
