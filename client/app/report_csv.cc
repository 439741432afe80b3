#include "client/app/report_csv.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/app/report.h"
#include "client/app/report_text.h"

namespace confidant::client {
namespace {

std::string IsoDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

// A count as CSV: digits without grouping, "<k" or ">=k".
std::string CsvCell(const Cell& cell, int k) {
  switch (cell.disclosure) {
    case Disclosure::kShown:
      return absl::StrCat(cell.value);
    case Disclosure::kBelowK:
      return absl::StrCat("<", k);
    case Disclosure::kProtective:
      return absl::StrCat(">=", k);
  }
  return "";
}

void AppendTable(std::string& out, const ReportTable& table, int k,
                 ReportLanguage lang) {
  if (table.withheld) {
    AppendCsvRecord(
        out, {table.section, "withheld", Label(Text::kWithheld, lang), ""});
  } else {
    for (const ReportRow& row : table.rows) {
      AppendCsvRecord(
          out, {table.section, row.key, row.label, CsvCell(row.count, k)});
    }
  }
  if (table.total) {
    AppendCsvRecord(out, {table.section, "total", Label(Text::kTotal, lang),
                          CsvCell(*table.total, k)});
  }
}

}  // namespace

void AppendCsvRecord(std::string& out,
                     std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) out.push_back(',');
    first = false;
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
      out.append(field);
      continue;
    }
    out.push_back('"');
    for (char c : field) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.append("\r\n");
}

std::string ReportToCsv(const Report& report) {
  const ReportLanguage lang = report.language;
  const int k = report.k;
  std::string out;
  AppendCsvRecord(out, {"section", "key", "label", "value"});
  AppendCsvRecord(out,
                  {"report", "organisation", Label(Text::kOrganisation, lang),
                   report.organisation_name});
  AppendCsvRecord(out,
                  {"report", "trust_person", Label(Text::kTrustPerson, lang),
                   report.trust_person_name});
  AppendCsvRecord(out, {"report", "period_from", Label(Text::kPeriod, lang),
                        IsoDay(report.from)});
  AppendCsvRecord(out, {"report", "period_to", Label(Text::kPeriod, lang),
                        IsoDay(report.to)});
  AppendCsvRecord(out, {"report", "threshold", Label(Text::kThreshold, lang),
                        absl::StrCat(k)});
  AppendCsvRecord(out, {"report", "language", Label(Text::kLanguage, lang),
                        lang == ReportLanguage::kDutch ? "nl" : "en"});

  AppendCsvRecord(out, {"figures", "cases", Label(Text::kCases, lang),
                        CsvCell(report.cases, k)});
  AppendCsvRecord(
      out, {"figures", "conversations", Label(Text::kConversations, lang),
            report.conversations ? absl::StrCat(*report.conversations) : ""});
  AppendCsvRecord(
      out, {"figures", "hours", Label(Text::kHoursSpent, lang),
            report.minutes ? HundredthsText((*report.minutes * 100 + 30) / 60,
                                            ReportLanguage::kEnglish)
                           : ""});
  AppendCsvRecord(out, {"figures", "whistleblower_reports",
                        Label(Text::kWhistleblowerReports, lang),
                        CsvCell(report.whistleblower_reports, k)});
  AppendCsvRecord(out, {"figures", "median_days_to_first_response",
                        Label(Text::kMedianFirstResponse, lang),
                        report.median_days_to_first_response
                            ? DecimalText(*report.median_days_to_first_response,
                                          ReportLanguage::kEnglish)
                            : ""});

  AppendTable(out, report.categories, k, lang);
  AppendTable(out, report.quarters, k, lang);
  AppendTable(out, report.support, k, lang);
  AppendTable(out, report.outcomes, k, lang);
  AppendTable(out, report.roles, k, lang);
  if (report.deadlines) {
    AppendTable(out, *report.deadlines, k, lang);
    std::string share;
    if (report.deadline_share_percent) {
      share = absl::StrCat(report.deadline_share_is_lower_bound ? ">=" : "",
                           *report.deadline_share_percent, "%");
    }
    AppendCsvRecord(out, {"deadlines", "share_met",
                          Label(Text::kDeadlineShare, lang), share});
  }
  if (report.category_by_quarter) {
    const CrossTable& cross = *report.category_by_quarter;
    for (size_t r = 0; r < cross.row_keys.size(); ++r) {
      for (size_t c = 0; c < cross.column_keys.size(); ++c) {
        AppendCsvRecord(
            out,
            {cross.section,
             absl::StrCat(cross.row_keys[r], "/", cross.column_keys[c]),
             absl::StrCat(cross.row_labels[r], " / ", cross.column_labels[c]),
             absl::StrCat(cross.values[r][c])});
      }
    }
  }
  if (!report.trends.empty()) {
    AppendCsvRecord(
        out, {"trends", "text", Label(Text::kTrends, lang), report.trends});
  }
  return out;
}

}  // namespace confidant::client
