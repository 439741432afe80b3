// The trust person's report to an organisation over any period: counts per
// subject (category), quarter, kind of support, outcome and reporter role;
// whistleblower reports and the share of their legal deadlines met; the
// median days to a first response; an optional text the trust person
// writes. Nothing in it names anyone: no free text from cases, no case
// numbers, no date finer than a quarter, and every small count hidden with
// secondary suppression (client/app/report_suppression.h, docs/report.md).
// Pure and UI-free: the caller gathers the cases, this builds the figures,
// report_csv.h and report_pdf.h write them. Thread-compatible.
#ifndef CONFIDANT_CLIENT_APP_REPORT_H_
#define CONFIDANT_CLIENT_APP_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "client/app/report_suppression.h"
#include "client/app/report_text.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

// One case of the trust person, already filtered to the organisation.
struct ReportCase {
  absl::CivilDay registered;  // day of registration, trust person's zone
  std::vector<std::string> categories;  // category keys (several possible)
  v1::CaseFile::ReporterRole role = v1::CaseFile::ROLE_UNSPECIFIED;
  std::vector<v1::CaseFile::Support> support;  // several possible
  v1::CaseFile::Outcome outcome = v1::CaseFile::OUTCOME_UNSPECIFIED;  // open
  bool whistleblower = false;                 // a report under the Wbk
  std::optional<bool> acknowledgement_met;    // nullopt = not yet due
  std::optional<bool> feedback_met;           // nullopt = not yet due
  std::optional<int> days_to_first_response;  // nullopt = no response yet
  uint32_t conversations = 0;
  uint32_t minutes = 0;
};

// The longest trends text, in bytes of UTF-8.
inline constexpr size_t kMaxTrendsBytes = 32 * 1024;
// The longest period a report covers, in days (ten years).
inline constexpr int kMaxReportDays = 3653;

struct ReportOptions {
  absl::CivilDay from, to;  // inclusive period; cases registered in it
  int k = 5;                // threshold; < 2 is INVALID_ARGUMENT
  std::string organisation_name;
  std::string trust_person_name;
  std::string trends;  // optional free text for the report (UTF-8)
  std::vector<v1::Category> categories;  // for names (name_nl / name_en)
  using Language = ReportLanguage;
  Language language = Language::kDutch;
};

// One row of a one-dimensional table.
struct ReportRow {
  std::string key;    // stable: category key, enum name, "2026-Q1", ...
  std::string label;  // in the report's language
  Cell count;
};

// A one-dimensional table. Multi-valued tables (subjects, support: a case
// counts in several rows) have no total; partition tables (quarters,
// outcomes, roles, deadlines: each in exactly one row) add up to `total`.
struct ReportTable {
  std::string section;  // the CSV section name: "category", "quarter", ...
  std::string title;
  std::string note;  // optional, shown under the title
  std::vector<ReportRow> rows;
  std::optional<Cell> total;
  // True if no protection of the rows exists (docs/report.md): none of the
  // rows is published, only the total.
  bool withheld = false;
};

// Subjects by quarter, published only when every cell is at least k.
struct CrossTable {
  std::string section;
  std::string title;
  std::vector<std::string> row_keys, row_labels;        // subjects
  std::vector<std::string> column_keys, column_labels;  // quarters
  std::vector<std::vector<int64_t>> values;             // [row][column]
};

struct Report {
  std::string organisation_name;
  std::string trust_person_name;
  absl::CivilDay from, to;
  int k = 5;
  ReportLanguage language = ReportLanguage::kDutch;
  std::string trends;

  Cell cases;  // registered in the period
  // Sums over the cases; nullopt (not published) while `cases` is below k.
  std::optional<int64_t> conversations;
  std::optional<int64_t> minutes;
  // The whistleblower row of `support`, the same figure shown the same way.
  Cell whistleblower_reports;

  ReportTable categories;  // multi-valued, the trust person's list first
  ReportTable quarters;    // partition of `cases`
  ReportTable support;     // multi-valued
  ReportTable outcomes;    // partition of `cases`
  ReportTable roles;       // partition of `cases`
  // Met and missed, a partition of the deadlines due (acknowledgement and
  // feedback together, at most two per report); nullopt while
  // `whistleblower_reports` is suppressed.
  std::optional<ReportTable> deadlines;
  // The share of due deadlines met in whole percent, rounded down; a lower
  // bound when the met and missed counts are suppressed; nullopt if not
  // published.
  std::optional<int> deadline_share_percent;
  bool deadline_share_is_lower_bound = false;
  // nullopt (not published) when fewer than k cases have a first response.
  std::optional<double> median_days_to_first_response;
  std::optional<CrossTable> category_by_quarter;
};

// The report of `cases` registered in [options.from, options.to].
// INVALID_ARGUMENT, and nothing built, for a period that ends before it
// starts or is longer than kMaxReportDays, k < 2, an empty organisation or
// trust person name, text that is not UTF-8 or a trends text longer than
// kMaxTrendsBytes, or a negative days_to_first_response. Unknown enum values
// count as "other" (roles, outcomes) or are left out (support).
absl::StatusOr<Report> BuildReport(const std::vector<ReportCase>& cases,
                                   const ReportOptions& options);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_REPORT_H_
