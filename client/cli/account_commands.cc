// Account commands: enroll, join, whoami, passphrase.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/cli/cli.h"
#include "crypto/safety_number.h"

namespace confidant::cli {
namespace {

std::vector<std::string> OrganisationNames(const client::App& app) {
  std::vector<std::string> names;
  for (const client::Organisation& o : app.organisations()) {
    names.push_back(o.name);
  }
  return names;
}

// The directory to create a profile in, and its passphrase (asked twice).
absl::Status Prepare(const Request& req, std::string& dir,
                     crypto::SecretBytes& pass) {
  dir = ProfileDir(req);
  if (dir.empty()) {
    return absl::InvalidArgumentError("no profile directory: set --profile");
  }
  absl::StatusOr<crypto::SecretBytes> got = GetPassphrase(req, true);
  if (!got.ok()) return got.status();
  pass = *std::move(got);
  return absl::OkStatus();
}

}  // namespace

int Enroll(const Request& req) {
  client::TrustPersonProfile tp;
  tp.display_name = req.name;
  tp.affiliation = req.kind == "external" ? client::Affiliation::kExternal
                                          : client::Affiliation::kInternal;
  const std::vector<std::string> langs =
      absl::StrSplit(req.languages, ',', absl::SkipWhitespace());
  for (const std::string& lang : langs) {
    tp.languages.push_back(
        absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(lang))));
  }
  tp.intro = req.intro;
  std::string dir;
  crypto::SecretBytes pass;
  if (absl::Status s = Prepare(req, dir, pass); !s.ok()) return Fail(s);
  auto app = client::App::Enroll(dir, pass.view(), SettingsFor(req), req.invite,
                                 tp, req.relay_key, AppOptionsFor(req));
  if (!app.ok()) return Fail(app.status());
  const std::string id = Hex((*app)->account_id());
  absl::StatusOr<crypto::SafetyNumber> self = crypto::ComputeSafetyNumber(
      id, (*app)->identity_key(), id, (*app)->identity_key());
  if (!self.ok()) return Fail(self.status());
  // Our half of every safety number: the first 6 groups of the one with
  // ourselves.
  const std::string fingerprint = self->Grouped().substr(0, 6 * 6 - 1);
  const std::vector<std::string> orgs = OrganisationNames(**app);
  if (req.json) {
    Print(JsonObject()
              .Str("account_id", id)
              .Str("fingerprint", fingerprint)
              .Str("relay_key", (*app)->relay_fingerprint())
              .Raw("organisations", JsonStrings(orgs))
              .Build() +
          "\n");
  } else {
    Print(
        absl::StrCat("enrolled as trust person / aangemeld als "
                     "vertrouwenspersoon\naccount id:  ",
                     id, "\nfingerprint: ", fingerprint,
                     "\norganisations: ", absl::StrJoin(orgs, ", "),
                     RelayKeyText(req, (*app)->relay_fingerprint())));
  }
  return kExitOk;
}

int Join(const Request& req) {
  std::string dir;
  crypto::SecretBytes pass;
  if (absl::Status s = Prepare(req, dir, pass); !s.ok()) return Fail(s);
  auto app =
      client::App::Join(dir, pass.view(), SettingsFor(req), req.access_code,
                        req.relay_key, AppOptionsFor(req));
  if (!app.ok()) return Fail(app.status());
  const std::vector<std::string> orgs = OrganisationNames(**app);
  const std::string name = orgs.empty() ? "" : orgs[0];
  if (req.json) {
    Print(JsonObject()
              .Str("organisation", name)
              .Str("relay_key", (*app)->relay_fingerprint())
              .Build() +
          "\n");
  } else {
    Print(absl::StrCat("joined organisation ", name,
                       " / aangemeld bij organisatie ", name,
                       RelayKeyText(req, (*app)->relay_fingerprint())));
  }
  return kExitOk;
}

int WhoAmI(const Request& req) {
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  const std::vector<std::string> orgs = OrganisationNames(**app);
  const std::string role = KindName((*app)->kind());
  const std::string& relay = (*app)->settings().relay;
  if (req.json) {
    Print(JsonObject()
              .Str("role", role)
              .Raw("organisations", JsonStrings(orgs))
              .Str("relay", relay)
              .Str("account_id", Hex((*app)->account_id()))
              .Str("relay_key", (*app)->relay_fingerprint())
              .Build() +
          "\n");
  } else {
    Print(absl::StrCat("role:          ", role, "\norganisations: ",
                       absl::StrJoin(orgs, ", "), "\nrelay:         ", relay,
                       "\naccount id:    ", Hex((*app)->account_id()),
                       "\nrelay key:     ", (*app)->relay_fingerprint(), "\n"));
  }
  return kExitOk;
}

int Passphrase(const Request& req) {
  const std::string dir = ProfileDir(req);
  if (dir.empty()) return Fail(absl::InvalidArgumentError("set --profile"));
  absl::StatusOr<crypto::SecretBytes> old = GetPassphrase(req, false);
  if (!old.ok()) return Fail(old.status());
  absl::StatusOr<crypto::SecretBytes> fresh =
      !req.new_passphrase_file.empty()
          ? ReadPassphraseFile(req.new_passphrase_file)
          : Prompt("New passphrase / nieuwe wachtwoordzin: ");
  if (!fresh.ok()) return Fail(fresh.status());
  if (req.new_passphrase_file.empty()) {
    absl::StatusOr<crypto::SecretBytes> again = Prompt("Repeat it / herhaal: ");
    if (!again.ok()) return Fail(again.status());
    if (!again->Equals(*fresh)) {
      return Fail(absl::InvalidArgumentError("the passphrases differ"));
    }
  }
  auto app = client::App::Open(dir, old->view(), AppOptionsFor(req));
  if (!app.ok()) return Fail(app.status());
  std::optional<crypto::Argon2Params> params;
  if (req.argon2_memory_mib > 0 || req.argon2_passes > 0) {
    crypto::Argon2Params p = crypto::kDefaultArgon2Params;
    if (req.argon2_memory_mib > 0) p.m_cost_kib = req.argon2_memory_mib * 1024;
    if (req.argon2_passes > 0) p.t_cost = req.argon2_passes;
    params = p;
  }
  if (absl::Status s =
          (*app)->ChangePassphrase(old->view(), fresh->view(), params);
      !s.ok()) {
    return Fail(s);
  }
  Print(req.json ? "{\"changed\":true}\n"
                 : "passphrase changed / wachtwoordzin gewijzigd\n");
  return kExitOk;
}

}  // namespace confidant::cli
