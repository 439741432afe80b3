// confidant-report-bench (Google Benchmark): the trust person's report and
// invoice for many cases. Not a test (nothing here asserts a time); the
// figures go into docs/benchmarks.md. The target: BuildReport plus the PDF
// for 10,000 cases in under a second.
// Run: build/default/tests/confidant-report-bench
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "client/app/invoice.h"
#include "client/app/report.h"
#include "client/app/report_csv.h"
#include "client/app/report_pdf.h"
#include "tests/client/report_test_data.h"

namespace confidant::client {
namespace {

using v1::CaseFile;

const char* const kKeys[] = {
    "pesten",      "intimidatie", "seksuele-intimidatie",
    "agressie",    "bedreiging",  "discriminatie",
    "integriteit", "werkdruk",    "overig"};

ReportOptions Options() {
  ReportOptions o = TestReportOptions();
  o.categories.clear();
  for (const char* key : kKeys) {
    o.categories.push_back(MakeCategory(key, key, key));
  }
  o.trends = std::string(2000, 'x');
  return o;
}

std::vector<ReportCase> Cases(int n) {
  std::mt19937_64 rng(42);
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  std::vector<ReportCase> cases(n);
  for (ReportCase& c : cases) {
    c.registered = absl::CivilDay(2026, 1, 1) + uniform(0, 364);
    for (int j = uniform(1, 2); j > 0; --j)
      c.categories.push_back(kKeys[uniform(0, 8)]);
    c.role = static_cast<CaseFile::ReporterRole>(uniform(0, 4));
    c.support = {static_cast<CaseFile::Support>(uniform(1, 5))};
    c.outcome = static_cast<CaseFile::Outcome>(uniform(0, 6));
    c.whistleblower = uniform(0, 19) == 0;
    if (c.whistleblower) c.acknowledgement_met = uniform(0, 9) != 0;
    if (uniform(0, 4) != 0) c.days_to_first_response = uniform(0, 14);
    c.conversations = uniform(1, 6);
    c.minutes = uniform(30, 400);
  }
  return cases;
}

void BM_BuildReport(benchmark::State& state) {
  const std::vector<ReportCase> cases = Cases(state.range(0));
  const ReportOptions options = Options();
  for (auto _ : state) {
    auto report = BuildReport(cases, options);
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BuildReport)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ReportPdf(benchmark::State& state) {
  const auto report = BuildReport(Cases(state.range(0)), Options());
  for (auto _ : state) {
    auto pdf = ReportToPdf(*report);
    benchmark::DoNotOptimize(pdf);
  }
}
BENCHMARK(BM_ReportPdf)->Arg(10000)->Unit(benchmark::kMillisecond);

// The target: from case list to PDF bytes.
void BM_BuildReportAndPdf(benchmark::State& state) {
  const std::vector<ReportCase> cases = Cases(state.range(0));
  const ReportOptions options = Options();
  size_t bytes = 0;
  for (auto _ : state) {
    auto report = BuildReport(cases, options);
    auto pdf = ReportToPdf(*report);
    bytes = pdf->size();
    benchmark::DoNotOptimize(pdf);
  }
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_BuildReportAndPdf)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ReportCsv(benchmark::State& state) {
  const auto report = BuildReport(Cases(10000), Options());
  for (auto _ : state) {
    auto csv = ReportToCsv(*report);
    benchmark::DoNotOptimize(csv);
  }
}
BENCHMARK(BM_ReportCsv)->Unit(benchmark::kMicrosecond);

void BM_InvoiceAndPdf(benchmark::State& state) {
  const InvoiceOptions o = TestInvoiceOptions();
  const std::vector<InvoiceWork> work = WorkOfCases(Cases(10000), o.from, o.to);
  for (auto _ : state) {
    auto invoice = BuildInvoice(work, o);
    auto pdf = InvoiceToPdf(*invoice);
    benchmark::DoNotOptimize(pdf);
  }
}
BENCHMARK(BM_InvoiceAndPdf)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace confidant::client

BENCHMARK_MAIN();
