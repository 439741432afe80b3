#include "client/app/report.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "base/utf8.h"
#include "client/app/report_suppression.h"
#include "client/app/report_text.h"

namespace confidant::client {
namespace {

using v1::CaseFile;

constexpr CaseFile::Support kSupportRows[] = {
    CaseFile::LISTENING_AND_ADVICE, CaseFile::REFERRAL, CaseFile::MEDIATION,
    CaseFile::FORMAL_COMPLAINT_SUPPORT, CaseFile::WHISTLEBLOWER_REPORT};
constexpr CaseFile::Outcome kOutcomeRows[] = {
    CaseFile::RESOLVED,           CaseFile::REFERRED,
    CaseFile::FORMAL_COMPLAINT,   CaseFile::WITHDRAWN,
    CaseFile::NO_FURTHER_CONTACT, CaseFile::OTHER_OUTCOME,
    CaseFile::OUTCOME_UNSPECIFIED};
constexpr CaseFile::ReporterRole kRoleRows[] = {
    CaseFile::EMPLOYEE, CaseFile::MANAGER, CaseFile::HR, CaseFile::OTHER_ROLE,
    CaseFile::ROLE_UNSPECIFIED};

absl::CivilMonth QuarterStart(absl::CivilDay day) {
  return absl::CivilMonth(day.year(), (day.month() - 1) / 3 * 3 + 1);
}

absl::Status Validate(const std::vector<ReportCase>& cases,
                      const ReportOptions& options) {
  if (options.to < options.from) {
    return absl::InvalidArgumentError(
        "the report period ends before it starts");
  }
  if (options.to - options.from >= kMaxReportDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the report period is longer than ", kMaxReportDays, " days"));
  }
  if (options.k < 2) {
    return absl::InvalidArgumentError(
        "the threshold k must be at least 2 (a count of 1 names someone)");
  }
  if (options.organisation_name.empty() ||
      !base::IsValidUtf8(options.organisation_name)) {
    return absl::InvalidArgumentError(
        "the organisation name must be non-empty UTF-8");
  }
  if (options.trust_person_name.empty() ||
      !base::IsValidUtf8(options.trust_person_name)) {
    return absl::InvalidArgumentError(
        "the trust person's name must be non-empty UTF-8");
  }
  if (options.trends.size() > kMaxTrendsBytes ||
      !base::IsValidUtf8(options.trends)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the trends text must be UTF-8 of at most ",
                     kMaxTrendsBytes, " bytes"));
  }
  for (const v1::Category& category : options.categories) {
    if (!base::IsValidUtf8(category.name_nl()) ||
        !base::IsValidUtf8(category.name_en())) {
      return absl::InvalidArgumentError(absl::StrCat("category ",
                                                     category.key(),
                                                     " has a name that is "
                                                     "not UTF-8"));
    }
  }
  for (const ReportCase& c : cases) {
    if (c.days_to_first_response && *c.days_to_first_response < 0) {
      return absl::InvalidArgumentError(
          "a case's days to first response is negative");
    }
  }
  return absl::OkStatus();
}

CaseFile::ReporterRole RoleRow(CaseFile::ReporterRole role) {
  return CaseFile::ReporterRole_IsValid(role) ? role : CaseFile::OTHER_ROLE;
}

CaseFile::Outcome OutcomeRow(CaseFile::Outcome outcome) {
  return CaseFile::Outcome_IsValid(outcome) ? outcome : CaseFile::OTHER_OUTCOME;
}

bool IsWhistleblowerReport(const ReportCase& c) {
  return c.whistleblower ||
         std::find(c.support.begin(), c.support.end(),
                   CaseFile::WHISTLEBLOWER_REPORT) != c.support.end();
}

// A multi-valued table: only primary suppression. The reader knows no sum
// of its rows (a case counts in any number of them, none included), only
// that no row exceeds the number of cases, which hides nothing more.
ReportTable MultiValued(std::string section, std::string title,
                        std::string note,
                        std::vector<std::pair<std::string, std::string>> rows,
                        const std::vector<int64_t>& counts, int k) {
  ReportTable table{std::move(section), std::move(title),
                    std::move(note),    {},
                    std::nullopt,       false};
  for (size_t i = 0; i < rows.size(); ++i) {
    table.rows.push_back({std::move(rows[i].first), std::move(rows[i].second),
                          PrimaryCell(counts[i], k)});
  }
  return table;
}

// A partition table of `total`, protected; withheld if it cannot be.
ReportTable Partition(std::string section, std::string title,
                      std::vector<std::pair<std::string, std::string>> rows,
                      const std::vector<int64_t>& counts, int64_t total,
                      int64_t total_upper_bound, int k) {
  PartitionTable cells;
  for (int64_t count : counts) cells.cells.push_back({count});
  cells.total = {total};
  cells.total_upper_bound = total_upper_bound;
  const bool protectable = ProtectPartition(cells, k);
  ReportTable table{std::move(section), std::move(title), "", {},
                    cells.total,        !protectable};
  for (size_t i = 0; i < rows.size(); ++i) {
    table.rows.push_back(
        {std::move(rows[i].first), std::move(rows[i].second), cells.cells[i]});
  }
  return table;
}

std::optional<double> Median(std::vector<int> values, int k) {
  if (values.size() < static_cast<size_t>(k)) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (n % 2 == 1) return values[n / 2];
  return (static_cast<double>(values[n / 2 - 1]) + values[n / 2]) / 2;
}

}  // namespace

absl::StatusOr<Report> BuildReport(const std::vector<ReportCase>& all_cases,
                                   const ReportOptions& options) {
  if (absl::Status s = Validate(all_cases, options); !s.ok()) return s;
  const int k = options.k;
  const ReportLanguage lang = options.language;

  // The subjects: the trust person's list in its order, then keys a case
  // has that the list lacks (sorted), each once.
  std::vector<std::pair<std::string, std::string>> category_rows;
  absl::flat_hash_map<std::string, size_t> category_index;
  for (const v1::Category& category : options.categories) {
    if (category_index.contains(category.key())) continue;
    category_index[category.key()] = category_rows.size();
    const std::string& name = lang == ReportLanguage::kDutch
                                  ? category.name_nl()
                                  : category.name_en();
    category_rows.emplace_back(category.key(),
                               name.empty() ? category.key() : name);
  }
  std::vector<const ReportCase*> cases;
  std::set<std::string> unlisted;
  for (const ReportCase& c : all_cases) {
    if (c.registered < options.from || options.to < c.registered) continue;
    cases.push_back(&c);
    for (const std::string& key : c.categories) {
      if (!category_index.contains(key) && base::IsValidUtf8(key)) {
        unlisted.insert(key);
      }
    }
  }
  for (const std::string& key : unlisted) {
    category_index[key] = category_rows.size();
    category_rows.emplace_back(key, key);
  }

  // The quarters the period touches.
  std::vector<absl::CivilMonth> quarters;
  for (absl::CivilMonth q = QuarterStart(options.from);
       q <= QuarterStart(options.to); q += 3) {
    quarters.push_back(q);
  }
  auto quarter_index = [&](absl::CivilDay day) {
    const absl::CivilMonth q = QuarterStart(day);
    return static_cast<size_t>((q - quarters.front()) / 3);
  };

  std::vector<int64_t> by_category(category_rows.size());
  std::vector<std::vector<int64_t>> category_quarter(
      category_rows.size(), std::vector<int64_t>(quarters.size()));
  std::vector<int64_t> by_quarter(quarters.size());
  std::vector<int64_t> by_support(std::size(kSupportRows));
  std::map<int, int64_t> by_outcome, by_role;
  int64_t conversations = 0, minutes = 0, deadlines_due = 0, deadlines_met = 0;
  std::vector<int> response_days;
  for (const ReportCase* c : cases) {
    const size_t q = quarter_index(c->registered);
    ++by_quarter[q];
    std::set<size_t> seen_categories;
    for (const std::string& key : c->categories) {
      auto it = category_index.find(key);
      if (it == category_index.end()) continue;  // not UTF-8: left out
      if (!seen_categories.insert(it->second).second) continue;
      ++by_category[it->second];
      ++category_quarter[it->second][q];
    }
    for (size_t i = 0; i < std::size(kSupportRows); ++i) {
      const bool has = kSupportRows[i] == CaseFile::WHISTLEBLOWER_REPORT
                           ? IsWhistleblowerReport(*c)
                           : std::find(c->support.begin(), c->support.end(),
                                       kSupportRows[i]) != c->support.end();
      if (has) ++by_support[i];
    }
    ++by_outcome[OutcomeRow(c->outcome)];
    ++by_role[RoleRow(c->role)];
    for (const std::optional<bool>& met :
         {c->acknowledgement_met, c->feedback_met}) {
      if (!met) continue;
      ++deadlines_due;
      if (*met) ++deadlines_met;
    }
    if (c->days_to_first_response) {
      response_days.push_back(*c->days_to_first_response);
    }
    conversations += c->conversations;
    minutes += c->minutes;
  }
  const int64_t total = static_cast<int64_t>(cases.size());

  Report report;
  report.organisation_name = options.organisation_name;
  report.trust_person_name = options.trust_person_name;
  report.from = options.from;
  report.to = options.to;
  report.k = k;
  report.language = lang;
  report.trends = options.trends;
  report.cases = PrimaryCell(total, k);
  if (!report.cases.suppressed()) {
    report.conversations = conversations;
    report.minutes = minutes;
  }

  report.categories =
      MultiValued("category", std::string(Label(Text::kCategories, lang)),
                  std::string(Label(Text::kCategoriesNote, lang)),
                  category_rows, by_category, k);

  std::vector<std::pair<std::string, std::string>> rows;
  for (absl::CivilMonth q : quarters) {
    rows.emplace_back(QuarterKey(q), QuarterText(q, lang));
  }
  report.quarters =
      Partition("quarter", std::string(Label(Text::kQuarters, lang)),
                std::move(rows), by_quarter, total, kUnbounded, k);

  rows.clear();
  for (CaseFile::Support s : kSupportRows) {
    rows.emplace_back(CaseFile::Support_Name(s),
                      std::string(SupportLabel(s, lang)));
  }
  report.support =
      MultiValued("support", std::string(Label(Text::kSupport, lang)),
                  std::string(Label(Text::kSupportNote, lang)), std::move(rows),
                  by_support, k);
  report.whistleblower_reports = report.support.rows.back().count;

  rows.clear();
  std::vector<int64_t> counts;
  for (CaseFile::Outcome o : kOutcomeRows) {
    rows.emplace_back(CaseFile::Outcome_Name(o),
                      std::string(OutcomeLabel(o, lang)));
    counts.push_back(by_outcome[o]);
  }
  report.outcomes =
      Partition("outcome", std::string(Label(Text::kOutcomes, lang)),
                std::move(rows), counts, total, kUnbounded, k);

  rows.clear();
  counts.clear();
  for (CaseFile::ReporterRole r : kRoleRows) {
    rows.emplace_back(CaseFile::ReporterRole_Name(r),
                      std::string(RoleLabel(r, lang)));
    counts.push_back(by_role[r]);
  }
  report.roles = Partition("role", std::string(Label(Text::kRoles, lang)),
                           std::move(rows), counts, total, kUnbounded, k);

  // The deadlines only beside a shown number of whistleblower reports:
  // two deadlines per report bound the deadlines due, and that bound must
  // not tell anything about a hidden number.
  if (!report.whistleblower_reports.suppressed()) {
    ReportTable deadlines = Partition(
        "deadlines", std::string(Label(Text::kDeadlines, lang)),
        {{"met", std::string(Label(Text::kDeadlinesMet, lang))},
         {"missed", std::string(Label(Text::kDeadlinesMissed, lang))}},
        {deadlines_met, deadlines_due - deadlines_met}, deadlines_due,
        2 * report.whistleblower_reports.value, k);
    deadlines.note = std::string(Label(Text::kDeadlinesNote, lang));
    const Cell due = *deadlines.total;
    if (!due.suppressed() && due.value > 0 && !deadlines.withheld) {
      const Cell& met = deadlines.rows[0].count;
      const Cell& missed = deadlines.rows[1].count;
      if (!met.suppressed() && !missed.suppressed()) {
        report.deadline_share_percent =
            static_cast<int>(met.value * 100 / due.value);
      } else if (missed.disclosure == Disclosure::kBelowK) {
        // What the reader derives anyway: met >= due - (k - 1).
        report.deadline_share_percent = static_cast<int>(
            std::max<int64_t>(0, due.value - (k - 1)) * 100 / due.value);
        report.deadline_share_is_lower_bound = true;
      }
    }
    report.deadlines = std::move(deadlines);
  }

  report.median_days_to_first_response = Median(std::move(response_days), k);

  // Subjects by quarter, only if every cell passes on its own.
  bool cross_passes = quarters.size() >= 2 && !category_rows.empty();
  for (const auto& row : category_quarter) {
    for (int64_t v : row) cross_passes = cross_passes && v >= k;
  }
  if (cross_passes) {
    CrossTable cross;
    cross.section = "category_by_quarter";
    cross.title = std::string(Label(Text::kCategoryByQuarter, lang));
    for (const auto& [key, label] : category_rows) {
      cross.row_keys.push_back(key);
      cross.row_labels.push_back(label);
    }
    for (absl::CivilMonth q : quarters) {
      cross.column_keys.push_back(QuarterKey(q));
      cross.column_labels.push_back(QuarterText(q, lang));
    }
    cross.values = std::move(category_quarter);
    report.category_by_quarter = std::move(cross);
  }
  return report;
}

}  // namespace confidant::client
