// A trust person's registration of cases: the human case number, status,
// categories, reporter role, kind of support, referrals, outcome, number of
// conversations, time spent and private notes. All of it stays in the trust
// person's profile; none of it is ever sent.
//
// Storage (docs/profile.md):
//   kCaseFile  case id -> CaseFile (proto/confidant/client/v1/message.proto)
//   kMeta "casework.categories"   CategoryList (the defaults until changed)
//   kMeta "casework.next.<year>"  the next case number of that year (u32)
//   kMeta "casework.settings"     CaseworkSettings
//
// Policy, in one place (client/case_policy.h): only a trust person keeps
// case files (PERMISSION_DENIED otherwise), only for a case that exists
// (NOT_FOUND). A case is a whistleblower report exactly while its support
// holds WHISTLEBLOWER_REPORT; it then has the deadlines of deadlines.h.
#ifndef CONFIDANT_CLIENT_APP_CASEWORK_H_
#define CONFIDANT_CLIENT_APP_CASEWORK_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/app/deadlines.h"
#include "client/app/report.h"
#include "client/messenger.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

// The longest private note, in bytes of UTF-8.
inline constexpr size_t kMaxNoteBytes = 16 * 1024;
// The longest reason for an extension, in bytes of UTF-8.
inline constexpr size_t kMaxReasonBytes = 1000;
inline constexpr uint32_t kDefaultWarningDays = 3;
inline constexpr uint32_t kDefaultRetentionReminderDays = 14;

// The acknowledgement of receipt a trust person sends unless edited.
std::string DefaultAcknowledgementNl();
std::string DefaultAcknowledgementEn();

// What Dutch trust persons report on, in Dutch and English: the list a new
// profile starts with.
std::vector<v1::Category> DefaultCategories();

// The cases of one organisation as the report counts them.
struct ReportCases {
  std::vector<ReportCase> cases;
  // Case files with no organisation, left out (the trust person serves
  // several organisations and did not choose one for them).
  int without_organisation = 0;
};

// A change to a case file; unset fields stay as they are.
struct CaseFileUpdate {
  std::optional<v1::CaseFile::Status> status;
  std::optional<std::string> organisation_id;
  std::optional<std::vector<std::string>> categories;  // keys
  std::optional<v1::CaseFile::ReporterRole> reporter_role;
  std::optional<std::vector<v1::CaseFile::Support>> support;
  std::optional<std::vector<v1::CaseFile::Referral>> referrals;
  std::optional<v1::CaseFile::Outcome> outcome;
  std::optional<uint32_t> conversations;
  // Added to the time spent (may be negative to correct; never below 0).
  std::optional<int32_t> add_minutes;
};

// The case files of one trust person's profile. Thread-safe.
class CaseFiles {
 public:
  // `time_zone` decides the year of a case number (Europe/Amsterdam by
  // default in the app).
  CaseFiles(ProfileStore& profile, Messenger& messenger, AccountKind kind,
            absl::TimeZone time_zone);

  // The file of `case_id`; registered with the next case number of the
  // year at `now` if it has none yet (status NEW).
  absl::StatusOr<v1::CaseFile> Get(std::string_view case_id, absl::Time now);
  // Applies `update`. INVALID_ARGUMENT for an unknown category key or
  // enum value, or an organisation id that is not 16 hex digits (nothing
  // changed). Closing records the time; reopening clears it.
  absl::StatusOr<v1::CaseFile> Update(std::string_view case_id,
                                      const CaseFileUpdate& update,
                                      absl::Time now);
  // Adds a private note (UTF-8, 1..kMaxNoteBytes).
  absl::StatusOr<v1::CaseFile> AddNote(std::string_view case_id,
                                       std::string_view text, absl::Time now);

  // The trust person's categories, and the list replaced (keys unique,
  // lowercase a-z, 0-9 and '-', names non-empty; a key in use by a case
  // file cannot be removed: FAILED_PRECONDITION).
  absl::StatusOr<std::vector<v1::Category>> Categories();
  absl::Status SetCategories(const std::vector<v1::Category>& categories);

  // The trust person's settings, with the defaults filled in, and replaced
  // (warning days at most 60; retention 0 (off) or 30..3650 days; reminder
  // 1..60 days; acknowledgement texts UTF-8, at most 8192 bytes each, empty
  // for the default).
  absl::StatusOr<v1::CaseworkSettings> Settings();
  absl::Status SaveSettings(const v1::CaseworkSettings& settings);
  // The text of the acknowledgement of receipt: Dutch, then English.
  absl::StatusOr<std::string> AcknowledgementText();

  // The acknowledgement of receipt was sent (recorded for a whistleblower
  // report; the first one counts).
  absl::StatusOr<v1::CaseFile> RecordAcknowledgement(std::string_view case_id,
                                                     absl::Time now);
  // Feedback was given to the reporter of a whistleblower report.
  // FAILED_PRECONDITION if the case is no whistleblower report or feedback
  // was recorded before.
  absl::StatusOr<v1::CaseFile> RecordFeedback(std::string_view case_id,
                                              absl::Time now);
  // Extends the feedback deadline by 3 months, with `reason` (UTF-8,
  // 1..kMaxReasonBytes). FAILED_PRECONDITION if the case is no whistleblower
  // report, was extended before, or feedback was given.
  absl::StatusOr<v1::CaseFile> ExtendDeadline(std::string_view case_id,
                                              std::string_view reason,
                                              absl::Time now);
  // The deadlines of a whistleblower report; FAILED_PRECONDITION otherwise.
  absl::StatusOr<WbkDeadlines> Deadlines(std::string_view case_id,
                                         absl::Time now);
  // The case was handed over (its record says so): the file is closed and
  // marked so.
  absl::StatusOr<v1::CaseFile> MarkHandedOver(std::string_view case_id,
                                              absl::Time now);

  // Every open deadline and purge reminder across all cases, soonest first:
  // each with its state at `now` (warnings from Settings().warning_days,
  // purge reminders from retention_reminder_days before).
  absl::StatusOr<std::vector<DueItem>> Due(absl::Time now);

  // The cases of `organisation_id` as the report and the invoice count
  // them; case files without an organisation count too when
  // `only_organisation` (the trust person serves just this one).
  absl::StatusOr<ReportCases> ForReport(std::string_view organisation_id,
                                        bool only_organisation, absl::Time now);

  // Removes a closed case and all of it (messages, file, notes) in one
  // batch. FAILED_PRECONDITION "only a closed case can be purged".
  absl::Status Purge(std::string_view case_id);
  // Purges the closed cases whose retention period ended; how many.
  absl::StatusOr<int> PurgeExpired(absl::Time now);

 private:
  // The case, if a trust person's and it exists.
  absl::StatusOr<CaseSummary> Allowed(std::string_view case_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<v1::CaseFile> GetLocked(std::string_view case_id,
                                         absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // GetLocked() of a case whose summary the caller read already.
  absl::StatusOr<v1::CaseFile> FileOfLocked(const CaseSummary& summary,
                                            absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<v1::Category>> CategoriesLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<v1::CaseworkSettings> SettingsLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Loads the file, lets `change` edit it (an error leaves it as it was)
  // and stores it.
  absl::StatusOr<v1::CaseFile> Change(
      std::string_view case_id, absl::Time now,
      const std::function<absl::Status(v1::CaseFile&)>& change)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status PurgeLocked(std::string_view case_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ProfileStore& profile_;
  Messenger& messenger_;
  const AccountKind kind_;
  const absl::TimeZone time_zone_;
  absl::Mutex mu_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_CASEWORK_H_
