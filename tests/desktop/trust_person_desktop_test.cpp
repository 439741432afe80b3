// The trust person's case work through the window, in Dutch, against the
// real relay: the due view and its keyboard use, proposing times with the
// calendar, the invoicing details refused and then accepted, the invoice
// and the yearly report previewed and saved (an invoice's number used once),
// the idle lock, a damaged profile, and what failures say in Dutch.
#include <QDate>
#include <QDateTime>
#include <QFile>
#include <QGuiApplication>
#include <QTime>
#include <QUrl>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/hex.h"
#include "client/app/app.h"
#include "client/desktop/src/user_text.h"
#include "client/internal/profile_database.h"
#include "gtest/gtest.h"
#include "rocksdb/status.h"
#include "tests/desktop/desktop_fixture.h"
#include "tests/desktop/harness.h"

namespace confidant::desktop::testing {
namespace {

class TrustPersonDesktopTest : public DesktopFixture {
 protected:
  // An employee writes to the trust person; the trust person's profile
  // registers the case as a whistleblower report with an hour of work.
  void SetUpCase() {
    ASSERT_NO_FATAL_FAILURE(EnrollTrustPerson("tp"));
    employee_ = JoinEmployee("emp");
    ASSERT_NE(employee_, nullptr);
    auto people = employee_->TrustPersons("");
    ASSERT_TRUE(people.ok()) << people.status();
    ASSERT_EQ(people->trust_persons.size(), 1u);
    auto case_id = employee_->OpenCase(people->trust_persons[0].account_id,
                                       "Ik zag iets dat niet klopt.");
    ASSERT_TRUE(case_id.ok()) << case_id.status();
    case_id_ = *case_id;
    ASSERT_TRUE(employee_->SendQueued().ok());

    Session::Options o = Options("tp");
    auto tp = client::App::Open(o.profile_dir, kPassphrase, o.app);
    ASSERT_TRUE(tp.ok()) << tp.status();
    ASSERT_TRUE((*tp)->SyncOnce().ok());
    client::CaseFileUpdate update;
    update.support = std::vector<client::v1::CaseFile::Support>{
        client::v1::CaseFile::WHISTLEBLOWER_REPORT};
    update.conversations = 1;
    update.add_minutes = 60;
    auto file = (*tp)->UpdateCaseFile(case_id_, update);
    ASSERT_TRUE(file.ok()) << file.status();
    number_ = file->number();
  }

  // The trust person's window, unlocked, with the case in the inbox.
  std::unique_ptr<Harness> Unlock(Session::Options o) {
    auto h = std::make_unique<Harness>(o, QStringLiteral("nl"));
    h->session().unlock(QString::fromLatin1(kPassphrase));
    EXPECT_TRUE(Harness::WaitFor(
        [&] {
          return h->session().stage() == Session::Main &&
                 h->session().cases()->count() == 1;
        },
        30000))
        << h->session().error().toStdString();
    Harness::Settle();
    return h;
  }

  QString CaseHex() const {
    return QString::fromStdString(base::HexEncode(case_id_));
  }
  static int Tab(Harness& h) {
    return h.Find(QStringLiteral("trustPersonTabs"))
        ->property("currentIndex")
        .toInt();
  }

  std::unique_ptr<client::App> employee_;
  std::string case_id_;
  std::string number_;
};

TEST_F(TrustPersonDesktopTest, DueViewAndProposingTimesByKeyboardAndMouse) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  std::unique_ptr<Harness> tp = Unlock(Options("tp"));
  Harness& h = *tp;

  // Ctrl+2 shows the deadlines: the acknowledgement within 7 days and the
  // feedback within 3 months of it, in Dutch.
  h.Key(Qt::Key_2, Qt::ControlModifier);
  EXPECT_EQ(Tab(h), 1);
  ASSERT_TRUE(Harness::WaitFor([&] { return h.session().due()->count() == 2; }))
      << h.session().error().toStdString();
  DueModel& due = *h.session().due();
  EXPECT_EQ(due.data(due.index(0), DueModel::NumberRole).toString(),
            QString::fromStdString(number_));
  EXPECT_EQ(due.data(due.index(0), DueModel::WhatRole).toString(),
            QStringLiteral("Ontvangstbevestiging"));
  EXPECT_EQ(due.data(due.index(0), DueModel::WhenRole).toString(),
            QStringLiteral("over 7 dagen"));
  EXPECT_EQ(due.data(due.index(1), DueModel::WhatRole).toString(),
            QStringLiteral("Terugkoppeling aan de melder"));
  EXPECT_EQ(Text(h, "dueTab"), QStringLiteral("Termijnen"));

  // The list by keyboard: Enter on a row opens its case among the cases.
  QQuickItem* list = h.Item(QStringLiteral("dueList"));
  ASSERT_NE(list, nullptr);
  list->forceActiveFocus();
  h.Key(Qt::Key_Down);
  h.Key(Qt::Key_Return);
  EXPECT_EQ(Tab(h), 0);
  EXPECT_EQ(h.session().currentCase()->caseId(), CaseHex());

  // Proposing two times: the calendar's second day is one further on, both
  // at 10:00 local time.
  ASSERT_TRUE(h.Click(QStringLiteral("proposeAppointmentButton")));
  ASSERT_TRUE(h.Click(QStringLiteral("addSlotButton")));
  ASSERT_TRUE(h.Click(QStringLiteral("appointmentPropose")));
  ASSERT_TRUE(Harness::WaitFor([&] {
    (void)employee_->SyncOnce();
    auto state = employee_->Appointment(case_id_);
    return state.ok() && state->proposed;
  })) << h.session().currentCase()->error().toStdString();
  auto state = employee_->Appointment(case_id_);
  ASSERT_EQ(state->proposal.slots_size(), 2);
  for (int i = 0; i < 2; ++i) {
    const QDateTime expected(QDate::currentDate().addDays(2 + i), QTime(10, 0));
    EXPECT_EQ(state->proposal.slots(i).start_unix(),
              expected.toSecsSinceEpoch())
        << "slot " << i;
    EXPECT_EQ(state->proposal.slots(i).duration_minutes(), 45u);
  }

  // In the inbox too, Enter opens the row the arrow keys are on.
  h.session().openCase(QString());
  QQuickItem* cases = h.Item(QStringLiteral("caseList"));
  ASSERT_NE(cases, nullptr);
  cases->forceActiveFocus();
  h.Key(Qt::Key_Down);
  h.Key(Qt::Key_Return);
  EXPECT_EQ(h.session().currentCase()->caseId(), CaseHex());
}

TEST_F(TrustPersonDesktopTest, InvoiceAndReportPreviewedAndSaved) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  std::unique_ptr<Harness> tp = Unlock(Options("tp"));
  Harness& h = *tp;
  ReportController& reports = *h.session().reports();
  h.Key(Qt::Key_3, Qt::ControlModifier);
  ASSERT_EQ(Tab(h), 2);
  h.Find(QStringLiteral("documentKind"))->setProperty("currentIndex", 1);
  Harness::Settle();

  // Without invoicing details the invoice says what is missing.
  ASSERT_TRUE(h.Click(QStringLiteral("previewButton")));
  ASSERT_TRUE(Harness::WaitFor([&] { return !reports.busy(); }));
  EXPECT_EQ(reports.error(),
            QStringLiteral("Vul eerst je naam in bij Factuurgegevens."));

  // A wrong IBAN is refused in words and the dialog stays open; then the
  // details are saved.
  ASSERT_TRUE(h.Click(QStringLiteral("invoicingButton")));
  Harness::Settle();
  ASSERT_TRUE(
      h.Type(QStringLiteral("invoicingName"), QStringLiteral("Anna de Vries")));
  ASSERT_TRUE(h.Type(QStringLiteral("invoicingAddress"),
                     QStringLiteral("Keizersgracht 123\n1015 CJ Amsterdam")));
  ASSERT_TRUE(
      h.Type(QStringLiteral("invoicingKvk"), QStringLiteral("12345678")));
  ASSERT_TRUE(
      h.Type(QStringLiteral("invoicingVat"), QStringLiteral("NL123456789B01")));
  ASSERT_TRUE(h.Type(QStringLiteral("invoicingIban"),
                     QStringLiteral("NL91 ABNA 0417 1643 01")));
  ASSERT_TRUE(h.Type(QStringLiteral("invoicingRate"), QStringLiteral("95,50")));
  ASSERT_TRUE(h.Click(QStringLiteral("invoicingSave")));
  Harness::Settle(300);
  EXPECT_TRUE(
      h.Find(QStringLiteral("invoicingDialog"))->property("visible").toBool());
  EXPECT_EQ(Text(h, "invoicingError"),
            QStringLiteral("De IBAN klopt niet. Kijk bij Factuurgegevens."));
  ASSERT_TRUE(h.Type(QStringLiteral("invoicingIban"),
                     QStringLiteral("NL91 ABNA 0417 1643 00")));
  ASSERT_TRUE(h.Click(QStringLiteral("invoicingSave")));
  Harness::Settle(300);
  EXPECT_FALSE(
      h.Find(QStringLiteral("invoicingDialog"))->property("visible").toBool())
      << reports.error().toStdString();

  // The preview shows the number the invoice will get: one case, an hour
  // at EUR 95.50 with 21% VAT.
  const QString year = QString::number(QDate::currentDate().year());
  ASSERT_TRUE(h.Click(QStringLiteral("previewButton")));
  ASSERT_TRUE(Harness::WaitFor([&] { return reports.pageCount() == 1; }))
      << reports.error().toStdString();
  EXPECT_EQ(
      reports.summary(),
      QStringLiteral("Factuur %1-001: 1 zaak, totaal € 115,56").arg(year));
  Harness::Settle(300);
  QObject* page = h.Find(QStringLiteral("previewPage"));
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page->property("status").toInt(), 1);  // Image.Ready
  EXPECT_GT(page->property("sourceSize").toSize().width(), 800);

  // Saved as PDF and then as CSV: the same number, used once.
  const std::string pdf = dir_.path() + "/factuur.pdf";
  const std::string csv = dir_.path() + "/factuur.csv";
  reports.save(QUrl::fromLocalFile(QString::fromStdString(pdf)), false);
  ASSERT_TRUE(Harness::WaitFor([&] { return !reports.busy(); }));
  EXPECT_EQ(reports.savedTo(), QString::fromStdString(pdf));
  reports.save(QUrl::fromLocalFile(QString::fromStdString(csv)), true);
  ASSERT_TRUE(Harness::WaitFor(
      [&] { return reports.savedTo() == QString::fromStdString(csv); }));
  std::string pdf_bytes = ::confidant::testing::ReadFileOrDie(pdf);
  EXPECT_EQ(pdf_bytes.substr(0, 5), "%PDF-");
  const std::string csv_bytes = ::confidant::testing::ReadFileOrDie(csv);
  EXPECT_NE(csv_bytes.find((year + "-001").toStdString()), std::string::npos)
      << csv_bytes;
  // The next preview has the next number.
  ASSERT_TRUE(h.Click(QStringLiteral("previewButton")));
  ASSERT_TRUE(Harness::WaitFor([&] {
    return !reports.busy() && reports.summary().contains(year + "-002");
  })) << reports.summary().toStdString();

  // A saving that fails says so and loses nothing.
  reports.save(QUrl::fromLocalFile(QStringLiteral("/nonexistent/dir/x.pdf")),
               false);
  ASSERT_TRUE(Harness::WaitFor([&] { return !reports.busy(); }));
  EXPECT_FALSE(reports.error().isEmpty());

  // The yearly report, previewed and saved as PDF.
  h.Find(QStringLiteral("documentKind"))->setProperty("currentIndex", 0);
  Harness::Settle();
  ASSERT_TRUE(h.Type(QStringLiteral("reportTrends"),
                     QStringLiteral("Meer meldingen over werkdruk.")));
  const int before = reports.generation();
  ASSERT_TRUE(h.Click(QStringLiteral("previewButton")));
  ASSERT_TRUE(Harness::WaitFor([&] { return reports.generation() > before; }))
      << reports.error().toStdString();
  EXPECT_GE(reports.pageCount(), 2);
  EXPECT_EQ(reports.summary(), QStringLiteral("Zaken in deze periode: <5"));
  EXPECT_TRUE(reports.suggestedName().startsWith(
      QStringLiteral("jaarverslag-%1-gemeente-voorbeeld").arg(year)))
      << reports.suggestedName().toStdString();
  const std::string report = dir_.path() + "/jaarverslag.pdf";
  reports.save(QUrl::fromLocalFile(QString::fromStdString(report)), false);
  ASSERT_TRUE(Harness::WaitFor(
      [&] { return reports.savedTo() == QString::fromStdString(report); }));
  EXPECT_EQ(::confidant::testing::ReadFileOrDie(report).substr(0, 5), "%PDF-");
}

TEST_F(TrustPersonDesktopTest, LocksWhenIdleAndADamagedProfileSaysSo) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  Session::Options o = Options("tp");
  o.idle_lock_ms = 400;
  std::unique_ptr<Harness> tp = Unlock(o);
  Harness& h = *tp;
  // Use keeps it open; idleness locks it and the keys leave memory.
  for (int i = 0; i < 6; ++i) {
    Harness::Settle(150);
    h.session().userActive();
  }
  EXPECT_EQ(h.session().stage(), Session::Main);
  ASSERT_TRUE(Harness::WaitFor(
      [&] { return h.session().stage() == Session::Unlock; }, 3000));
  EXPECT_EQ(h.session().app(), nullptr);

  // Every data file of the profile damaged: a clear sentence, no crash.
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(o.profile_dir)) {
    if (!entry.is_regular_file() || entry.file_size() < 64) continue;
    std::fstream f(entry.path(),
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(entry.file_size() / 2));
    f.write("\xde\xad\xbe\xef\xde\xad\xbe\xef", 8);
  }
  h.session().unlock(QString::fromLatin1(kPassphrase));
  ASSERT_TRUE(Harness::WaitFor([&] { return !h.session().busy(); }, 30000));
  Harness::Settle();
  EXPECT_EQ(h.session().stage(), Session::Unlock);
  EXPECT_EQ(Text(h, "unlockError"),
            QStringLiteral("Het profiel op deze computer is beschadigd of "
                           "buiten Confidant veranderd. Het kan niet veilig "
                           "worden geopend."))
      << Text(h, "unlockError").toStdString();
}

// What failures say, in Dutch: a full disk (as the profile database reports
// it), a missing relay, a garbled answer of the relay, a used invite.
TEST(DesktopWordsTest, FailuresInDutch) {
  Harness h(Session::Options{}, QStringLiteral("nl"));
  EXPECT_EQ(UserText::Error(client::internal::FromRocks(
                rocksdb::Status::NoSpace("write"), "cannot write")),
            QStringLiteral("De schijf is vol. Maak wat ruimte; niets van "
                           "wat je typte is verloren."));
  EXPECT_EQ(UserText::Error(absl::UnavailableError("connection refused")),
            QStringLiteral("De relay is nu niet bereikbaar. Je berichten "
                           "wachten veilig en gaan weg zodra hij terug is."));
  // A relay's garbled answer is not a damaged profile.
  EXPECT_EQ(UserText::Error(absl::DataLossError(
                "the relay sent a malformed certificate: version 8")),
            QStringLiteral("De relay antwoordde met iets dat niet klopt. Je "
                           "berichten wachten veilig en gaan weg zodra hij "
                           "goed antwoordt."));
  EXPECT_EQ(UserText::Error(
                absl::PermissionDeniedError("unknown or already used invite")),
            QStringLiteral("Deze uitnodigingscode is onbekend of al gebruikt. "
                           "Vraag de beheerder om een nieuwe."));
}

}  // namespace
}  // namespace confidant::desktop::testing

int main(int argc, char** argv) {
  confidant::desktop::testing::UseOffscreenPlatform();
  QGuiApplication app(argc, argv);
  QGuiApplication::setOrganizationName(QStringLiteral("confidant-tests-nl"));
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
