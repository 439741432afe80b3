// The fixture of the desktop GUI tests: a real relay on 127.0.0.1 with an
// organisation, profiles in a temporary directory, and helpers to read the
// window. Each test binary runs in one language (translators are the
// application's).
#ifndef CONFIDANT_TESTS_DESKTOP_DESKTOP_FIXTURE_H_
#define CONFIDANT_TESTS_DESKTOP_DESKTOP_FIXTURE_H_

#include <QQuickItem>
#include <QString>
#include <memory>
#include <string>

#include "client/app/app.h"
#include "confidant/v1/admin.pb.h"
#include "gtest/gtest.h"
#include "tests/desktop/harness.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::desktop::testing {

using ::confidant::testing::RelayProcess;
using ::confidant::testing::TempDir;

inline constexpr char kPassphrase[] = "correct horse battery staple";

class DesktopFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = dir_.path() + "/relay";
    relay_ = std::make_unique<RelayProcess>(CONFIDANT_RELAY_BIN, data_dir_);
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    org_ = ::confidant::testing::AdminJson<
        ::confidant::v1::CreateOrganisationResponse>(
        CONFIDANT_ADMIN_BIN, data_dir_,
        {"org", "create", "Gemeente Voorbeeld"});
  }

  Session::Options Options(const std::string& name) {
    Session::Options o;
    o.profile_dir = dir_.path() + "/" + name;
    o.app.relay = relay_->address();
    o.app.insecure = true;
    o.app.argon2 = {1, 8192, 1};
    o.app.messenger.receipt_delay_min = absl::ZeroDuration();
    o.app.messenger.receipt_delay_max = absl::ZeroDuration();
    o.app.reconnect_min = absl::Milliseconds(100);
    o.app.reconnect_max = absl::Milliseconds(500);
    return o;
  }

  // A trust person's profile, enrolled without the window (its own screens
  // are tested from the unlock screen on).
  void EnrollTrustPerson(const std::string& name,
                         const std::string& display_name = "Anna de Vries") {
    auto invite =
        ::confidant::testing::AdminJson<::confidant::v1::CreateInviteResponse>(
            CONFIDANT_ADMIN_BIN, data_dir_,
            {"invite", "create", "--org", org_.organisation().id()});
    client::TrustPersonProfile p;
    p.display_name = display_name;
    p.affiliation = client::Affiliation::kExternal;
    p.languages = {"nl", "en"};
    Session::Options o = Options(name);
    auto app = client::App::Enroll(o.profile_dir, kPassphrase,
                                   client::ConnectionSettings{},
                                   invite.invite_code(), p, "", o.app);
    ASSERT_TRUE(app.ok()) << app.status();
  }

  // An employee's profile, joined without the window; the App stays open.
  std::unique_ptr<client::App> JoinEmployee(const std::string& name) {
    Session::Options o = Options(name);
    auto app = client::App::Join(o.profile_dir, kPassphrase,
                                 client::ConnectionSettings{},
                                 org_.access_code(), "", o.app);
    EXPECT_TRUE(app.ok()) << app.status();
    return app.ok() ? *std::move(app) : nullptr;
  }

  static QString Text(Harness& h, const char* name) {
    QObject* o = h.Find(QString::fromLatin1(name));
    return o == nullptr ? QString() : o->property("text").toString();
  }
  static bool Visible(Harness& h, const char* name) {
    QQuickItem* item = h.Item(QString::fromLatin1(name));
    return item != nullptr && item->isVisible();
  }

  TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  ::confidant::v1::CreateOrganisationResponse org_;
};

}  // namespace confidant::desktop::testing

#endif  // CONFIDANT_TESTS_DESKTOP_DESKTOP_FIXTURE_H_
