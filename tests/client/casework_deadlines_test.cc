// A trust person's deadlines, due list and purging over the fake relay:
// marking a whistleblower report, the acknowledgement recorded in the same
// batch as it is queued, an extension with its reason, feedback, what
// `confidant due` lists, and closed cases purged by hand or after the
// retention period.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/app/app_stack.h"
#include "client/app/casework.h"
#include "client/app/deadlines.h"
#include "gtest/gtest.h"
#include "tests/client/casework_fixture.h"

namespace confidant::client::casework_testing {
namespace {

using v1::CaseFile;

CaseFileUpdate Whistleblower(bool on) {
  CaseFileUpdate u;
  u.support =
      on ? std::vector<CaseFile::Support>{CaseFile::WHISTLEBLOWER_REPORT,
                                          CaseFile::LISTENING_AND_ADVICE}
         : std::vector<CaseFile::Support>{CaseFile::LISTENING_AND_ADVICE};
  return u;
}

std::vector<std::string> Listed(const std::vector<DueItem>& items) {
  std::vector<std::string> out;
  for (const DueItem& i : items) {
    const char* kind = i.kind == DueItem::Kind::kAcknowledgement ? "ack"
                       : i.kind == DueItem::Kind::kFeedback      ? "feedback"
                                                                 : "purge";
    const char* state = i.state == DueItem::State::kUpcoming  ? "upcoming"
                        : i.state == DueItem::State::kWarning ? "warning"
                        : i.state == DueItem::State::kToday   ? "today"
                                                              : "overdue";
    out.push_back(absl::StrCat(i.case_number, " ", kind, " ",
                               absl::FormatCivilTime(i.due), " ", state, " ",
                               i.days_left));
  }
  return out;
}

TEST_F(CaseworkTest, AWhistleblowerReportHasItsDeadlinesAndTheyAreDue) {
  // Received Monday 2 March 2026, 10:00 in Amsterdam.
  clock_.Set(Utc(2026, 3, 2, 9, 0));
  const std::string wb = NewCase();
  const std::string plain = NewCase();
  EXPECT_EQ(tp_->Deadlines(wb).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(tp_->RecordFeedback(wb).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(tp_->ExtendDeadline(wb, "reden").status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Marked a day later: received stays the day of the first message.
  clock_.Set(Utc(2026, 3, 3, 9, 0));
  absl::StatusOr<CaseFile> f = tp_->UpdateCaseFile(wb, Whistleblower(true));
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_TRUE(f->has_wbk());
  absl::StatusOr<WbkDeadlines> d = tp_->Deadlines(wb);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->received, absl::CivilDay(2026, 3, 2));
  EXPECT_EQ(d->acknowledge_by, absl::CivilDay(2026, 3, 9));
  EXPECT_EQ(d->feedback_by, absl::CivilDay(2026, 6, 9));

  absl::StatusOr<std::vector<DueItem>> due = tp_->Due();
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(Listed(*due), (std::vector<std::string>{
                              "2026-001 ack 2026-03-09 upcoming 6",
                              "2026-001 feedback 2026-06-09 upcoming 98"}));
  clock_.Set(Utc(2026, 3, 6, 9, 0));
  EXPECT_EQ(Listed(*tp_->Due())[0], "2026-001 ack 2026-03-09 warning 3");
  // A longer warning, from the settings.
  absl::StatusOr<v1::CaseworkSettings> settings = tp_->CaseworkSettings();
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->warning_days(), 3u);
  settings->set_warning_days(100);
  EXPECT_EQ(tp_->SaveCaseworkSettings(*settings).code(),
            absl::StatusCode::kInvalidArgument);
  settings->set_warning_days(7);
  ASSERT_TRUE(tp_->SaveCaseworkSettings(*settings).ok());
  clock_.Set(Utc(2026, 3, 10, 9, 0));
  EXPECT_EQ(Listed(*tp_->Due())[0], "2026-001 ack 2026-03-09 overdue -1");

  // The acknowledgement, late: queued and recorded together.
  absl::StatusOr<std::string> ack = tp_->Acknowledge(wb);
  ASSERT_TRUE(ack.ok()) << ack.status();
  f = tp_->CaseFile(wb);
  EXPECT_EQ(f->wbk().acknowledged_unix(),
            absl::ToUnixSeconds(Utc(2026, 3, 10, 9, 0)));
  d = tp_->Deadlines(wb);
  EXPECT_EQ(d->acknowledged, absl::CivilDay(2026, 3, 10));
  EXPECT_EQ(d->feedback_by, absl::CivilDay(2026, 6, 9));  // no time bought
  EXPECT_EQ(
      Met(d->acknowledge_by, d->acknowledged, absl::CivilDay(2026, 3, 10)),
      false);
  EXPECT_EQ(
      Listed(*tp_->Due()),
      (std::vector<std::string>{"2026-001 feedback 2026-06-09 upcoming 91"}));
  // The employee got it.
  ASSERT_TRUE(tp_->SendQueued().ok());
  ASSERT_TRUE(emp_->SyncOnce().ok());
  absl::StatusOr<std::vector<CaseMessage>> seen = emp_->Read(wb);
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(seen->back().event.has_value());
  EXPECT_TRUE(seen->back().event->has_acknowledgement());

  // Extended once, with a reason; not twice.
  EXPECT_EQ(tp_->ExtendDeadline(wb, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  f = tp_->ExtendDeadline(wb, "Extern onderzoek loopt nog");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->wbk().extension_reason(), "Extern onderzoek loopt nog");
  EXPECT_EQ(tp_->ExtendDeadline(wb, "nog eens").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(tp_->Deadlines(wb)->feedback_by, absl::CivilDay(2026, 9, 9));
  // Feedback given: nothing is due any more.
  ASSERT_TRUE(tp_->RecordFeedback(wb).ok());
  EXPECT_EQ(tp_->RecordFeedback(wb).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(tp_->Due()->empty());
  // Unmarked, the deadlines go with the mark.
  f = tp_->UpdateCaseFile(wb, Whistleblower(false));
  EXPECT_FALSE(f->has_wbk());
  EXPECT_EQ(tp_->Deadlines(wb).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The employee has no due list.
  EXPECT_EQ(emp_->Due().status().code(), absl::StatusCode::kPermissionDenied);
  (void)plain;
}

TEST_F(CaseworkTest, AnAcknowledgementBeforeTheMarkCounts) {
  clock_.Set(Utc(2026, 3, 2, 9, 0));
  const std::string c = NewCase();
  clock_.Set(Utc(2026, 3, 4, 9, 0));
  ASSERT_TRUE(tp_->Acknowledge(c).ok());
  clock_.Set(Utc(2026, 3, 20, 9, 0));
  ASSERT_TRUE(tp_->UpdateCaseFile(c, Whistleblower(true)).ok());
  absl::StatusOr<WbkDeadlines> d = tp_->Deadlines(c);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->acknowledged, absl::CivilDay(2026, 3, 4));
  EXPECT_EQ(d->feedback_by, absl::CivilDay(2026, 6, 4));
}

// The employee takes a report to a colleague. Should the trust person's
// file not be closed when the consent comes in (App::Publish ignores a
// failed write), the due list still drops the report's deadlines: it closes
// the file itself.
TEST_F(CaseworkTest, AHandedOverReportLeavesTheDueListThoughItsFileWasOpen) {
  const std::string wb = NewCase();
  ASSERT_TRUE(tp_->UpdateCaseFile(wb, Whistleblower(true)).ok());
  ASSERT_EQ(tp_->Due()->size(), 2u);
  absl::StatusOr<std::string> invite =
      relay_->CreateInvite({org_.organisation.id});
  ASSERT_TRUE(invite.ok());
  TrustPersonProfile p;
  p.display_name = "Bram Jansen";
  p.affiliation = Affiliation::kInternal;
  p.languages = {"nl"};
  absl::StatusOr<std::unique_ptr<App>> bram =
      App::Enroll(dir_.path() + "/bram", kPassphrase, {}, *invite, p,
                  relay_->RootFingerprint(), Options());
  ASSERT_TRUE(bram.ok()) << bram.status();
  absl::StatusOr<std::string> proposal =
      tp_->ProposeHandover(wb, (*bram)->account_id(), v1::CaseEvent::ABSENCE);
  ASSERT_TRUE(proposal.ok()) << proposal.status();
  ASSERT_TRUE(tp_->SendQueued().ok());
  ASSERT_TRUE(emp_->SyncOnce().ok());
  ASSERT_TRUE(emp_->AnswerHandover(wb, *proposal, true).ok());
  ASSERT_TRUE(emp_->SendQueued().ok());

  // The consent taken in below the App: the case is handed over, the file
  // untouched.
  AppStack& stack = tp_->StackForTesting();
  absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*stack.transport);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_FALSE(got->empty());
  absl::StatusOr<std::vector<Received>> received =
      stack.messenger->ReceiveBatch(*got, clock_.Now(), false);
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_TRUE(tp_->Case(wb)->handed_over);

  absl::StatusOr<std::vector<DueItem>> due = tp_->Due();
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_TRUE(due->empty()) << Listed(*due)[0];
  absl::StatusOr<CaseFile> file = tp_->CaseFile(wb);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->status(), CaseFile::CLOSED);
  EXPECT_TRUE(file->handed_over());
}

TEST_F(CaseworkTest, OnlyClosedCasesArePurgedAndRetentionRemindsFirst) {
  clock_.Set(Utc(2026, 3, 2, 9, 0));
  const std::string a = NewCase();
  const std::string b = NewCase();
  ASSERT_TRUE(tp_->AddNote(a, "privé").ok());
  EXPECT_EQ(tp_->Purge(a).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(tp_->Purge(std::string(16, 'u')).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(emp_->Purge(a).code(), absl::StatusCode::kPermissionDenied);
  CaseFileUpdate close;
  close.status = CaseFile::CLOSED;
  ASSERT_TRUE(tp_->UpdateCaseFile(a, close).ok());
  ASSERT_TRUE(tp_->Purge(a).ok());
  EXPECT_EQ(tp_->Case(a).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(tp_->Read(a).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(tp_->CaseFile(a).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(tp_->Cases()->size(), 1u);
  // Nothing of it is left in the profile: no message, index or file.
  ProfileStore& profile = *tp_->StackForTesting().profile;
  for (Namespace ns : {Namespace::kMessage, Namespace::kCaseFile,
                       Namespace::kMessageIndex, Namespace::kOutbox}) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> all =
        profile.Scan(ns);
    ASSERT_TRUE(all.ok());
    for (const auto& [key, value] : *all) {
      EXPECT_EQ(key.find(a), std::string::npos);
      EXPECT_EQ(value.find(a), std::string::npos);
    }
  }

  // Retention: off by default; 30 days once set, with a reminder 14 days
  // before.
  ASSERT_TRUE(tp_->UpdateCaseFile(b, close).ok());
  EXPECT_EQ(*tp_->PurgeExpired(), 0);
  EXPECT_TRUE(tp_->Due()->empty());
  absl::StatusOr<v1::CaseworkSettings> settings = tp_->CaseworkSettings();
  settings->set_retention_days(10);
  EXPECT_EQ(tp_->SaveCaseworkSettings(*settings).code(),
            absl::StatusCode::kInvalidArgument);
  settings->set_retention_days(30);
  ASSERT_TRUE(tp_->SaveCaseworkSettings(*settings).ok());
  EXPECT_EQ(
      Listed(*tp_->Due()),
      (std::vector<std::string>{"2026-002 purge 2026-04-01 upcoming 30"}));
  clock_.Set(Utc(2026, 3, 20, 9, 0));
  EXPECT_EQ(Listed(*tp_->Due()),
            (std::vector<std::string>{"2026-002 purge 2026-04-01 warning 12"}));
  EXPECT_EQ(*tp_->PurgeExpired(), 0);
  EXPECT_TRUE(tp_->Case(b).ok());
  clock_.Set(Utc(2026, 4, 1, 9, 0));
  EXPECT_EQ(*tp_->PurgeExpired(), 1);
  EXPECT_EQ(tp_->Case(b).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(tp_->Due()->empty());
}

TEST_F(CaseworkTest, TheReportCountsTheCaseFiles) {
  // Three cases in March, answered after 0, 2 and 6 days; two are
  // whistleblower reports, acknowledged in time, whose feedback is late.
  clock_.Set(Utc(2026, 3, 2, 9, 0));
  const std::string a = NewCase();
  const std::string b = NewCase();
  const std::string c = NewCase();
  ASSERT_TRUE(tp_->Send(a, "Dank je, ik lees het.").ok());
  CaseFileUpdate u = Whistleblower(true);
  u.categories = std::vector<std::string>{"integriteit"};
  ASSERT_TRUE(tp_->UpdateCaseFile(b, u).ok());
  clock_.Set(Utc(2026, 3, 4, 9, 0));
  ASSERT_TRUE(tp_->Acknowledge(b).ok());  // within the 7 days
  CaseFileUpdate other = Whistleblower(true);
  other.categories = std::vector<std::string>{"pesten"};
  other.add_minutes = 30;
  ASSERT_TRUE(tp_->UpdateCaseFile(c, other).ok());
  clock_.Set(Utc(2026, 3, 8, 9, 0));
  ASSERT_TRUE(tp_->Acknowledge(c).ok());  // on day 6

  clock_.Set(Utc(2026, 7, 1, 9, 0));  // feedback (due 4 June) was missed
  ReportOptions options;
  options.from = absl::CivilDay(2026, 1, 1);
  options.to = absl::CivilDay(2026, 12, 31);
  options.k = 2;
  options.trust_person_name = "Anna de Vries";
  int left_out = -1;
  absl::StatusOr<Report> report =
      tp_->OrganisationReport("", options, &left_out);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(left_out, 0);
  EXPECT_EQ(report->organisation_name, "Gemeente Voorbeeld");
  EXPECT_EQ(report->cases.value, 3);
  EXPECT_FALSE(report->cases.suppressed());
  EXPECT_EQ(report->minutes, 30);
  ASSERT_TRUE(report->median_days_to_first_response.has_value());
  EXPECT_DOUBLE_EQ(*report->median_days_to_first_response, 2.0);  // 0, 2, 6
  EXPECT_EQ(report->whistleblower_reports.value, 2);
  // Two of the four deadlines due were met.
  ASSERT_TRUE(report->deadlines.has_value());
  int64_t met = -1, missed = -1;
  for (const ReportRow& row : report->deadlines->rows) {
    (row.key == "met" ? met : missed) = row.count.value;
  }
  EXPECT_EQ(met, 2);
  EXPECT_EQ(missed, 2);
  EXPECT_EQ(report->deadline_share_percent, 50);

  // Bad input changes nothing and builds nothing.
  options.k = 1;
  EXPECT_EQ(tp_->OrganisationReport("", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.k = 2;
  options.to = absl::CivilDay(2025, 12, 31);
  EXPECT_EQ(tp_->OrganisationReport("", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.to = absl::CivilDay(2026, 12, 31);
  EXPECT_EQ(
      tp_->OrganisationReport("0123456789abcdef", options).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(emp_->OrganisationReport("", options).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace confidant::client::casework_testing
