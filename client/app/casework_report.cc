// What the report and the invoice are made of: the trust person's case
// files of one organisation, reduced to the figures client/app/report.h
// counts. Nothing else of a case leaves this file.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/app/casework.h"
#include "client/app/deadlines.h"
#include "client/case_policy.h"

namespace confidant::client {

using v1::CaseFile;

absl::StatusOr<ReportCases> CaseFiles::ForReport(
    std::string_view organisation_id, bool only_organisation, absl::Time now) {
  if (absl::Status s = MayKeepCaseFiles(kind_); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  // Every case counts, also one whose file was never opened: it is
  // registered now, as of its first message.
  absl::StatusOr<std::vector<CaseSummary>> all = messenger_.ListCases();
  if (!all.ok()) return all.status();
  const absl::CivilDay today = absl::ToCivilDay(now, time_zone_);
  ReportCases out;
  for (const CaseSummary& summary : *all) {
    absl::StatusOr<CaseFile> loaded = FileOfLocked(summary, now);
    if (!loaded.ok()) return loaded.status();
    const CaseFile& file = *loaded;
    if (file.organisation_id().empty()) {
      // A trust person of one organisation need not choose it per case.
      if (!only_organisation) {
        ++out.without_organisation;
        continue;
      }
    } else if (file.organisation_id() != organisation_id) {
      continue;
    }
    ReportCase c;
    c.registered = absl::ToCivilDay(
        absl::FromUnixSeconds(file.registered_unix()), time_zone_);
    c.categories.assign(file.categories().begin(), file.categories().end());
    c.role = file.reporter_role();
    for (int s : file.support()) c.support.push_back(CaseFile::Support(s));
    c.outcome = file.outcome();
    c.whistleblower = file.has_wbk();
    if (file.has_wbk()) {
      const WbkDeadlines d = ComputeDeadlines(file.wbk(), time_zone_);
      c.acknowledgement_met = Met(d.acknowledge_by, d.acknowledged, today);
      c.feedback_met = Met(d.feedback_by, d.feedback_given, today);
    }
    if (summary.first_outgoing != absl::InfinitePast()) {
      // Whole days from the first message to the first answer, in the
      // trust person's calendar.
      c.days_to_first_response = static_cast<int>(
          absl::ToCivilDay(summary.first_outgoing, time_zone_) -
          absl::ToCivilDay(summary.created, time_zone_));
      if (*c.days_to_first_response < 0) c.days_to_first_response = 0;
    }
    c.conversations = file.conversations();
    c.minutes = file.minutes();
    out.cases.push_back(std::move(c));
  }
  return out;
}

}  // namespace confidant::client
