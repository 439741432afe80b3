// An attacker's audit of a published report, for the tests: it reads only
// the report's CSV (what a reader of the report has) and, knowing the rules
// of docs/report.md, finds by exhaustive search every value each hidden
// figure can take. Written apart from client/app/report_suppression.cc on
// purpose: it shares no code with it and uses another method (enumerating
// totals and dynamic programming over reachable sums instead of interval
// arithmetic).
#ifndef CONFIDANT_TESTS_CLIENT_REPORT_AUDIT_H_
#define CONFIDANT_TESTS_CLIENT_REPORT_AUDIT_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace confidant::testing {

// One record of a CSV file.
using CsvRecord = std::vector<std::string>;

// Parses RFC 4180 CSV (CRLF or LF line ends, quoted fields with doubled
// quotes and line breaks). INVALID_ARGUMENT for an unterminated quote or a
// quote inside an unquoted field.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(const std::string& text);

// A figure of the report: (section, key).
using FigureId = std::pair<std::string, std::string>;

struct AuditResult {
  // Every value each hidden figure can take, given all that is shown.
  std::map<FigureId, std::set<int64_t>> feasible;
  // Hidden figures with exactly one feasible value (disclosed), or none
  // (the published figures contradict each other).
  std::vector<FigureId> pinned;
  std::vector<FigureId> contradictory;
};

// Audits the report CSV of ReportToCsv. INVALID_ARGUMENT if it cannot be
// read as one (a malformed value, a missing threshold).
absl::StatusOr<AuditResult> AuditReportCsv(const std::string& csv);

}  // namespace confidant::testing

#endif  // CONFIDANT_TESTS_CLIENT_REPORT_AUDIT_H_
