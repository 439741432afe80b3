// BuildReport (client/app/report.h) and its CSV (report_csv.h): what is
// counted where, what is hidden, and what bad input is refused.
#include "client/app/report.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "client/app/report_csv.h"
#include "client/app/report_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/report_audit.h"
#include "tests/client/report_test_data.h"

namespace confidant::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using v1::CaseFile;

// The test report with two subjects only.
ReportOptions Options() {
  ReportOptions o = TestReportOptions();
  o.categories = {MakeCategory("pesten", "Pesten", "Bullying"),
                  MakeCategory("werkdruk", "Werkdruk", "Work pressure")};
  return o;
}

ReportCase Case(int month, std::vector<std::string> categories = {"pesten"}) {
  ReportCase c;
  c.registered = absl::CivilDay(2026, month, 15);
  c.categories = std::move(categories);
  c.role = CaseFile::EMPLOYEE;
  c.outcome = CaseFile::RESOLVED;
  c.support = {CaseFile::LISTENING_AND_ADVICE};
  return c;
}

std::vector<ReportCase> Many(int n, int month) {
  std::vector<ReportCase> out;
  for (int i = 0; i < n; ++i) out.push_back(Case(month));
  return out;
}

const ReportRow& Row(const ReportTable& t, const std::string& key) {
  for (const ReportRow& r : t.rows) {
    if (r.key == key) return r;
  }
  ADD_FAILURE() << "no row " << key << " in " << t.section;
  static const ReportRow none;
  return none;
}

TEST(ReportTest, RefusesBadInputAndBuildsNothing) {
  ReportOptions o = Options();
  o.to = absl::CivilDay(2025, 12, 31);
  EXPECT_EQ(BuildReport({}, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(BuildReport({}, o).status().message()),
              HasSubstr("ends before it starts"));
  o = Options();
  o.k = 1;
  EXPECT_EQ(BuildReport({}, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = Options();
  o.organisation_name = "";
  EXPECT_EQ(BuildReport({}, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = Options();
  o.trends = "\xff\xfe";
  EXPECT_EQ(BuildReport({}, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = Options();
  o.trends = std::string(kMaxTrendsBytes + 1, 'a');
  EXPECT_EQ(BuildReport({}, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = Options();
  o.to = o.from + kMaxReportDays;
  EXPECT_EQ(BuildReport({}, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  ReportCase bad = Case(3);
  bad.days_to_first_response = -1;
  EXPECT_EQ(BuildReport({bad}, Options()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReportTest, ADayPeriodAndKOfTwoAreAccepted) {
  ReportOptions o = Options();
  o.to = o.from;
  o.k = 2;
  EXPECT_TRUE(BuildReport({}, o).ok());
}

TEST(ReportTest, CountsOnlyThePeriodPerQuarter) {
  std::vector<ReportCase> cases = Many(6, 2);
  for (const ReportCase& c : Many(7, 8)) cases.push_back(c);
  cases.push_back(Case(1));
  cases.back().registered = absl::CivilDay(2025, 12, 31);  // before
  ReportOptions o = Options();
  o.from = absl::CivilDay(2026, 2, 10);  // a partial first quarter
  o.to = absl::CivilDay(2026, 9, 30);
  const auto r = BuildReport(cases, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->cases, (Cell{13, Disclosure::kShown}));
  std::vector<std::string> keys;
  for (const ReportRow& row : r->quarters.rows) keys.push_back(row.key);
  EXPECT_THAT(keys, ElementsAre("2026-Q1", "2026-Q2", "2026-Q3"));
  EXPECT_EQ(Row(r->quarters, "2026-Q1").count.value, 6);
  EXPECT_EQ(Row(r->quarters, "2026-Q3").count.value, 7);
  // Q2 has 0 cases: hidden, and so one more; 6 is the smallest.
  EXPECT_EQ(Row(r->quarters, "2026-Q2").count.disclosure, Disclosure::kBelowK);
  EXPECT_EQ(Row(r->quarters, "2026-Q1").count.disclosure,
            Disclosure::kProtective);
  EXPECT_EQ(Row(r->quarters, "2026-Q2").label, "2e kwartaal 2026");
}

TEST(ReportTest, MultiValuedRowsCountEachCaseOnceAndHaveNoTotal) {
  std::vector<ReportCase> cases;
  for (int i = 0; i < 6; ++i) {
    cases.push_back(Case(3, {"pesten", "werkdruk", "pesten"}));
  }
  cases.push_back(Case(3, {"oud-onderwerp"}));
  const auto r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->categories.total.has_value());
  EXPECT_EQ(Row(r->categories, "pesten").count, (Cell{6, Disclosure::kShown}));
  EXPECT_EQ(Row(r->categories, "werkdruk").count.value, 6);
  EXPECT_EQ(Row(r->categories, "pesten").label, "Pesten");
  // A key the list no longer has still counts, under its key.
  EXPECT_EQ(Row(r->categories, "oud-onderwerp").count.disclosure,
            Disclosure::kBelowK);
  EXPECT_EQ(r->categories.rows.size(), 3u);
}

TEST(ReportTest, WhistleblowerReportsAreOneFigureInBothPlaces) {
  std::vector<ReportCase> cases = Many(20, 4);
  for (int i = 0; i < 3; ++i) cases[i].whistleblower = true;
  cases[3].support.push_back(CaseFile::WHISTLEBLOWER_REPORT);
  const auto r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->whistleblower_reports, (Cell{4, Disclosure::kBelowK}));
  EXPECT_EQ(Row(r->support, "WHISTLEBLOWER_REPORT").count,
            r->whistleblower_reports);
  // Beside a hidden number of reports, no deadline is published.
  EXPECT_FALSE(r->deadlines.has_value());
  EXPECT_FALSE(r->deadline_share_percent.has_value());
}

TEST(ReportTest, DeadlineShareIsExactOrALowerBound) {
  std::vector<ReportCase> cases = Many(12, 5);
  for (int i = 0; i < 12; ++i) {
    cases[i].whistleblower = true;
    cases[i].acknowledgement_met = i < 7;  // 7 met, 5 missed
  }
  auto r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->deadlines.has_value());
  EXPECT_EQ(r->deadlines->total, (Cell{12, Disclosure::kShown}));
  EXPECT_EQ(r->deadline_share_percent, 58);  // 7/12, rounded down
  EXPECT_FALSE(r->deadline_share_is_lower_bound);

  for (int i = 0; i < 12; ++i) cases[i].acknowledgement_met = i != 0;
  r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Row(*r->deadlines, "missed").count.disclosure, Disclosure::kBelowK);
  EXPECT_EQ(Row(*r->deadlines, "met").count.disclosure,
            Disclosure::kProtective);
  EXPECT_EQ(r->deadline_share_percent, 66);  // at least (12 - 4) / 12
  EXPECT_TRUE(r->deadline_share_is_lower_bound);
}

TEST(ReportTest, MedianNeedsKResponses) {
  std::vector<ReportCase> cases = Many(8, 6);
  for (int i = 0; i < 4; ++i) cases[i].days_to_first_response = i + 1;
  auto r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->median_days_to_first_response.has_value());
  cases[4].days_to_first_response = 10;
  cases[5].days_to_first_response = 0;
  r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->median_days_to_first_response, 2.5);  // 0 1 2 3 4 10
}

TEST(ReportTest, SumsOnlyBesideAShownNumberOfCases) {
  std::vector<ReportCase> cases = Many(4, 6);
  for (ReportCase& c : cases) c.minutes = 90;
  auto r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cases.disclosure, Disclosure::kBelowK);
  EXPECT_FALSE(r->minutes.has_value());
  cases.push_back(Case(6));
  r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->minutes, 360);
}

TEST(ReportTest, EveryoneInOneRoleWithholdsTheRoleTable) {
  // Five cases, all by employees: any breakdown says so.
  const auto r = BuildReport(Many(5, 2), Options());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->roles.withheld);
  EXPECT_TRUE(r->outcomes.withheld);
  const std::string csv = ReportToCsv(*r);
  EXPECT_THAT(csv, HasSubstr("role,withheld,"));
  EXPECT_THAT(csv, Not(HasSubstr("role,EMPLOYEE")));
  EXPECT_THAT(csv, HasSubstr("role,total,Totaal,5\r\n"));
  // With six, "5 or 6 employees" hides the rest: published, protected.
  const auto six = BuildReport(Many(6, 2), Options());
  ASSERT_TRUE(six.ok());
  EXPECT_FALSE(six->roles.withheld);
  EXPECT_EQ(Row(six->roles, "EMPLOYEE").count.disclosure,
            Disclosure::kProtective);
}

TEST(ReportTest, CrossTableOnlyWhenEveryCellPasses) {
  std::vector<ReportCase> cases;
  for (int month : {2, 5, 8, 11}) {
    for (int i = 0; i < 5; ++i) cases.push_back(Case(month, {"pesten"}));
    for (int i = 0; i < 6; ++i) cases.push_back(Case(month, {"werkdruk"}));
  }
  auto r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->category_by_quarter.has_value());
  EXPECT_EQ(r->category_by_quarter->values[1][2], 6);
  cases.pop_back();  // werkdruk in Q4: 5 left, still passes
  cases.pop_back();  // 4: fails
  r = BuildReport(cases, Options());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->category_by_quarter.has_value());
}

TEST(ReportTest, EnglishNamesAndLabels) {
  ReportOptions o = Options();
  o.language = ReportOptions::Language::kEnglish;
  const auto r = BuildReport(Many(5, 1), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Row(r->categories, "pesten").label, "Bullying");
  EXPECT_EQ(Row(r->quarters, "2026-Q1").label, "Q1 2026");
  EXPECT_EQ(Row(r->outcomes, "OUTCOME_UNSPECIFIED").label, "Still open");
}

TEST(ReportTest, EveryLabelExistsInBothLanguages) {
  for (int t = 0; t <= static_cast<int>(Text::kRoundingNote); ++t) {
    const auto nl = Label(static_cast<Text>(t), ReportLanguage::kDutch);
    const auto en = Label(static_cast<Text>(t), ReportLanguage::kEnglish);
    EXPECT_FALSE(nl.empty()) << t;
    EXPECT_FALSE(en.empty()) << t;
    EXPECT_NE(nl, "?") << t;
  }
}

TEST(ReportTest, NumbersAndMoneyAreWrittenPerLanguage) {
  EXPECT_EQ(CountText(1234567, ReportLanguage::kDutch), "1.234.567");
  EXPECT_EQ(CountText(1234, ReportLanguage::kEnglish), "1,234");
  EXPECT_EQ(MoneyText(123456, ReportLanguage::kDutch), "€ 1.234,56");
  EXPECT_EQ(MoneyText(5, ReportLanguage::kEnglish), "€0.05");
  EXPECT_EQ(DecimalText(2.5, ReportLanguage::kDutch), "2,5");
  EXPECT_EQ(CellText({3, Disclosure::kBelowK}, 5, ReportLanguage::kDutch),
            "<5");
  EXPECT_EQ(CellText({9, Disclosure::kProtective}, 5, ReportLanguage::kDutch),
            "≥5");
}

TEST(ReportCsvTest, QuotesPerRfc4180AndRoundTrips) {
  ReportOptions o = Options();
  o.organisation_name = "Voorbeeld, \"de Zaak\" BV";
  o.trends = "Regel een,\r\nregel \"twee\"";
  const auto r = BuildReport(Many(7, 3), o);
  ASSERT_TRUE(r.ok());
  const std::string csv = ReportToCsv(*r);
  EXPECT_TRUE(absl::StartsWith(csv, "section,key,label,value\r\n"));
  EXPECT_THAT(csv, HasSubstr("\"Voorbeeld, \"\"de Zaak\"\" BV\""));
  const auto records = ::confidant::testing::ParseCsv(csv);
  ASSERT_TRUE(records.ok());
  bool found_trends = false, found_org = false;
  for (const auto& rec : *records) {
    ASSERT_EQ(rec.size(), 4u);
    if (rec[0] == "trends") found_trends = rec[3] == o.trends;
    if (rec[1] == "organisation") found_org = rec[3] == o.organisation_name;
  }
  EXPECT_TRUE(found_trends);
  EXPECT_TRUE(found_org);
  // Hidden counts in ASCII; no hidden value anywhere.
  EXPECT_THAT(csv, HasSubstr("category,werkdruk,Werkdruk,<5\r\n"));
}

}  // namespace
}  // namespace confidant::client
