// confidant: the command-line client for employees and trust persons. Every
// command opens the encrypted profile through the app layer, does one thing
// and exits (`sync --follow` stays live); see docs/cli.md. The commands are
// in one file per group (cli.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "client/cli/cli.h"
#include "client/grpc_transport.h"

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
  app.add_option("--time-zone", req.time_zone,
                 "IANA time zone of case numbers, deadlines and appointments "
                 "(default Europe/Amsterdam)");

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

  // `confidant case SUB --case ID ...`: the trust person's case work and
  // what the two sides tell each other besides text.
  CLI::App* kase = app.add_subcommand("case", "Case work (see docs/cli.md)");
  kase->require_subcommand(1);
  auto sub = [&](const char* name, const char* help) {
    CLI::App* c = kase->add_subcommand(name, help);
    c->add_option("--case", req.case_id, "Case id")->required();
    return c;
  };
  CLI::App* c_show = sub("show", "Show the case file (trust person)");
  CLI::App* c_status = sub("status", "Set the registration status");
  c_status->add_option("STATUS", req.value, "new, in-progress, waiting, closed")
      ->required();
  CLI::App* c_category = sub("category", "Set the categories");
  c_category
      ->add_option("KEYS", req.value, "Comma-separated category keys, or none")
      ->required();
  CLI::App* c_set = sub("set", "Set registration fields");
  c_set->add_option("--org", req.org, "Organisation id, or none");
  c_set->add_option("--role", req.role, "employee, manager, hr, other, none");
  c_set->add_option("--support", req.support,
                    "Comma-separated: listening, referral, mediation, "
                    "complaint, whistleblower; or none");
  c_set->add_option("--referral", req.referral,
                    "Comma-separated: company-doctor, gp, mediator, lawyer, "
                    "complaints-committee, police, social-work, other; or "
                    "none");
  c_set->add_option("--outcome", req.outcome,
                    "resolved, referred, formal-complaint, withdrawn, "
                    "no-further-contact, other, none");
  c_set->add_option("--conversations", req.conversations,
                    "Number of conversations");
  CLI::App* c_note = sub("note", "Add a private note (never sent)");
  c_note->add_option("TEXT", req.text, "The note")->required();
  CLI::App* c_time = sub("time", "Add time spent");
  c_time
      ->add_option("MINUTES", req.minutes,
                   "Minutes to add (negative to correct)")
      ->required();
  c_time->add_option("--conversations", req.conversations,
                     "Number of conversations");
  CLI::App* c_feedback =
      sub("feedback", "Record that feedback was given (Wbk)");
  CLI::App* c_extend =
      sub("extend", "Extend the feedback deadline by 3 months (Wbk)");
  c_extend->add_option("--reason", req.reason, "Why")->required();
  CLI::App* c_purge = sub("purge", "Remove a closed case for good");
  c_purge->add_flag("--yes", req.yes, "Yes, remove it");
  CLI::App* c_share = sub("share-status", "Share a status with the employee");
  c_share->add_option("STATUS", req.value, "received, in-progress, closed")
      ->required();
  CLI::App* c_ack = sub("ack", "Send the acknowledgement of receipt");
  c_ack->add_option("--text", req.text,
                    "Instead of the standard text (casework-settings)");
  CLI::App* c_propose =
      sub("propose-appointment", "Propose 1 to 3 times for a conversation");
  c_propose
      ->add_option("--slot", req.slots,
                   "\"YYYY-MM-DD HH:MM,MINUTES,online|phone|location[,PLACE]\" "
                   "(local time; 1 to 3 times)")
      ->required();
  c_propose->add_option("--note", req.note, "A note with the proposal");
  CLI::App* c_accept_appointment =
      sub("accept-appointment", "Accept a proposed time, or ask for others");
  c_accept_appointment->add_option("--proposal", req.proposal, "Proposal id")
      ->required();
  c_accept_appointment->add_option("--slot", req.slot, "Time 1, 2 or 3");
  c_accept_appointment->add_flag("--other", req.other_times,
                                 "Ask for other times");
  c_accept_appointment->add_option("--note", req.note, "A note");
  CLI::App* c_appointment =
      sub("appointment", "Show the appointment; --ics FILE exports it");
  c_appointment->add_option("--ics", req.ics, "Write an iCalendar file");
  c_appointment->add_option("--summary", req.summary,
                            "The calendar entry's title");
  CLI::App* c_handover =
      sub("handover", "Propose a colleague to take the case over");
  c_handover->add_option("--to", req.to, "The colleague's id")->required();
  c_handover
      ->add_option("--reason", req.reason,
                   "conflict-of-interest, other-party, absence")
      ->required();
  c_handover->add_option("--note", req.note, "A note for the employee");
  CLI::App* c_accept_handover =
      sub("accept-handover", "Consent to a hand-over (employee)");
  CLI::App* c_refuse_handover =
      sub("refuse-handover", "Refuse a hand-over (employee)");
  for (CLI::App* c : {c_accept_handover, c_refuse_handover}) {
    c->add_option("--handover", req.handover, "Hand-over id")->required();
  }
  c_accept_handover->add_option(
      "--forward", req.forward,
      "Messages to forward: all, none (default) or comma-separated ids");
  CLI::App* c_block = sub("block", "Drop every later message of the sender");
  CLI::App* c_unblock = sub("unblock", "Undo block");

  CLI::App* due = app.add_subcommand(
      "due", "Deadlines and reminders across all cases (trust person)");
  due->add_flag("--all", req.all, "Also those not yet near");
  CLI::App* casework_settings = app.add_subcommand(
      "casework-settings", "Show or change the case-work settings");
  casework_settings->add_option("--warning-days", req.warning_days,
                                "Warn this many days before a deadline");
  casework_settings->add_option(
      "--retention-days", req.retention_days,
      "Purge closed cases this many days after closing (0: never)");
  casework_settings->add_option("--reminder-days", req.reminder_days,
                                "Announce a purge this many days before");
  casework_settings->add_option("--acknowledgement-nl-file",
                                req.acknowledgement_nl_file,
                                "The Dutch acknowledgement text");
  casework_settings->add_option("--acknowledgement-en-file",
                                req.acknowledgement_en_file,
                                "The English acknowledgement text");

  casework_settings->add_option("--invoice-name", req.invoice_name,
                                "Your name on invoices");
  casework_settings->add_option("--invoice-practice", req.invoice_practice,
                                "Your practice's name on invoices");
  casework_settings->add_option("--invoice-address", req.invoice_address,
                                "An address line (repeat for each line)");
  casework_settings->add_option("--kvk", req.kvk,
                                "KvK (Chamber of Commerce) number");
  casework_settings->add_option("--vat-number", req.vat_number,
                                "VAT number (btw-nummer)");
  casework_settings->add_option("--iban", req.iban, "IBAN for payment");
  casework_settings->add_option("--invoice-email", req.invoice_email,
                                "E-mail address on invoices");
  casework_settings->add_option("--rate", req.default_rate,
                                "Hourly rate in euros (e.g. 95 or 95.50)");
  casework_settings->add_option("--vat-rate", req.vat_percent,
                                "VAT in percent (default 21)");
  casework_settings->add_option("--payment-days", req.payment_days,
                                "Days to pay (default 30)");

  CLI::App* report = app.add_subcommand(
      "report", "Write the report for an organisation (trust person)");
  report->add_option("--from", req.from, "First day, YYYY-MM-DD")->required();
  report->add_option("--to", req.to, "Last day, YYYY-MM-DD")->required();
  report->add_option("--k", req.k,
                     "Show counts below K as <K (default 5, at least 2)");
  report->add_option("--trends-file", req.trends_file,
                     "Your trends and recommendations (text file)");
  report->add_option("--name", req.name, "Your name (default: as listed)");
  CLI::App* invoice = app.add_subcommand(
      "invoice", "Write an anonymised invoice for an organisation");
  invoice->add_option("--from", req.from, "First month, YYYY-MM")->required();
  invoice->add_option("--to", req.to, "Last month, YYYY-MM")->required();
  invoice->add_option("--number", req.number,
                      "Invoice number (default: the next of the year)");
  invoice->add_option("--rate", req.rate,
                      "Hourly rate in euros (default: casework-settings)");
  for (CLI::App* c : {report, invoice}) {
    c->add_option("--org", req.org, "Organisation id (default: your only one)");
    c->add_option("--format", req.format, "pdf (default) or csv");
    c->add_option("--out", req.out, "File to write")->required();
    c->add_option("--language", req.language, "nl (default) or en");
  }

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
  if (due->parsed()) return Due(req);
  if (report->parsed()) return Report(req);
  if (invoice->parsed()) return Invoice(req);
  if (casework_settings->parsed()) return CaseworkSettings(req);
  if (c_show->parsed()) return CaseShow(req);
  if (c_status->parsed()) return CaseStatus(req);
  if (c_category->parsed()) return CaseCategory(req);
  if (c_set->parsed()) return CaseSet(req);
  if (c_note->parsed()) return CaseNote(req);
  if (c_time->parsed()) return CaseTime(req);
  if (c_feedback->parsed()) return CaseFeedback(req);
  if (c_extend->parsed()) return CaseExtend(req);
  if (c_purge->parsed()) return CasePurge(req);
  if (c_share->parsed()) return CaseShareStatus(req);
  if (c_ack->parsed()) return CaseAck(req);
  if (c_propose->parsed()) return CaseProposeAppointment(req);
  if (c_accept_appointment->parsed()) return CaseAnswerAppointment(req);
  if (c_appointment->parsed()) return CaseAppointment(req);
  if (c_handover->parsed()) return CaseHandover(req);
  if (c_accept_handover->parsed()) return CaseAnswerHandover(req, true);
  if (c_refuse_handover->parsed()) return CaseAnswerHandover(req, false);
  if (c_block->parsed()) return CaseBlock(req, true);
  if (c_unblock->parsed()) return CaseBlock(req, false);
  std::fprintf(stderr, "%s", app.help().c_str());
  return kExitUsage;
}

}  // namespace confidant::cli

int main(int argc, char** argv) {
  confidant::client::ClearProxyExceptions();  // before any thread runs
  try {
    return confidant::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    confidant::cli::PrintError(e.what());
    return 1;
  }
}
