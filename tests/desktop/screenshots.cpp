// confidant-desktop-screenshots OUTDIR LANGUAGE: renders the main screens of
// both roles with sample conversations (an in-process fake relay) and saves
// them as OUTDIR/<LANGUAGE>-<screen>.png. The scale comes from
// QT_SCALE_FACTOR; tools/screenshots.sh runs it for nl and en at 100% and
// 200% into docs/screenshots/.
#include <QDir>
#include <QGuiApplication>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "base/hex.h"
#include "client/app/app.h"
#include "client/testing/fake_relay.h"
#include "tests/desktop/harness.h"

namespace confidant::desktop::testing {
namespace {

constexpr char kPassphrase[] = "correct horse battery staple";

struct Sample {
  bool nl;
  const char* Say(const char* dutch, const char* english) const {
    return nl ? dutch : english;
  }
};

int Run(const QString& out_dir, const QString& language) {
  const Sample say{language == QLatin1String("nl")};
  auto relay = client::FakeRelay::Create();
  if (!relay.ok()) return 1;
  auto org = (*relay)->CreateOrganisation("Gemeente Voorbeeld");
  if (!org.ok()) return 1;
  QDir().mkpath(out_dir);
  const std::string base = QDir::tempPath().toStdString() +
                           "/confidant-shots-" + language.toStdString();
  QDir(QString::fromStdString(base)).removeRecursively();

  client::AppOptions options;
  options.argon2 = {1, 8192, 1};
  options.messenger.receipt_delay_min = absl::ZeroDuration();
  options.messenger.receipt_delay_max = absl::ZeroDuration();
  options.make_transport = [&](const client::ConnectionSettings&)
      -> absl::StatusOr<std::unique_ptr<client::RelayTransport>> {
    return (*relay)->NewTransport();
  };
  auto enroll = [&](const std::string& name, bool external,
                    const std::string& intro) -> std::unique_ptr<client::App> {
    auto invite = (*relay)->CreateInvite({org->organisation.id});
    client::TrustPersonProfile p;
    p.display_name = name;
    p.affiliation = external ? client::Affiliation::kExternal
                             : client::Affiliation::kInternal;
    p.languages = {"nl", "en"};
    p.intro = intro;
    auto app = client::App::Enroll(base + "/" + name, kPassphrase, {}, *invite,
                                   p, (*relay)->RootFingerprint(), options);
    if (!app.ok()) {
      std::fprintf(stderr, "%s\n", app.status().ToString().c_str());
      return nullptr;
    }
    return *std::move(app);
  };
  auto join = [&](const std::string& name) -> std::unique_ptr<client::App> {
    auto app =
        client::App::Join(base + "/" + name, kPassphrase, {}, org->access_code,
                          (*relay)->RootFingerprint(), options);
    return app.ok() ? *std::move(app) : nullptr;
  };

  std::unique_ptr<client::App> anna = enroll(
      "Anna de Vries", true,
      say.Say("Externe vertrouwenspersoon sinds 2015. Bel of schrijf gerust, "
              "ook als je twijfelt of iets 'erg genoeg' is.",
              "External trust person since 2015. Write or call, also when "
              "you doubt whether something is 'bad enough'."));
  std::unique_ptr<client::App> bram =
      enroll("Bram Jansen", false,
             say.Say("Interne vertrouwenspersoon, afdeling Financiën.",
                     "Internal trust person, finance department."));
  std::unique_ptr<client::App> emp = join("employee");
  std::unique_ptr<client::App> other = join("other");
  if (!anna || !bram || !emp || !other) return 1;

  auto exchange = [&] {
    for (int round = 0; round < 2; ++round) {
      for (client::App* a : {emp.get(), other.get(), anna.get(), bram.get()}) {
        (void)a->SendQueued();
        (void)a->SyncOnce();
      }
    }
  };
  // The employee's conversation with Anna.
  auto c1 = emp->OpenCase(
      anna->account_id(),
      say.Say("Mijn leidinggevende maakt steeds grapjes over mijn afkomst, ook "
              "in het teamoverleg. Ik weet niet goed wat ik moet doen.",
              "My manager keeps joking about my background, also in team "
              "meetings. I don't really know what to do."));
  exchange();
  (void)anna->Send(*c1, say.Say("Goed dat je het meldt. Alles wat je mij "
                                "vertelt blijft tussen ons. Zullen we een "
                                "keer bellen?",
                                "Thank you for telling me. Everything you "
                                "tell me stays between us. Shall we talk on "
                                "the phone?"));
  (void)anna->ShareStatus(*c1, client::v1::CaseEvent::IN_PROGRESS);
  std::vector<client::v1::CaseEvent::Slot> slots(2);
  slots[0].set_start_unix(absl::ToUnixSeconds(absl::Now() + absl::Hours(50)));
  slots[0].set_duration_minutes(45);
  slots[0].set_mode(client::v1::CaseEvent::PHONE);
  slots[1].set_start_unix(absl::ToUnixSeconds(absl::Now() + absl::Hours(74)));
  slots[1].set_duration_minutes(60);
  slots[1].set_mode(client::v1::CaseEvent::ON_LOCATION);
  slots[1].set_place(say.Say("Stadhuis, kamer 2.14", "Town hall, room 2.14"));
  (void)anna->ProposeAppointment(*c1, slots);
  exchange();
  // Another employee's whistleblower report, and a hand-over in a second
  // case of the employee.
  auto c2 = other->OpenCase(
      anna->account_id(),
      say.Say("Ik heb gezien dat facturen dubbel worden betaald aan een "
              "bedrijf van een collega.",
              "I have seen invoices paid twice to a colleague's company."));
  auto c3 = emp->OpenCase(bram->account_id(),
                          say.Say("Mag ik je iets vragen over een collega?",
                                  "May I ask you something about a "
                                  "colleague?"));
  exchange();
  client::CaseFileUpdate wb;
  wb.support = std::vector<client::v1::CaseFile::Support>{
      client::v1::CaseFile::WHISTLEBLOWER_REPORT};
  wb.categories = std::vector<std::string>{"integriteit"};
  (void)anna->UpdateCaseFile(*c2, wb);
  client::CaseFileUpdate first;
  first.categories = std::vector<std::string>{"discriminatie"};
  first.status = client::v1::CaseFile::IN_PROGRESS;
  first.reporter_role = client::v1::CaseFile::EMPLOYEE;
  first.conversations = 1;
  first.add_minutes = 30;
  (void)anna->UpdateCaseFile(*c1, first);
  (void)anna->AddNote(*c1, say.Say("Eerste gesprek telefonisch; melder wil "
                                   "nog geen formele klacht.",
                                   "First talk by phone; the reporter does "
                                   "not want a formal complaint yet."));
  (void)bram->ProposeHandover(*c3, anna->account_id(),
                              client::v1::CaseEvent::CONFLICT_OF_INTEREST,
                              say.Say("Ik ken de collega persoonlijk.",
                                      "I know the colleague personally."));
  exchange();
  emp.reset();
  anna.reset();

  const QString prefix =
      out_dir + QLatin1Char('/') + language + QLatin1Char('-');
  auto shot = [&](Harness& h, const char* name) {
    if (!h.Save(prefix + QLatin1String(name) + QStringLiteral(".png"))) {
      std::fprintf(stderr, "could not save %s\n", name);
    }
  };

  // First run.
  {
    Session::Options o;
    o.profile_dir = base + "/new";
    o.app = options;
    Harness h(o, language);
    shot(h, "01-welcome");
    h.Click(QStringLiteral("iAmEmployee"));
    h.Type(QStringLiteral("accessCodeField"),
           QString::fromStdString(org->access_code));
    shot(h, "02-join");
    h.Click(QStringLiteral("iAmTrustPerson"));
  }
  {
    Session::Options o;
    o.profile_dir = base + "/new";
    o.app = options;
    Harness h(o, language);
    h.Click(QStringLiteral("iAmTrustPerson"));
    shot(h, "03-enroll");
  }
  // The employee.
  {
    Session::Options o;
    o.profile_dir = base + "/employee";
    o.app = options;
    Harness h(o, language);
    shot(h, "04-unlock");
    h.session().unlock(QString::fromLatin1(kPassphrase));
    Harness::WaitFor([&] {
      return h.session().stage() == Session::Main &&
             h.session().trustPersons()->count() == 2 &&
             h.session().cases()->count() == 2;
    });
    Harness::Settle(300);
    shot(h, "05-employee-home");
    h.session().openCase(QString::fromStdString(base::HexEncode(*c1)));
    Harness::WaitFor([&] {
      return h.session().currentCase()->conversation()->count() >= 4;
    });
    Harness::Settle(300);
    shot(h, "06-employee-conversation");
    h.Click(QStringLiteral("safetyNumberButton"));
    Harness::Settle(300);
    shot(h, "07-safety-number");
    h.Click(QStringLiteral("closeSafetyNumber"));
    h.session().openCase(QString::fromStdString(base::HexEncode(*c3)));
    Harness::WaitFor([&] {
      return h.session().currentCase()->handoverState() ==
             QLatin1String("pending");
    });
    Harness::Settle(300);
    shot(h, "08-employee-handover");
  }
  // The trust person.
  {
    Session::Options o;
    o.profile_dir = base + "/Anna de Vries";
    o.app = options;
    Harness h(o, language);
    h.session().unlock(QString::fromLatin1(kPassphrase));
    Harness::WaitFor([&] {
      return h.session().stage() == Session::Main &&
             h.session().cases()->count() == 2;
    });
    Harness::Settle(300);
    shot(h, "09-inbox");
    h.session().openCase(QString::fromStdString(base::HexEncode(*c1)));
    Harness::WaitFor([&] {
      return h.session().currentCase()->conversation()->count() >= 4;
    });
    Harness::Settle(300);
    shot(h, "10-case-view");
    h.Click(QStringLiteral("settingsButton"));
    Harness::Settle(300);
    shot(h, "11-settings");
    h.Key(Qt::Key_Escape);
    h.Click(QStringLiteral("proposeAppointmentButton"));
    h.Click(QStringLiteral("addSlotButton"));
    Harness::Settle(300);
    shot(h, "12-appointment");
    h.Click(QStringLiteral("datePicker"));
    Harness::Settle(300);
    shot(h, "13-calendar");
    h.Key(Qt::Key_Escape);  // the calendar
    h.Key(Qt::Key_Escape);  // the dialog
    h.Click(QStringLiteral("dueTab"));
    Harness::WaitFor([&] { return h.session().due()->count() >= 1; });
    Harness::Settle(300);
    shot(h, "14-due");
    h.Click(QStringLiteral("reportsTab"));
    h.Type(QStringLiteral("reportTrends"),
           QString::fromUtf8(say.Say(
               "Meldingen over omgangsvormen in teamoverleggen vragen "
               "aandacht van het management.",
               "Reports about conduct in team meetings need the attention "
               "of management.")));
    h.Click(QStringLiteral("previewButton"));
    Harness::WaitFor([&] { return h.session().reports()->pageCount() > 0; });
    Harness::Settle(500);
    shot(h, "15-report-preview");
    client::v1::CaseworkSettings settings =
        *h.session().app()->CaseworkSettings();
    client::v1::Invoicing* inv = settings.mutable_invoicing();
    inv->set_name("Anna de Vries");
    inv->set_practice("De Vries Vertrouwenszaken");
    inv->add_address_lines("Keizersgracht 123");
    inv->add_address_lines("1015 CJ Amsterdam");
    inv->set_kvk_number("12345678");
    inv->set_vat_number("NL123456789B01");
    inv->set_iban("NL91 ABNA 0417 1643 00");
    inv->set_hourly_rate_cents(9500);
    (void)h.session().app()->SaveCaseworkSettings(settings);
    h.Find(QStringLiteral("documentKind"))->setProperty("currentIndex", 1);
    const int before = h.session().reports()->generation();
    h.Click(QStringLiteral("previewButton"));
    Harness::WaitFor(
        [&] { return h.session().reports()->generation() > before; });
    Harness::Settle(500);
    shot(h, "16-invoice-preview");
    h.Click(QStringLiteral("invoicingButton"));
    Harness::Settle(300);
    shot(h, "17-invoicing-details");
  }
  return 0;
}

}  // namespace
}  // namespace confidant::desktop::testing

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s OUTDIR nl|en\n", argv[0]);
    return 2;
  }
  confidant::desktop::testing::UseOffscreenPlatform();
  QGuiApplication app(argc, argv);
  QGuiApplication::setOrganizationName(QStringLiteral("confidant-screenshots"));
  return confidant::desktop::testing::Run(QString::fromLocal8Bit(argv[1]),
                                          QString::fromLocal8Bit(argv[2]));
}
