// confidant-casework-bench: a trust person's case work over a profile of
// 10,000 cases, the whole path from the encrypted profile: the report
// (gathered from the case files, built, and written as PDF and CSV), the
// due list, and the inbox. Not a test (nothing here asserts a time); the
// figures go into docs/benchmarks.md. The target: the report for 10,000
// cases in under a second.
// Run: build/default/tests/confidant-casework-bench [CASES]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "base/random.h"
#include "base/testing/fake_clock.h"
#include "client/app/app.h"
#include "client/app/app_stack.h"
#include "client/app/report_csv.h"
#include "client/app/report_pdf.h"
#include "client/testing/fake_relay.h"
#include "confidant/client/v1/message.pb.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using Clock = std::chrono::steady_clock;
using v1::CaseFile;

double Millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

template <typename Fn>
double MedianMillis(int runs, Fn fn) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    fn();
    times.push_back(Millis(Clock::now() - start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int Run(int n) {
  ::confidant::testing::TempDir dir;
  base::FakeClock clock(absl::FromCivil(absl::CivilSecond(2026, 12, 1, 9, 0, 0),
                                        absl::UTCTimeZone()));
  auto relay = FakeRelay::Create();
  if (!relay.ok()) return 1;
  auto org = (*relay)->CreateOrganisation("Gemeente Voorbeeld");
  auto invite = (*relay)->CreateInvite({org->organisation.id});
  AppOptions options;
  options.argon2 = {1, 8192, 1};
  options.clock = &clock;
  options.make_transport = [&](const ConnectionSettings&)
      -> absl::StatusOr<std::unique_ptr<RelayTransport>> {
    return (*relay)->NewTransport();
  };
  TrustPersonProfile profile;
  profile.display_name = "Anna de Vries";
  profile.affiliation = Affiliation::kExternal;
  profile.languages = {"nl"};
  auto app =
      App::Enroll(dir.path() + "/tp", "correct horse battery staple", {},
                  *invite, profile, (*relay)->RootFingerprint(), options);
  if (!app.ok()) {
    std::fprintf(stderr, "%s\n", app.status().ToString().c_str());
    return 1;
  }
  // The cases of a year, written straight into the profile in batches: the
  // bench measures reading them, not receiving them.
  std::mt19937_64 rng(42);
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const char* keys[] = {"pesten",        "intimidatie", "seksuele-intimidatie",
                        "discriminatie", "integriteit", "werkdruk",
                        "overig"};
  ProfileStore& store = *(*app)->StackForTesting().profile;
  const auto fill_start = Clock::now();
  const absl::Time year =
      absl::FromCivil(absl::CivilDay(2026, 1, 1), absl::UTCTimeZone());
  for (int done = 0; done < n;) {
    ProfileStore::Batch batch;
    for (int i = 0; i < 500 && done < n; ++i, ++done) {
      const std::string id = base::SecureRandom().Bytes(16);
      const absl::Time created = year + absl::Hours(uniform(0, 330 * 24));
      v1::CaseRecord record;
      record.set_peer_account_id(base::SecureRandom().Bytes(16));
      record.set_created_unix(absl::ToUnixSeconds(created));
      record.set_last_activity_unix(absl::ToUnixSeconds(created));
      record.set_status(v1::CaseRecord::OPEN);
      record.set_next_sequence(1);
      if (uniform(0, 4) != 0) {
        record.set_first_outgoing_unix(
            absl::ToUnixSeconds(created + absl::Hours(uniform(1, 200))));
      }
      CaseFile file;
      file.set_number(absl::StrFormat("2026-%05d", done + 1));
      file.set_status(static_cast<CaseFile::Status>(uniform(1, 4)));
      file.set_registered_unix(absl::ToUnixSeconds(created));
      file.add_categories(keys[uniform(0, 6)]);
      if (uniform(0, 3) == 0) file.add_categories(keys[uniform(0, 6)]);
      file.set_reporter_role(
          static_cast<CaseFile::ReporterRole>(uniform(0, 4)));
      file.add_support(static_cast<CaseFile::Support>(uniform(1, 4)));
      if (uniform(0, 19) == 0) {
        file.add_support(CaseFile::WHISTLEBLOWER_REPORT);
        file.mutable_wbk()->set_received_unix(absl::ToUnixSeconds(created));
        if (uniform(0, 9) != 0) {
          file.mutable_wbk()->set_acknowledged_unix(
              absl::ToUnixSeconds(created + absl::Hours(uniform(1, 200))));
        }
      }
      file.set_outcome(static_cast<CaseFile::Outcome>(uniform(0, 6)));
      file.set_conversations(uniform(1, 6));
      file.set_minutes(uniform(30, 400));
      file.add_notes()->set_text(std::string(uniform(50, 800), 'n'));
      batch.Put(Namespace::kCase, id, record.SerializeAsString());
      batch.Put(Namespace::kCaseFile, id, file.SerializeAsString());
    }
    if (!store.Write(batch).ok()) return 1;
  }
  std::printf("profile filled with %d cases in %.0f ms\n", n,
              Millis(Clock::now() - fill_start));

  ReportOptions report_options;
  report_options.from = absl::CivilDay(2026, 1, 1);
  report_options.to = absl::CivilDay(2026, 12, 31);
  report_options.trends = std::string(2000, 't');
  size_t pdf_bytes = 0;
  bool ok = true;
  const double gather_and_build = MedianMillis(5, [&] {
    absl::StatusOr<Report> r = (*app)->OrganisationReport("", report_options);
    ok &= r.ok();
  });
  const double whole = MedianMillis(5, [&] {
    absl::StatusOr<Report> r = (*app)->OrganisationReport("", report_options);
    ok &= r.ok();
    if (!r.ok()) return;
    absl::StatusOr<std::string> pdf = ReportToPdf(*r);
    ok &= pdf.ok();
    pdf_bytes = pdf.ok() ? pdf->size() : 0;
    ok &= !ReportToCsv(*r).empty();
  });
  const double due = MedianMillis(5, [&] { ok &= (*app)->Due().ok(); });
  const double inbox = MedianMillis(5, [&] { ok &= (*app)->Cases().ok(); });
  if (!ok) {
    std::fprintf(stderr, "a step failed\n");
    return 1;
  }
  std::printf(
      "%d cases, median of 5:\n"
      "  report gathered from the profile and built: %.1f ms\n"
      "  the same plus PDF (%zu bytes) and CSV:      %.1f ms\n"
      "  due list:                                   %.1f ms\n"
      "  inbox (Cases):                              %.1f ms\n",
      n, gather_and_build, pdf_bytes, whole, due, inbox);
  return 0;
}

}  // namespace
}  // namespace confidant::client

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  return confidant::client::Run(n > 0 ? n : 10000);
}
