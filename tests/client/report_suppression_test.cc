// The report's disclosure control (client/app/report_suppression.h): each
// rule on its own, then thousands of random case sets whose published CSV an
// independent audit (tests/client/report_audit.h) attacks, and a check that
// the audit catches tables that are unsafe on purpose.
#include "client/app/report_suppression.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "client/app/report.h"
#include "client/app/report_csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/report_audit.h"

namespace confidant::client {
namespace {

using ::confidant::testing::AuditReportCsv;
using ::confidant::testing::AuditResult;
using ::confidant::testing::FigureId;
using ::testing::ElementsAre;
using v1::CaseFile;

constexpr Disclosure kShown = Disclosure::kShown;
constexpr Disclosure kBelowK = Disclosure::kBelowK;
constexpr Disclosure kProtective = Disclosure::kProtective;

std::vector<Disclosure> Disclosures(const PartitionTable& t) {
  std::vector<Disclosure> out;
  for (const Cell& c : t.cells) out.push_back(c.disclosure);
  return out;
}

PartitionTable Table(std::vector<int64_t> cells) {
  PartitionTable t;
  int64_t sum = 0;
  for (int64_t v : cells) {
    t.cells.push_back({v});
    sum += v;
  }
  t.total = {sum};
  return t;
}

TEST(ReportSuppressionTest, CountsBelowKIncludingZeroAreHidden) {
  EXPECT_EQ(PrimaryCell(0, 5).disclosure, kBelowK);
  EXPECT_EQ(PrimaryCell(4, 5).disclosure, kBelowK);
  EXPECT_EQ(PrimaryCell(5, 5).disclosure, kShown);
  EXPECT_EQ(PrimaryCell(1, 2).disclosure, kBelowK);
  EXPECT_EQ(PrimaryCell(2, 2).disclosure, kShown);
}

TEST(ReportSuppressionTest, ReaderRangesFollowFromTheSum) {
  // 20 + x + y = 27 with x "<5" and y ">=5": x in [0, 2], y in [5, 7].
  PartitionTable t;
  t.cells = {{20, kShown}, {2, kBelowK}, {5, kProtective}};
  t.total = {27, kShown};
  EXPECT_THAT(PartitionRanges(t, 5),
              ElementsAre(FeasibleRange{20, 20}, FeasibleRange{0, 2},
                          FeasibleRange{5, 7}, FeasibleRange{27, 27}));
  // A hidden total: bounded by its cells and by what the reader knows.
  t.total = {27, kProtective};
  t.total_upper_bound = 30;
  EXPECT_EQ(PartitionRanges(t, 5).back(), (FeasibleRange{25, 30}));
}

TEST(ReportSuppressionTest, NothingSmallMeansNothingHidden) {
  PartitionTable t = Table({12, 7, 30});
  EXPECT_TRUE(ProtectPartition(t, 5));
  EXPECT_THAT(Disclosures(t), ElementsAre(kShown, kShown, kShown));
}

TEST(ReportSuppressionTest, ALoneSmallCellTakesTheSmallestOtherWithIt) {
  // 3 alone would be 50 - 12 - 7 - 28.
  PartitionTable t = Table({12, 3, 7, 28});
  EXPECT_TRUE(ProtectPartition(t, 5));
  EXPECT_THAT(Disclosures(t),
              ElementsAre(kShown, kBelowK, kProtective, kShown));
  EXPECT_FALSE(HasPinnedFigure(t, 5));
}

TEST(ReportSuppressionTest, TwoSmallCellsProtectEachOther) {
  PartitionTable t = Table({12, 3, 2, 28});
  EXPECT_TRUE(ProtectPartition(t, 5));
  EXPECT_THAT(Disclosures(t), ElementsAre(kShown, kBelowK, kBelowK, kShown));
}

TEST(ReportSuppressionTest, ZeroBesideExactlyKNeedsAThirdCell) {
  // 0 and 5 hidden, sum 5: ">=5" forces 5 and so 0; a third cell frees
  // them.
  PartitionTable t = Table({0, 5, 9, 20});
  EXPECT_TRUE(ProtectPartition(t, 5));
  EXPECT_THAT(Disclosures(t),
              ElementsAre(kBelowK, kProtective, kProtective, kShown));
  EXPECT_FALSE(HasPinnedFigure(t, 5));
}

TEST(ReportSuppressionTest, EveryoneInOneRowCannotBeProtected) {
  // All five cases by employees: whatever is hidden, the reader knows.
  PartitionTable t = Table({5, 0, 0, 0, 0});
  EXPECT_FALSE(ProtectPartition(t, 5));
}

TEST(ReportSuppressionTest, ASmallTotalHidesEveryCellSafely) {
  PartitionTable t = Table({1, 0, 2, 0});
  EXPECT_TRUE(ProtectPartition(t, 5));
  EXPECT_EQ(t.total.disclosure, kBelowK);
  EXPECT_THAT(Disclosures(t), ElementsAre(kBelowK, kBelowK, kBelowK, kBelowK));
  EXPECT_FALSE(HasPinnedFigure(t, 5));
}

TEST(ReportSuppressionTest, AKnownBoundOnTheTotalIsTakenIntoAccount) {
  // Deadlines due: 5 met, 0 missed, at most 2 * 3 = 6 due: both hidden
  // would still pin "missed" with due shown as 5.
  PartitionTable t = Table({5, 0});
  t.total_upper_bound = 6;
  EXPECT_FALSE(ProtectPartition(t, 5));
}

// --- The audit attacks hand-made reports -------------------------------

std::string Csv(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "section,key,label,value\r\nreport,threshold,k,5\r\n";
  for (const auto& r : rows) out += absl::StrJoin(r, ",") + "\r\n";
  return out;
}

std::vector<std::string> Names(const std::vector<FigureId>& ids) {
  std::vector<std::string> out;
  for (const auto& [section, key] : ids) out.push_back(section + "/" + key);
  return out;
}

TEST(ReportAuditTest, CatchesALoneSuppressedCellBesideItsTotal) {
  const auto result = AuditReportCsv(Csv({{"figures", "cases", "n", "30"},
                                          {"quarter", "2026-Q1", "q1", "12"},
                                          {"quarter", "2026-Q2", "q2", "<5"},
                                          {"quarter", "2026-Q3", "q3", "15"},
                                          {"quarter", "total", "t", "30"}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Names(result->pinned), ElementsAre("quarter/2026-Q2"));
}

TEST(ReportAuditTest, CatchesAZeroPinnedByACellOfExactlyK) {
  const auto result = AuditReportCsv(Csv({{"figures", "cases", "n", "25"},
                                          {"role", "EMPLOYEE", "e", "20"},
                                          {"role", "MANAGER", "m", "<5"},
                                          {"role", "HR", "h", ">=5"},
                                          {"role", "total", "t", "25"}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Names(result->pinned), ElementsAre("role/HR", "role/MANAGER"));
}

TEST(ReportAuditTest, CatchesAFigureHiddenInOneTableAndShownInAnother) {
  const auto result =
      AuditReportCsv(Csv({{"figures", "cases", "n", "30"},
                          {"figures", "whistleblower_reports", "w", "<5"},
                          {"support", "WHISTLEBLOWER_REPORT", "s", "3"}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Names(result->pinned),
              ElementsAre("figures/whistleblower_reports"));
}

TEST(ReportAuditTest, CatchesAMultiValuedCellBoundByASmallTotal) {
  // No row of a multi-valued table exceeds the number of cases: had a
  // total of 0 been shown, every "<5" beside it would be pinned to 0.
  const auto result = AuditReportCsv(
      Csv({{"figures", "cases", "n", "0"}, {"category", "pesten", "p", "<5"}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Names(result->pinned), ElementsAre("category/pesten"));
}

TEST(ReportAuditTest, PassesAProtectedTable) {
  const auto result = AuditReportCsv(Csv({{"figures", "cases", "n", "30"},
                                          {"quarter", "2026-Q1", "q1", "12"},
                                          {"quarter", "2026-Q2", "q2", "<5"},
                                          {"quarter", "2026-Q3", "q3", ">=5"},
                                          {"quarter", "total", "t", "30"}}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->pinned.empty());
  EXPECT_EQ(result->feasible.at({"quarter", "2026-Q2"}),
            (std::set<int64_t>{0, 1, 2, 3, 4}));
}

// --- Property: random case sets -----------------------------------------

const std::vector<std::string> kKeys = {
    "pesten",      "intimidatie", "agressie", "discriminatie",
    "integriteit", "werkdruk",    "overig"};

// Weights with many zeros, so that small and empty cells are common.
std::vector<double> SkewedWeights(std::mt19937_64& rng, size_t n) {
  std::vector<double> w(n);
  std::bernoulli_distribution zero(0.45);
  std::exponential_distribution<double> size(1.0);
  for (double& x : w) x = zero(rng) ? 0 : size(rng);
  w[std::uniform_int_distribution<size_t>(0, n - 1)(rng)] += 0.5;
  return w;
}

template <typename T>
T Pick(std::mt19937_64& rng, const std::vector<T>& values,
       const std::vector<double>& weights) {
  std::discrete_distribution<size_t> d(weights.begin(), weights.end());
  return values[d(rng)];
}

struct RandomSet {
  std::vector<ReportCase> cases;
  ReportOptions options;
};

RandomSet MakeRandomSet(std::mt19937_64& rng) {
  RandomSet set;
  const int size_class = std::uniform_int_distribution<int>(0, 99)(rng);
  const int n =
      size_class < 40   ? std::uniform_int_distribution<int>(0, 12)(rng)
      : size_class < 80 ? std::uniform_int_distribution<int>(13, 80)(rng)
      : size_class < 96 ? std::uniform_int_distribution<int>(81, 400)(rng)
                        : std::uniform_int_distribution<int>(1000, 2500)(rng);
  set.options.k = std::vector<int>{
      2, 3, 4, 5, 5, 5, 10}[std::uniform_int_distribution<int>(0, 6)(rng)];
  set.options.organisation_name = "Voorbeeld BV";
  set.options.trust_person_name = "Anna de Vries";
  for (const std::string& key : kKeys) {
    v1::Category c;
    c.set_key(key);
    c.set_name_nl(key);
    c.set_name_en(key);
    set.options.categories.push_back(c);
  }
  set.options.from = absl::CivilDay(2025, 1, 1) +
                     std::uniform_int_distribution<int>(0, 364)(rng);
  const int days = std::vector<int>{
      80, 364, 365, 729}[std::uniform_int_distribution<int>(0, 3)(rng)];
  set.options.to = set.options.from + days;

  const auto cat_w = SkewedWeights(rng, kKeys.size());
  const std::vector<CaseFile::ReporterRole> roles = {
      CaseFile::ROLE_UNSPECIFIED, CaseFile::EMPLOYEE, CaseFile::MANAGER,
      CaseFile::HR, CaseFile::OTHER_ROLE};
  const auto role_w = SkewedWeights(rng, roles.size());
  const std::vector<CaseFile::Outcome> outcomes = {
      CaseFile::OUTCOME_UNSPECIFIED,
      CaseFile::RESOLVED,
      CaseFile::REFERRED,
      CaseFile::FORMAL_COMPLAINT,
      CaseFile::WITHDRAWN,
      CaseFile::NO_FURTHER_CONTACT,
      CaseFile::OTHER_OUTCOME};
  const auto outcome_w = SkewedWeights(rng, outcomes.size());
  const std::vector<CaseFile::Support> supports = {
      CaseFile::LISTENING_AND_ADVICE, CaseFile::REFERRAL, CaseFile::MEDIATION,
      CaseFile::FORMAL_COMPLAINT_SUPPORT, CaseFile::WHISTLEBLOWER_REPORT};
  const auto support_w = SkewedWeights(rng, supports.size());
  // Registrations bunch in some quarters.
  const auto quarter_w = SkewedWeights(rng, 9);
  std::uniform_real_distribution<double> unit(0, 1);
  const double p_whistle = unit(rng) * 0.4;
  for (int i = 0; i < n; ++i) {
    ReportCase c;
    const int quarter =
        Pick(rng, std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8}, quarter_w);
    c.registered = set.options.from + quarter * 91 +
                   std::uniform_int_distribution<int>(0, 90)(rng);
    // Some fall outside the period and must not count.
    if (unit(rng) < 0.05) c.registered = set.options.from - 1;
    const int n_cat = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int j = 0; j < n_cat; ++j)
      c.categories.push_back(Pick(rng, kKeys, cat_w));
    if (unit(rng) < 0.02) c.categories.push_back("niet-in-lijst");
    c.role = Pick(rng, roles, role_w);
    c.outcome = Pick(rng, outcomes, outcome_w);
    const int n_sup = std::uniform_int_distribution<int>(0, 2)(rng);
    for (int j = 0; j < n_sup; ++j)
      c.support.push_back(Pick(rng, supports, support_w));
    c.whistleblower = unit(rng) < p_whistle;
    if (c.whistleblower) {
      if (unit(rng) < 0.8) c.acknowledgement_met = unit(rng) < 0.9;
      if (c.acknowledgement_met && unit(rng) < 0.6)
        c.feedback_met = unit(rng) < 0.8;
    }
    if (unit(rng) < 0.8) {
      c.days_to_first_response = std::uniform_int_distribution<int>(0, 20)(rng);
    }
    c.conversations = std::uniform_int_distribution<uint32_t>(0, 6)(rng);
    c.minutes = std::uniform_int_distribution<uint32_t>(0, 300)(rng);
    set.cases.push_back(std::move(c));
  }
  return set;
}

// The true value of every count the report can publish, counted here
// without the report's code.
std::map<FigureId, int64_t> TrueCounts(const RandomSet& set) {
  std::map<FigureId, int64_t> t;
  for (const ReportCase& c : set.cases) {
    if (c.registered < set.options.from || set.options.to < c.registered)
      continue;
    ++t[{"figures", "cases"}];
    const absl::CivilMonth m(c.registered);
    ++t[{"quarter", absl::StrCat(m.year(), "-Q", (m.month() - 1) / 3 + 1)}];
    ++t[{"role", CaseFile::ReporterRole_Name(c.role)}];
    ++t[{"outcome", CaseFile::Outcome_Name(c.outcome)}];
    std::set<std::string> cats(c.categories.begin(), c.categories.end());
    for (const std::string& key : cats) ++t[{"category", key}];
    std::set<int> sup(c.support.begin(), c.support.end());
    if (c.whistleblower) sup.insert(CaseFile::WHISTLEBLOWER_REPORT);
    for (int s : sup) {
      ++t[{"support",
           CaseFile::Support_Name(static_cast<CaseFile::Support>(s))}];
    }
    if (sup.count(CaseFile::WHISTLEBLOWER_REPORT)) {
      ++t[{"figures", "whistleblower_reports"}];
    }
    for (const auto& met : {c.acknowledgement_met, c.feedback_met}) {
      if (!met) continue;
      ++t[{"deadlines", "total"}];
      ++t[{"deadlines", *met ? "met" : "missed"}];
    }
  }
  return t;
}

TEST(ReportPropertyTest, NoRandomReportDisclosesAHiddenCount) {
  uint64_t seed = 20261113;
  if (const char* env = std::getenv("CONFIDANT_REPORT_SEED")) {
    ASSERT_TRUE(absl::SimpleAtoi(env, &seed));
  }
  std::printf("report property test seed: %llu (CONFIDANT_REPORT_SEED)\n",
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  constexpr int kSets = 3000;
  int hidden_figures = 0, secondary = 0, withheld = 0, large = 0;
  for (int i = 0; i < kSets; ++i) {
    const RandomSet set = MakeRandomSet(rng);
    const auto report = BuildReport(set.cases, set.options);
    ASSERT_TRUE(report.ok()) << report.status();
    const std::string csv = ReportToCsv(*report);
    const auto audit = AuditReportCsv(csv);
    ASSERT_TRUE(audit.ok()) << audit.status() << "\n" << csv;
    ASSERT_TRUE(audit->pinned.empty())
        << "set " << i << " of seed " << seed << " discloses "
        << absl::StrJoin(Names(audit->pinned), ", ") << "\n"
        << csv;
    ASSERT_TRUE(audit->contradictory.empty())
        << "set " << i << ": "
        << absl::StrJoin(Names(audit->contradictory), ", ") << "\n"
        << csv;
    // The audit's model of the reader is sound: the truth is among the
    // values it finds, and what is shown is true.
    const auto truth = TrueCounts(set);
    const auto records = ::confidant::testing::ParseCsv(csv);
    ASSERT_TRUE(records.ok());
    for (const auto& r : *records) {
      const FigureId id{r[0], r[1]};
      auto it = audit->feasible.find(id);
      const int64_t true_value = truth.count(id) ? truth.at(id) : 0;
      if (it != audit->feasible.end()) {
        ++hidden_figures;
        EXPECT_TRUE(it->second.count(true_value))
            << r[0] << "/" << r[1] << " = " << true_value << " in set " << i;
      }
      int64_t shown = 0;
      const bool count_of_cases =
          (r[0] == "figures" &&
           (r[1] == "cases" || r[1] == "whistleblower_reports")) ||
          r[0] == "quarter" || r[0] == "role" || r[0] == "outcome" ||
          r[0] == "category" || r[0] == "support" || r[0] == "deadlines";
      if (count_of_cases && r[1] != "total" && r[1] != "share_met" &&
          absl::SimpleAtoi(r[3], &shown)) {
        EXPECT_EQ(shown, true_value) << r[0] << "/" << r[1];
      }
      if (r[3] == absl::StrCat(">=", set.options.k)) ++secondary;
      if (r[1] == "withheld") ++withheld;
    }
    if (report->cases.value >= 1000) ++large;
  }
  std::printf(
      "%d sets: %d hidden figures audited, %d hidden to protect "
      "others, %d tables withheld, %d sets of 1000+ cases\n",
      kSets, hidden_figures, secondary, withheld, large);
  // The generator reaches the cases that matter.
  EXPECT_GT(secondary, 100);
  EXPECT_GT(withheld, 10);
  EXPECT_GT(large, 20);
}

}  // namespace
}  // namespace confidant::client
