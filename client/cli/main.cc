// confidant: the command-line client for employees and trust persons. Every
// command opens the encrypted profile through the app layer, does one thing
// and exits (`sync --follow` stays live); see docs/cli.md. The commands are
// in one file per group (cli.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "client/cli/cli.h"

namespace confidant::cli {

int Main(int argc, char** argv) {
  Request req;
  CLI::App app(
      "Confidant: anonymous, end-to-end encrypted reports to a trust person "
      "(vertrouwenspersoon).",
      "confidant");
  app.failure_message(CLI::FailureMessage::help);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--profile", req.profile,
                 "Profile directory (default $XDG_DATA_HOME/confidant or "
                 "~/.local/share/confidant)");
  CLI::Option* relay = app.add_option(
      "--relay", req.relay, "Relay HOST:PORT (default 127.0.0.1:7443)");
  CLI::Option* tls_ca =
      app.add_option("--tls-ca", req.tls_ca, "PEM file of CAs to trust");
  app.add_flag("--insecure", req.insecure, "Plaintext (loopback relay only)");
  CLI::Option* proxy = app.add_option(
      "--proxy", req.proxy, "HTTP CONNECT proxy http://HOST:PORT (e.g. Tor)");
  app.add_option("--passphrase-file", req.passphrase_file,
                 "Read the passphrase from this file");
  app.add_flag("--json", req.json, "Print one JSON document");

  CLI::App* enroll =
      app.add_subcommand("enroll", "Register as trust person with an invite");
  enroll->add_option("--invite", req.invite, "Invite code")->required();
  enroll->add_option("--name", req.name, "Display name")->required();
  enroll->add_option("--kind", req.kind, "internal or external")
      ->check(CLI::IsMember({"internal", "external"}));
  enroll->add_option("--languages", req.languages,
                     "Comma-separated ISO 639-1 codes (default nl)");
  enroll->add_option("--intro", req.intro, "Short introduction");

  CLI::App* join =
      app.add_subcommand("join", "Join an organisation as employee");
  join->add_option("--access-code", req.access_code, "Access code")->required();
  for (CLI::App* sub : {enroll, join}) {
    sub->add_option("--relay-key", req.relay_key,
                    "The relay key fingerprint your organisation published; "
                    "refuse a relay with another one");
  }

  CLI::App* trust_persons =
      app.add_subcommand("trust-persons", "List the trust persons");
  CLI::App* open =
      app.add_subcommand("open", "Open a case with a trust person");
  open->add_option("--to", req.to, "Trust person id")->required();
  open->add_option("--message", req.message, "First message");

  CLI::App* send = app.add_subcommand("send", "Send a message in a case");
  send->add_option("--case", req.case_id, "Case id")->required();
  send->add_option("TEXT", req.text, "Message, or - for stdin")->required();

  CLI::App* cases = app.add_subcommand("cases", "List cases");
  CLI::App* read =
      app.add_subcommand("read", "Show a case's messages and mark them read");
  read->add_option("--case", req.case_id, "Case id")->required();

  CLI::App* sync = app.add_subcommand("sync", "Fetch new messages");
  sync->add_flag("--follow", req.follow, "Keep fetching until SIGINT/timeout");
  sync->add_option("--timeout", req.timeout_seconds,
                   "Stop --follow after this many seconds")
      ->check(CLI::PositiveNumber);

  CLI::App* safety = app.add_subcommand(
      "safety-number", "Show a case's safety number (veiligheidsnummer)");
  safety->add_option("--case", req.case_id, "Case id")->required();
  CLI::App* verify =
      app.add_subcommand("verify", "Mark a case's safety number as verified");
  verify->add_option("--case", req.case_id, "Case id")->required();
  verify
      ->add_option("--number", req.number,
                   "The safety number you compared (60 digits; spaces "
                   "allowed)")
      ->required();

  CLI::App* whoami = app.add_subcommand("whoami", "Show this profile");

  CLI::App* passphrase = app.add_subcommand(
      "passphrase", "Change the profile's passphrase (and its Argon2id cost)");
  passphrase->add_option("--new-passphrase-file", req.new_passphrase_file,
                         "Read the new passphrase from this file");
  passphrase
      ->add_option("--argon2-memory", req.argon2_memory_mib,
                   "Argon2id memory in MiB (default: keep)")
      ->check(CLI::Range(7, 4096));
  passphrase
      ->add_option("--argon2-passes", req.argon2_passes,
                   "Argon2id passes (default: keep)")
      ->check(CLI::Range(1, 100));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  req.relay_given = relay->count() > 0;
  req.tls_ca_given = tls_ca->count() > 0;
  req.proxy_given = proxy->count() > 0;

  if (enroll->parsed()) return Enroll(req);
  if (join->parsed()) return Join(req);
  if (trust_persons->parsed()) return TrustPersons(req);
  if (open->parsed()) return Open(req);
  if (send->parsed()) return Send(req);
  if (cases->parsed()) return Cases(req);
  if (read->parsed()) return Read(req);
  if (sync->parsed()) return Sync(req);
  if (safety->parsed()) return SafetyNumber(req, false);
  if (verify->parsed()) return SafetyNumber(req, true);
  if (whoami->parsed()) return WhoAmI(req);
  if (passphrase->parsed()) return Passphrase(req);
  std::fprintf(stderr, "%s", app.help().c_str());
  return kExitUsage;
}

}  // namespace confidant::cli

int main(int argc, char** argv) {
  try {
    return confidant::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    confidant::cli::PrintError(e.what());
    return 1;
  }
}
