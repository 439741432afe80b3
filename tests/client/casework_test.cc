// A trust person's case files (client/app/casework.h) over the fake relay:
// case numbers per year in the trust person's time zone, every registration
// change, private notes, categories, and who may do what.
#include "client/app/casework.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "client/app/app.h"
#include "client/testing/fake_relay.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/casework_fixture.h"
#include "tests/testing/test_util.h"

namespace confidant::client::casework_testing {
namespace {

using ::testing::ElementsAre;
using v1::CaseFile;

TEST_F(CaseworkTest, NumbersCountPerYearInTheTrustPersonsTimeZone) {
  const std::string a = NewCase();
  const std::string b = NewCase();
  absl::StatusOr<CaseFile> fa = tp_->CaseFile(a);
  ASSERT_TRUE(fa.ok()) << fa.status();
  EXPECT_EQ(fa->number(), "2026-001");
  EXPECT_EQ(fa->status(), CaseFile::NEW);
  EXPECT_EQ(tp_->CaseFile(b)->number(), "2026-002");
  EXPECT_EQ(tp_->CaseFile(a)->number(), "2026-001");  // stable
  // 23:30 UTC on New Year's Eve is already 2027 in Amsterdam.
  clock_.Set(Utc(2026, 12, 31, 23, 30));
  EXPECT_EQ(tp_->CaseFile(NewCase())->number(), "2027-001");
  clock_.Set(Utc(2027, 6, 1, 12, 0));
  EXPECT_EQ(tp_->CaseFile(NewCase())->number(), "2027-002");
}

TEST_F(CaseworkTest, EveryRegistrationFieldChangesAndPersists) {
  const std::string id = NewCase();
  CaseFileUpdate u;
  u.status = CaseFile::IN_PROGRESS;
  u.organisation_id = org_.organisation.id;
  u.categories = std::vector<std::string>{"pesten", "discriminatie", "pesten"};
  u.reporter_role = CaseFile::MANAGER;
  u.support = std::vector<CaseFile::Support>{CaseFile::LISTENING_AND_ADVICE,
                                             CaseFile::REFERRAL};
  u.referrals = std::vector<CaseFile::Referral>{CaseFile::COMPANY_DOCTOR};
  u.outcome = CaseFile::REFERRED;
  u.conversations = 2;
  u.add_minutes = 90;
  absl::StatusOr<CaseFile> f = tp_->UpdateCaseFile(id, u);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->status(), CaseFile::IN_PROGRESS);
  EXPECT_THAT(f->categories(), ElementsAre("pesten", "discriminatie"));
  EXPECT_EQ(f->minutes(), 90u);
  CaseFileUpdate more;
  more.add_minutes = -120;  // corrected, never below zero
  more.status = CaseFile::WAITING_FOR_EMPLOYEE;
  EXPECT_EQ(tp_->UpdateCaseFile(id, more)->minutes(), 0u);

  CaseFileUpdate close;
  close.status = CaseFile::CLOSED;
  clock_.Set(Utc(2026, 4, 1, 10, 0));
  f = tp_->UpdateCaseFile(id, close);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->closed_unix(), absl::ToUnixSeconds(Utc(2026, 4, 1, 10, 0)));
  CaseFileUpdate reopen;
  reopen.status = CaseFile::IN_PROGRESS;
  EXPECT_EQ(tp_->UpdateCaseFile(id, reopen)->closed_unix(), 0);

  ASSERT_TRUE(tp_->AddNote(id, "Eerste gesprek: luisteren.").ok());
  ASSERT_TRUE(tp_->AddNote(id, "Doorverwezen naar de bedrijfsarts.").ok());

  // All of it survives a restart.
  tp_.reset();
  auto reopened = App::Open(dir_.path() + "/tp", kPassphrase, Options());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  tp_ = *std::move(reopened);
  f = tp_->CaseFile(id);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->number(), "2026-001");
  EXPECT_EQ(f->organisation_id(), org_.organisation.id);
  EXPECT_EQ(f->reporter_role(), CaseFile::MANAGER);
  EXPECT_EQ(f->support_size(), 2);
  EXPECT_EQ(f->referrals(0), CaseFile::COMPANY_DOCTOR);
  EXPECT_EQ(f->outcome(), CaseFile::REFERRED);
  EXPECT_EQ(f->conversations(), 2u);
  ASSERT_EQ(f->notes_size(), 2);
  EXPECT_EQ(f->notes(1).text(), "Doorverwezen naar de bedrijfsarts.");
}

TEST_F(CaseworkTest, BadChangesAreRefusedAndChangeNothing) {
  const std::string id = NewCase();
  absl::StatusOr<CaseFile> before = tp_->CaseFile(id);
  ASSERT_TRUE(before.ok());
  CaseFileUpdate u;
  u.conversations = 5;
  u.categories = std::vector<std::string>{"bestaat-niet"};
  EXPECT_TRUE(absl::IsInvalidArgument(tp_->UpdateCaseFile(id, u).status()));
  CaseFileUpdate org;
  org.organisation_id = "not-an-id";
  EXPECT_TRUE(absl::IsInvalidArgument(tp_->UpdateCaseFile(id, org).status()));
  CaseFileUpdate status;
  status.status = static_cast<CaseFile::Status>(42);
  EXPECT_TRUE(
      absl::IsInvalidArgument(tp_->UpdateCaseFile(id, status).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(tp_->AddNote(id, "").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      tp_->AddNote(id, std::string("\xff", 1)).status()));
  EXPECT_EQ(tp_->CaseFile(id)->SerializeAsString(),
            before->SerializeAsString());

  EXPECT_TRUE(absl::IsNotFound(tp_->CaseFile(std::string(16, 'x')).status()));
  // An employee keeps no case files, not even of their own case.
  EXPECT_TRUE(absl::IsPermissionDenied(emp_->CaseFile(id).status()));
  EXPECT_TRUE(absl::IsPermissionDenied(emp_->AddNote(id, "x").status()));
  EXPECT_TRUE(absl::IsPermissionDenied(emp_->SetCategories({})));
}

TEST_F(CaseworkTest, CategoriesStartDutchAndEnglishAndCanBeChanged) {
  absl::StatusOr<std::vector<v1::Category>> cats = tp_->Categories();
  ASSERT_TRUE(cats.ok());
  ASSERT_EQ(cats->size(), 9u);
  EXPECT_EQ((*cats)[2].name_nl(), "Seksuele intimidatie");
  EXPECT_EQ((*cats)[2].name_en(), "Sexual harassment");

  const std::string id = NewCase();
  CaseFileUpdate u;
  u.categories = std::vector<std::string>{"werkdruk"};
  ASSERT_TRUE(tp_->UpdateCaseFile(id, u).ok());

  std::vector<v1::Category> mine = *cats;
  v1::Category extra;
  extra.set_key("sociale-veiligheid");
  extra.set_name_nl("Sociale veiligheid");
  extra.set_name_en("Social safety");
  mine.push_back(extra);
  ASSERT_TRUE(tp_->SetCategories(mine).ok());
  EXPECT_EQ(tp_->Categories()->size(), 10u);

  std::vector<v1::Category> twice = mine;
  twice.push_back(extra);
  EXPECT_TRUE(absl::IsInvalidArgument(tp_->SetCategories(twice)));
  v1::Category bad = extra;
  bad.set_key("Hoofdletters");
  EXPECT_TRUE(absl::IsInvalidArgument(tp_->SetCategories({bad})));
  v1::Category unnamed = extra;
  unnamed.set_name_en("");
  EXPECT_TRUE(absl::IsInvalidArgument(tp_->SetCategories({unnamed})));
  // "werkdruk" is in use: it cannot go.
  EXPECT_TRUE(absl::IsFailedPrecondition(tp_->SetCategories({extra})));
  EXPECT_EQ(tp_->Categories()->size(), 10u);
}

}  // namespace
}  // namespace confidant::client::casework_testing
