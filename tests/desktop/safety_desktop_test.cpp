// A changed safety number in the trust person's window, against the real
// relay: the employee's account gets a new identity key (a reinstall); the
// window warns, the composer is blocked, what came is held, and after the
// new number is accepted the held message shows and writing works again.
#include <QGuiApplication>
#include <QQuickItem>
#include <memory>
#include <string>

#include "base/hex.h"
#include "client/app/app.h"
#include "gtest/gtest.h"
#include "tests/client/identity_fixture.h"
#include "tests/client/messenger_fixture.h"
#include "tests/desktop/harness.h"

namespace confidant::desktop::testing {
namespace {

using client::messenger_testing::Installation;
using client::messenger_testing::MessengerTest;
using client::messenger_testing::Party;
using client::messenger_testing::Reinstall;

class SafetyDesktopTest : public MessengerTest {};

TEST_F(SafetyDesktopTest, AChangedNumberBlocksSendingUntilAccepted) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_TRUE(tp && emp);
  absl::StatusOr<std::string> case_id =
      emp->messenger->OpenCase(tp->id(), "eerste bericht", t0_);
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  ASSERT_EQ(tp->Sync(t0_).received, 1);
  ASSERT_EQ(emp->Sync(t0_).receipts, 1);
  const std::string tp_id = tp->id();
  tp.reset();  // the window opens the profile

  // The employee's account reinstalls and writes with the new key.
  std::unique_ptr<Installation> again = Reinstall(*emp, tp_id, t0_);
  ASSERT_TRUE(emp->transport
                  ->Send(tp_id, again->Text(tp_id, *case_id,
                                            "na herinstallatie", '\x41'))
                  .ok());

  std::unique_ptr<Party> window_party = NewParty("trust_person");
  Session::Options o;
  o.profile_dir = window_party->profile_dir;
  o.app = window_party->Options();
  // The window runs on real time, as the app does: its retries are timed.
  o.app.clock = nullptr;
  Harness h(o, QStringLiteral("en"));
  h.session().unlock(
      QString::fromLatin1(client::messenger_testing::kPassphrase));
  ASSERT_TRUE(Harness::WaitFor(
      [&] {
        return h.session().stage() == Session::Main &&
               h.session().cases()->count() == 1;
      },
      30000))
      << h.session().error().toStdString();
  h.session().openCase(QString::fromStdString(base::HexEncode(*case_id)));
  CaseController& kase = *h.session().currentCase();
  ASSERT_TRUE(Harness::WaitFor([&] { return kase.safetyChanged(); }))
      << "the window never learned of the new key";
  Harness::Settle();
  EXPECT_TRUE(h.Item(QStringLiteral("safetyWarning"))->isVisible());
  // Held, not shown: only the first message is in the conversation.
  EXPECT_EQ(kase.conversation()->count(), 1);
  // The composer is blocked: typing is refused and Send does nothing.
  QObject* draft = h.Find(QStringLiteral("messageField"));
  ASSERT_NE(draft, nullptr);
  EXPECT_FALSE(draft->property("enabled").toBool());
  ASSERT_TRUE(h.Type(QStringLiteral("messageField"), QStringLiteral("hallo")));
  EXPECT_FALSE(h.Item(QStringLiteral("sendButton"))->isEnabled());
  EXPECT_FALSE(h.Click(QStringLiteral("sendButton")));
  EXPECT_EQ(h.session().queued(), 0);

  // Compared and accepted in the dialog: the held message shows, and
  // writing works again.
  ASSERT_TRUE(h.Click(QStringLiteral("safetyNumberButton")));
  Harness::Settle(300);
  ASSERT_TRUE(h.Click(QStringLiteral("acceptSafetyNumber")));
  ASSERT_TRUE(Harness::WaitFor([&] {
    return !kase.safetyChanged() && kase.conversation()->count() == 2;
  })) << kase.error().toStdString();
  EXPECT_EQ(kase.conversation()->entries()[1].body, "na herinstallatie");
  Harness::Settle(300);
  EXPECT_FALSE(h.Item(QStringLiteral("safetyWarning"))->isVisible());
  EXPECT_TRUE(draft->property("enabled").toBool());
  ASSERT_TRUE(h.Type(QStringLiteral("messageField"), QStringLiteral("Fijn.")));
  EXPECT_TRUE(h.Click(QStringLiteral("sendButton")));
  ASSERT_TRUE(Harness::WaitFor([&] {
    return kase.conversation()->count() == 3 &&
           kase.conversation()->entries()[2].delivery !=
               client::DeliveryState::kQueued;
  })) << kase.conversation()->count()
      << " "
      << (kase.conversation()->count() == 3
              ? static_cast<int>(kase.conversation()->entries()[2].delivery)
              : -1)
      << " " << kase.error().toStdString() << " "
      << h.session().error().toStdString() << " connection "
      << h.session().connection() << " queued " << h.session().queued();
}

}  // namespace
}  // namespace confidant::desktop::testing

int main(int argc, char** argv) {
  confidant::desktop::testing::UseOffscreenPlatform();
  QGuiApplication app(argc, argv);
  QGuiApplication::setOrganizationName(
      QStringLiteral("confidant-tests-safety"));
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
