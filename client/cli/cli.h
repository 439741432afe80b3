// The `confidant` command-line client: argument parsing and printing over
// the app layer (client/app/app.h). One file per command group; this header
// is what they share. See docs/cli.md.
#ifndef CONFIDANT_CLIENT_CLI_CLI_H_
#define CONFIDANT_CLIENT_CLI_CLI_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/app/app.h"
#include "crypto/secret.h"

namespace confidant::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr char kDefaultOpening[] = "Nieuwe melding / New case";

// What the command line asked for.
struct Request {
  std::string profile;
  std::string relay;
  std::string tls_ca;
  std::string proxy;
  std::string passphrase_file;
  bool insecure = false;
  bool json = false;
  bool relay_given = false;
  bool tls_ca_given = false;
  bool proxy_given = false;

  std::string invite;
  std::string name;
  std::string kind = "internal";
  std::string languages = "nl";
  std::string intro;
  std::string access_code;
  std::string relay_key;
  std::string to;
  std::optional<std::string> message;
  std::string case_id;
  std::string number;
  std::string text;
  bool follow = false;
  double timeout_seconds = 0;
  std::string new_passphrase_file;
  uint32_t argon2_memory_mib = 0;  // 0: keep
  uint32_t argon2_passes = 0;      // 0: keep
  std::string time_zone = "Europe/Amsterdam";

  // Case work (casework_commands.cc, case_event_commands.cc).
  std::string value;  // the positional word of `case status` and the like
  std::string org;
  std::string role;
  std::string support;   // comma-separated
  std::string referral;  // comma-separated
  std::string outcome;
  std::optional<uint32_t> conversations;
  std::optional<int32_t> minutes;
  std::string reason;
  std::string note;
  std::vector<std::string> slots;
  std::string proposal;
  std::string handover;
  std::string forward = "none";  // all, none, or comma-separated ids
  uint32_t slot = 0;
  bool other_times = false;
  std::string ics;
  std::string summary = "Gesprek (Confidant) / Conversation";
  bool all = false;
  bool yes = false;
  std::optional<uint32_t> warning_days;
  std::optional<uint32_t> retention_days;
  std::optional<uint32_t> reminder_days;
  std::string acknowledgement_nl_file;
  std::string acknowledgement_en_file;
  // Invoicing details (casework-settings).
  std::optional<std::string> invoice_name;
  std::optional<std::string> invoice_practice;
  std::vector<std::string> invoice_address;
  std::optional<std::string> kvk;
  std::optional<std::string> vat_number;
  std::optional<std::string> iban;
  std::optional<std::string> invoice_email;
  std::optional<std::string> default_rate;
  std::optional<double> vat_percent;
  std::optional<int32_t> payment_days;

  // report, invoice (report_commands.cc).
  std::string from;
  std::string out;
  std::string format = "pdf";
  std::string language = "nl";
  int k = 5;
  std::string trends_file;
  std::string rate;
};

// Words for case-work values, both ways (casework_names.cc).
std::string Name(client::v1::CaseFile::Status v);
std::string Name(client::v1::CaseFile::ReporterRole v);
std::string Name(client::v1::CaseFile::Support v);
std::string Name(client::v1::CaseFile::Referral v);
std::string Name(client::v1::CaseFile::Outcome v);
std::string Name(client::v1::CaseEvent::SharedStatus v);
std::string Name(client::v1::CaseEvent::HandoverReason v);
std::string Name(client::v1::CaseEvent::Mode v);
absl::StatusOr<client::v1::CaseFile::Status> ParseStatus(std::string_view w);
absl::StatusOr<client::v1::CaseFile::ReporterRole> ParseRole(
    std::string_view w);
absl::StatusOr<client::v1::CaseFile::Support> ParseSupport(std::string_view w);
absl::StatusOr<client::v1::CaseFile::Referral> ParseReferral(
    std::string_view w);
absl::StatusOr<client::v1::CaseFile::Outcome> ParseOutcome(std::string_view w);
absl::StatusOr<client::v1::CaseEvent::SharedStatus> ParseShared(
    std::string_view w);
absl::StatusOr<client::v1::CaseEvent::HandoverReason> ParseReason(
    std::string_view w);
absl::StatusOr<client::v1::CaseEvent::Mode> ParseMode(std::string_view w);
// "in behandeling / in progress".
std::string SharedText(client::v1::CaseEvent::SharedStatus v);

// Commands; each returns the process's exit code.
int Enroll(const Request& req);                     // account_commands.cc
int Join(const Request& req);                       // account_commands.cc
int WhoAmI(const Request& req);                     // account_commands.cc
int Passphrase(const Request& req);                 // account_commands.cc
int TrustPersons(const Request& req);               // case_commands.cc
int Open(const Request& req);                       // case_commands.cc
int Send(const Request& req);                       // case_commands.cc
int Cases(const Request& req);                      // case_commands.cc
int Read(const Request& req);                       // case_commands.cc
int Sync(const Request& req);                       // sync_command.cc
int SafetyNumber(const Request& req, bool verify);  // safety_commands.cc
// `confidant case SUB` (casework_commands.cc, case_event_commands.cc).
int CaseShow(const Request& req);
int CaseStatus(const Request& req);
int CaseCategory(const Request& req);
int CaseSet(const Request& req);
int CaseNote(const Request& req);
int CaseTime(const Request& req);
int CaseFeedback(const Request& req);
int CaseExtend(const Request& req);
int CasePurge(const Request& req);
int Due(const Request& req);
int CaseworkSettings(const Request& req);
int CaseShareStatus(const Request& req);
int CaseAck(const Request& req);
int CaseProposeAppointment(const Request& req);
int CaseAnswerAppointment(const Request& req);
int CaseAppointment(const Request& req);
int CaseHandover(const Request& req);
int CaseAnswerHandover(const Request& req, bool consent);
int CaseBlock(const Request& req, bool block);
int Report(const Request& req);   // report_commands.cc
int Invoice(const Request& req);  // report_commands.cc

// The app (open_app.cc).
std::string ProfileDir(const Request& req);
client::AppOptions AppOptionsFor(const Request& req);
client::ConnectionSettings SettingsFor(const Request& req);
// Opens the profile with the passphrase from GetPassphrase().
absl::StatusOr<std::unique_ptr<client::App>> OpenApp(const Request& req);
// The case with `hex_id`, or NOT_FOUND "unknown case ...".
absl::StatusOr<client::CaseSummary> FindCase(client::App& app,
                                             const std::string& hex_id);
// What enroll and join say about the relay key they pinned.
std::string RelayKeyText(const Request& req, const std::string& fingerprint);

// The passphrase from --passphrase-file (or `file` if given),
// CONFIDANT_PASSPHRASE or the terminal (asked twice when `confirm`)
// (passphrase.cc). The variable is wiped and removed from the environment
// once read, so child processes never see it.
absl::StatusOr<crypto::SecretBytes> GetPassphrase(const Request& req,
                                                  bool confirm);
absl::StatusOr<crypto::SecretBytes> ReadPassphraseFile(const std::string& path);
absl::StatusOr<crypto::SecretBytes> Prompt(const char* question);
void StripNewline(std::string& s);

// Output (output.cc).
void Print(const std::string& text);
void PrintError(const std::string& message);
// Prints the status's message for the user; returns kExitFailure.
int Fail(const absl::Status& status);
std::string Hex(std::string_view bytes);
std::optional<std::string> Unhex(std::string_view hex);
std::string JsonString(std::string_view s);
std::string JsonArray(const std::vector<std::string>& items);
std::string JsonStrings(const std::vector<std::string>& items);
std::string TimeText(absl::Time t);
std::string KindName(client::AccountKind kind);
std::string AffiliationName(client::Affiliation a);
std::string DirectionName(client::Direction d);
std::string DeliveryName(client::DeliveryState d);
std::string StatusName(client::CaseStatus s);
std::string MessageJson(const std::string& case_id,
                        const client::CaseMessage& m);
std::string MessageText(const client::CaseMessage& m,
                        absl::TimeZone zone = absl::UTCTimeZone());
// A case event in words (Dutch / English) and as JSON.
std::string EventText(const client::v1::CaseEvent& e, absl::TimeZone zone);
std::string EventJson(const client::v1::CaseEvent& e);
// A local time in `zone`: "2026-12-07 14:00 CET".
std::string LocalTimeText(absl::Time t, absl::TimeZone zone);

// Opens the app and finds --case, then returns `run(app, case_id)`; the
// exit code of the failure otherwise.
template <typename Fn>
int WithCase(const Request& req, Fn run) {
  absl::StatusOr<std::unique_ptr<client::App>> app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<client::CaseSummary> s = FindCase(**app, req.case_id);
  if (!s.ok()) return Fail(s.status());
  return run(**app, s->case_id);
}

// Builds one JSON object, members in insertion order.
class JsonObject {
 public:
  JsonObject& Str(std::string_view key, std::string_view value);
  JsonObject& Int(std::string_view key, int64_t value);
  JsonObject& Bool(std::string_view key, bool value);
  JsonObject& Raw(std::string_view key, std::string_view json);
  std::string Build() const;

 private:
  std::string body_;
};

}  // namespace confidant::cli

#endif  // CONFIDANT_CLIENT_CLI_CLI_H_
