#include "client/app/report_pdf.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/app/pdf_document.h"
#include "client/app/report.h"
#include "client/app/report_text.h"

namespace confidant::client {
namespace {

std::string L(Text text, ReportLanguage lang) {
  return std::string(Label(text, lang));
}

std::string PeriodText(const Report& r) {
  return absl::StrCat(DayText(r.from, r.language), " – ",
                      DayText(r.to, r.language));
}

void OneDimensional(PdfDocument& doc, const ReportTable& table, int k,
                    ReportLanguage lang) {
  const std::vector<PdfDocument::Column> columns = {
      {"", 3, false}, {L(Text::kCount, lang), 1, true}};
  std::vector<std::vector<std::string>> rows;
  if (!table.withheld) {
    for (const ReportRow& row : table.rows) {
      rows.push_back({row.label, CellText(row.count, k, lang)});
    }
  }
  if (table.total) {
    rows.push_back({L(Text::kTotal, lang), CellText(*table.total, k, lang)});
  }
  const std::string note =
      table.withheld ? L(Text::kWithheld, lang) : table.note;
  // A table of a page or less stays on one page with its heading.
  doc.Heading(table.title, doc.TableHeight(columns, rows) +
                               (note.empty() ? 0 : doc.NoteHeight(note)));
  if (!note.empty()) doc.Note(note);
  doc.Table(columns, rows, table.total.has_value());
}

std::vector<std::pair<std::string, std::string>> KeyFigures(const Report& r) {
  const ReportLanguage lang = r.language;
  const std::string not_published = L(Text::kNotPublished, lang);
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back(L(Text::kCases, lang), CellText(r.cases, r.k, lang));
  out.emplace_back(
      L(Text::kConversations, lang),
      r.conversations ? CountText(*r.conversations, lang) : not_published);
  out.emplace_back(L(Text::kHoursSpent, lang),
                   r.minutes
                       ? HundredthsText((*r.minutes * 100 + 30) / 60, lang)
                       : not_published);
  out.emplace_back(L(Text::kWhistleblowerReports, lang),
                   CellText(r.whistleblower_reports, r.k, lang));
  out.emplace_back(
      L(Text::kMedianFirstResponse, lang),
      r.median_days_to_first_response
          ? absl::StrCat(DecimalText(*r.median_days_to_first_response, lang),
                         " ", L(Text::kDays, lang))
          : not_published);
  return out;
}

void Deadlines(PdfDocument& doc, const Report& r) {
  const ReportLanguage lang = r.language;
  const ReportTable& t = *r.deadlines;
  doc.Heading(t.title, 150);
  doc.Note(t.note);
  std::vector<std::vector<std::string>> rows;
  if (t.withheld) {
    doc.Note(L(Text::kWithheld, lang));
  } else {
    for (const ReportRow& row : t.rows) {
      rows.push_back({row.label, CellText(row.count, r.k, lang)});
    }
  }
  rows.push_back({L(Text::kDeadlinesDue, lang), CellText(*t.total, r.k, lang)});
  doc.Table({{"", 3, false}, {L(Text::kCount, lang), 1, true}}, rows, true);
  std::string share = L(Text::kNotPublished, lang);
  if (r.deadline_share_percent) {
    share = absl::StrCat(
        r.deadline_share_is_lower_bound ? L(Text::kAtLeast, lang) + " " : "",
        *r.deadline_share_percent, "%");
  }
  doc.Pairs({{L(Text::kDeadlineShare, lang), share}}, 0.75);
}

void Cross(PdfDocument& doc, const CrossTable& cross, ReportLanguage lang) {
  std::vector<PdfDocument::Column> columns = {{"", 2.2, false}};
  for (const std::string& label : cross.column_labels) {
    columns.push_back({label, 1, true});
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t r = 0; r < cross.row_labels.size(); ++r) {
    std::vector<std::string> row = {cross.row_labels[r]};
    for (int64_t v : cross.values[r]) row.push_back(CountText(v, lang));
    rows.push_back(std::move(row));
  }
  doc.Heading(cross.title, doc.TableHeight(columns, rows));
  doc.Table(columns, rows);
}

}  // namespace

absl::StatusOr<std::string> ReportToPdf(const Report& r, PdfPreview* preview) {
  const ReportLanguage lang = r.language;
  const std::string title = L(Text::kReportTitle, lang);
  absl::StatusOr<std::unique_ptr<PdfDocument>> created = PdfDocument::Create(
      absl::StrCat(title, " — ", r.organisation_name),
      {absl::StrCat(r.organisation_name, " · ", PeriodText(r)),
       L(Text::kPage, lang), L(Text::kPageOf, lang)});
  if (!created.ok()) return created.status();
  PdfDocument& doc = **created;

  doc.Title(title);
  doc.Pairs({{L(Text::kOrganisation, lang), r.organisation_name},
             {L(Text::kPeriod, lang), PeriodText(r)},
             {L(Text::kTrustPerson, lang), r.trust_person_name}},
            0.3);
  doc.Space(6);
  doc.Paragraph(L(Text::kIntro, lang));
  doc.Heading(L(Text::kLegendTitle, lang));
  const std::string k = absl::StrCat(r.k);
  doc.Pairs(
      {{absl::StrCat("<", k),
        absl::StrReplaceAll(L(Text::kLegendBelowK, lang), {{"{k}", k}})},
       {absl::StrCat("≥", k),
        absl::StrReplaceAll(L(Text::kLegendProtective, lang), {{"{k}", k}})}},
      0.12);

  doc.Heading(L(Text::kKeyFigures, lang));
  doc.Pairs(KeyFigures(r), 0.68);

  doc.Heading(L(Text::kChartTitle, lang),
              20.0 * static_cast<double>(r.categories.rows.size()));
  if (r.categories.rows.empty()) {
    doc.Note(L(Text::kNoCategory, lang));
  } else {
    std::vector<PdfDocument::Bar> bars;
    for (const ReportRow& row : r.categories.rows) {
      std::optional<double> value;
      if (!row.count.suppressed()) value = static_cast<double>(row.count.value);
      bars.push_back({row.label, CellText(row.count, r.k, lang), value});
    }
    doc.BarChart(bars);
    doc.Note(L(Text::kCategoriesNote, lang));
  }

  ReportTable categories = r.categories;
  categories.note.clear();  // said under the chart
  OneDimensional(doc, categories, r.k, lang);
  OneDimensional(doc, r.quarters, r.k, lang);
  OneDimensional(doc, r.support, r.k, lang);
  OneDimensional(doc, r.outcomes, r.k, lang);
  OneDimensional(doc, r.roles, r.k, lang);
  if (r.deadlines) Deadlines(doc, r);
  if (r.category_by_quarter) Cross(doc, *r.category_by_quarter, lang);

  if (!r.trends.empty()) {
    doc.Heading(L(Text::kTrends, lang));
    doc.Paragraph(r.trends);
  }

  return doc.Finish(preview);
}

}  // namespace confidant::client
