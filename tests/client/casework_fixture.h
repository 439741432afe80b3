// The world of the case-work tests: a fake relay, an organisation, a trust
// person and an employee, each an App on a clock the test sets.
#ifndef CONFIDANT_TESTS_CLIENT_CASEWORK_FIXTURE_H_
#define CONFIDANT_TESTS_CLIENT_CASEWORK_FIXTURE_H_

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
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace confidant::client::casework_testing {

using ::confidant::testing::TempDir;
using v1::CaseFile;

inline constexpr char kPassphrase[] = "correct horse battery staple";
inline constexpr crypto::Argon2Params kCheapArgon2 = {1, 8192, 1};

inline absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi),
                         absl::UTCTimeZone());
}

class CaseworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto relay = FakeRelay::Create();
    ASSERT_TRUE(relay.ok());
    relay_ = *std::move(relay);
    auto org = relay_->CreateOrganisation("Gemeente Voorbeeld");
    ASSERT_TRUE(org.ok());
    org_ = *std::move(org);
    auto invite = relay_->CreateInvite({org_.organisation.id});
    ASSERT_TRUE(invite.ok());
    TrustPersonProfile p;
    p.display_name = "Anna de Vries";
    p.affiliation = Affiliation::kExternal;
    p.languages = {"nl"};
    auto tp = App::Enroll(dir_.path() + "/tp", kPassphrase, {}, *invite, p,
                          relay_->RootFingerprint(), Options());
    ASSERT_TRUE(tp.ok()) << tp.status();
    tp_ = *std::move(tp);
    auto emp =
        App::Join(dir_.path() + "/emp", kPassphrase, {}, org_.access_code,
                  relay_->RootFingerprint(), Options());
    ASSERT_TRUE(emp.ok()) << emp.status();
    emp_ = *std::move(emp);
  }

  AppOptions Options() {
    AppOptions options;
    options.argon2 = kCheapArgon2;
    options.clock = &clock_;
    options.make_transport = [this](const ConnectionSettings&)
        -> absl::StatusOr<std::unique_ptr<RelayTransport>> {
      return relay_->NewTransport();
    };
    return options;
  }

  // A new case from the employee, as the trust person has it.
  std::string NewCase() {
    absl::StatusOr<std::string> id = emp_->OpenCase(tp_->account_id(), "hoi");
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(emp_->SendQueued().ok());
    EXPECT_TRUE(tp_->SyncOnce().ok());
    return id.value_or("");
  }

  base::FakeClock clock_{Utc(2026, 3, 2, 9, 0)};
  TempDir dir_;
  std::unique_ptr<FakeRelay> relay_;
  FakeRelay::CreatedOrganisation org_;
  std::unique_ptr<App> tp_;
  std::unique_ptr<App> emp_;
};

}  // namespace confidant::client::casework_testing

#endif  // CONFIDANT_TESTS_CLIENT_CASEWORK_FIXTURE_H_
