// The desktop app as its users drive it, against the real relay: an
// employee joins through the first-run screens, picks a trust person and
// writes; the trust person's inbox shows the case with an unread badge; the
// reply arrives live; a shared status reaches the employee; the quick exit
// hides and locks; a wrong passphrase and a stopped relay show their
// messages. Headless: offscreen platform, software renderer.
#include <QGuiApplication>
#include <QQuickItem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/hex.h"
#include "client/app/app.h"
#include "client/desktop/src/notifier.h"
#include "confidant/v1/admin.pb.h"
#include "gtest/gtest.h"
#include "tests/desktop/desktop_fixture.h"
#include "tests/desktop/harness.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::desktop::testing {
namespace {

class DesktopTest : public DesktopFixture {};

TEST_F(DesktopTest, JoinWriteReplyStatusQuickExitAndFailures) {
  ASSERT_NO_FATAL_FAILURE(EnrollTrustPerson("tp"));

  // The employee's first run, through the screens.
  Harness emp(Options("emp"), QStringLiteral("en"));
  ASSERT_NE(emp.window(), nullptr);
  EXPECT_EQ(emp.session().stage(), Session::Welcome);
  ASSERT_TRUE(emp.Click(QStringLiteral("iAmEmployee")));
  ASSERT_TRUE(emp.Type(QStringLiteral("accessCodeField"),
                       QString::fromStdString(org_.access_code())));
  ASSERT_TRUE(emp.Type(QStringLiteral("passphraseField"),
                       QString::fromLatin1(kPassphrase)));
  ASSERT_TRUE(emp.Click(QStringLiteral("joinButton")));
  ASSERT_TRUE(Harness::WaitFor(
      [&] { return emp.session().stage() == Session::Main; }, 30000))
      << emp.session().error().toStdString();
  // Pick the trust person and write.
  ASSERT_TRUE(Harness::WaitFor(
      [&] { return emp.session().trustPersons()->count() == 1; }));
  Harness::Settle();
  ASSERT_TRUE(emp.Click(QStringLiteral("chooseTrustPerson")));
  ASSERT_TRUE(emp.Type(QStringLiteral("firstMessageField"),
                       QStringLiteral("Ik wil iets bespreken.")));
  ASSERT_TRUE(emp.Click(QStringLiteral("startCaseButton")));
  ASSERT_TRUE(emp.session().currentCase()->active());
  ASSERT_TRUE(Harness::WaitFor([&] {
    const auto& entries =
        emp.session().currentCase()->conversation()->entries();
    return entries.size() == 1 &&
           entries[0].delivery != client::DeliveryState::kQueued;
  })) << "the first message never left";

  // The trust person unlocks; the inbox shows the case, unread.
  // One language per process: translators are the application's.
  Harness tp(Options("tp"), QStringLiteral("en"));
  EXPECT_EQ(tp.session().stage(), Session::Unlock);
  ASSERT_TRUE(tp.Type(QStringLiteral("passphraseField"),
                      QString::fromLatin1(kPassphrase)));
  ASSERT_TRUE(tp.Click(QStringLiteral("unlockButton")));
  ASSERT_TRUE(Harness::WaitFor(
      [&] {
        return tp.session().stage() == Session::Main &&
               tp.session().cases()->count() == 1;
      },
      30000))
      << tp.session().error().toStdString();
  EXPECT_EQ(tp.session().cases()->unreadTotal(), 1);
  Harness::Settle();
  EXPECT_TRUE(Visible(tp, "unreadBadge"));

  // The trust person opens it and replies; the reply arrives live.
  ASSERT_TRUE(tp.Click(QStringLiteral("caseItem")));
  ASSERT_TRUE(Harness::WaitFor([&] {
    return tp.session().currentCase()->conversation()->count() == 1;
  }));
  EXPECT_EQ(tp.session().cases()->unreadTotal(), 0);
  ASSERT_TRUE(tp.Type(QStringLiteral("messageField"),
                      QStringLiteral("Goed dat je schrijft.")));
  ASSERT_TRUE(tp.Click(QStringLiteral("sendButton")));
  EXPECT_EQ(Text(tp, "messageField"), QString());  // queued, so cleared
  ASSERT_TRUE(Harness::WaitFor([&] {
    const auto& entries =
        emp.session().currentCase()->conversation()->entries();
    return entries.size() == 2 && entries[1].body == "Goed dat je schrijft.";
  })) << "the reply did not arrive live";

  // A shared status reaches the employee.
  ASSERT_TRUE(tp.session().currentCase()->shareStatus(2));
  ASSERT_TRUE(Harness::WaitFor([&] {
    return emp.session().currentCase()->sharedStatus() ==
           QStringLiteral("In progress");
  }));
  Harness::Settle();
  EXPECT_TRUE(Visible(emp, "sharedStatus"));

  // Quick exit: hidden at once and locked.
  ASSERT_TRUE(emp.Click(QStringLiteral("quickExitButton")));
  EXPECT_FALSE(emp.window()->isVisible());
  EXPECT_EQ(emp.session().stage(), Session::Unlock);
  EXPECT_EQ(emp.session().app(), nullptr);

  // A wrong passphrase says so, in words.
  emp.window()->show();
  ASSERT_TRUE(emp.Type(QStringLiteral("passphraseField"),
                       QStringLiteral("not the passphrase at all")));
  ASSERT_TRUE(emp.Click(QStringLiteral("unlockButton")));
  ASSERT_TRUE(Harness::WaitFor([&] { return !emp.session().busy(); }));
  EXPECT_EQ(emp.session().stage(), Session::Unlock);
  EXPECT_EQ(Text(emp, "unlockError"),
            QStringLiteral("That passphrase is not right. Try again."));

  // A stopped relay: the trust person's window says it is offline, and a
  // message typed now waits.
  ASSERT_EQ(relay_->Stop(), 0);
  ASSERT_TRUE(Harness::WaitFor(
      [&] { return tp.session().connection() == Session::Offline; }, 20000));
  ASSERT_TRUE(tp.Type(QStringLiteral("messageField"),
                      QStringLiteral("Dit wacht even.")));
  ASSERT_TRUE(tp.Click(QStringLiteral("sendButton")));
  ASSERT_TRUE(Harness::WaitFor([&] { return tp.session().queued() == 1; }));
  Harness::Settle();
  EXPECT_TRUE(
      Text(tp, "connectionText").startsWith(QStringLiteral("Offline")) ||
      Text(tp, "connectionText").startsWith(QStringLiteral("Offline:")))
      << Text(tp, "connectionText").toStdString();
}

// A hand-over consented through the window, and a notification that says
// only that something came.
TEST_F(DesktopTest, HandOverConsentedAndANotificationWithoutContent) {
  ASSERT_NO_FATAL_FAILURE(EnrollTrustPerson("anna", "Anna de Vries"));
  ASSERT_NO_FATAL_FAILURE(EnrollTrustPerson("bram", "Bram Jansen"));
  FakeNotifier notifications;
  Session::Options anna_options = Options("anna");
  anna_options.notifier = &notifications;
  Harness anna(anna_options, QStringLiteral("en"));
  anna.session().unlock(QString::fromLatin1(kPassphrase));
  ASSERT_TRUE(Harness::WaitFor(
      [&] {
        return anna.session().stage() == Session::Main &&
               anna.session().trustPersons()->count() == 1;  // Bram, not Anna
      },
      30000))
      << anna.session().error().toStdString();

  // The employee, joined without the window, writes to Anna.
  Session::Options emp_options = Options("emp");
  {
    auto joined = client::App::Join(emp_options.profile_dir, kPassphrase,
                                    client::ConnectionSettings{},
                                    org_.access_code(), "", emp_options.app);
    ASSERT_TRUE(joined.ok()) << joined.status();
  }
  Harness emp(emp_options, QStringLiteral("en"));
  emp.session().unlock(QString::fromLatin1(kPassphrase));
  ASSERT_TRUE(Harness::WaitFor(
      [&] {
        return emp.session().stage() == Session::Main &&
               emp.session().trustPersons()->count() == 2;
      },
      30000));
  std::string anna_id;
  for (int i = 0; i < emp.session().trustPersons()->count(); ++i) {
    if (emp.session().trustPersons()->NameAt(i) ==
        QStringLiteral("Anna de Vries")) {
      anna_id = emp.session().trustPersons()->IdAt(i);
    }
  }
  ASSERT_EQ(anna_id.size(), 16u);
  const QString secret_words = QStringLiteral("Het gaat over mijn teamleider.");
  emp.session().startCase(QString::fromStdString(base::HexEncode(anna_id)),
                          secret_words);
  ASSERT_TRUE(
      Harness::WaitFor([&] { return anna.session().cases()->count() == 1; }));
  ASSERT_TRUE(Harness::WaitFor([&] { return notifications.shown() >= 1; }));
  EXPECT_EQ(notifications.last(), QStringLiteral("New message"));

  // Anna proposes Bram; the employee consents in the window.
  ASSERT_TRUE(anna.Click(QStringLiteral("caseItem")));
  ASSERT_TRUE(
      Harness::WaitFor([&] { return anna.session().currentCase()->active(); }));
  const QString bram_id = anna.session()
                              .trustPersons()
                              ->data(anna.session().trustPersons()->index(0),
                                     TrustPersonModel::IdRole)
                              .toString();
  anna.session().currentCase()->proposeHandover(bram_id, 1, QString());
  ASSERT_TRUE(Harness::WaitFor([&] {
    return emp.session().currentCase()->handoverState() ==
           QStringLiteral("pending");
  }));
  Harness::Settle();
  ASSERT_TRUE(emp.Click(QStringLiteral("consentHandover")));
  // The employee is now in the new case with Bram, the message forwarded.
  ASSERT_TRUE(Harness::WaitFor([&] {
    return emp.session().currentCase()->title() ==
               QStringLiteral("Bram Jansen") &&
           emp.session().currentCase()->conversation()->count() == 2;
  })) << emp.session().currentCase()->title().toStdString()
      << " " << emp.session().currentCase()->error().toStdString();
  EXPECT_EQ(emp.session()
                .currentCase()
                ->conversation()
                ->entries()[1]
                .event->forwarded()
                .body(),
            secret_words.toStdString());
  // Anna's case closes, and says so.
  ASSERT_TRUE(Harness::WaitFor([&] {
    return anna.session().currentCase()->handoverState() ==
               QStringLiteral("consented") &&
           anna.session().currentCase()->closed();
  }));
}

}  // namespace
}  // namespace confidant::desktop::testing

int main(int argc, char** argv) {
  confidant::desktop::testing::UseOffscreenPlatform();
  QGuiApplication app(argc, argv);
  QGuiApplication::setOrganizationName(QStringLiteral("confidant-tests"));
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
