#include "client/desktop/src/session.h"

#include <QGuiApplication>
#include <QSettings>
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "base/hex.h"
#include "client/desktop/src/user_text.h"
#include "client/passphrase_policy.h"
#include "crypto/secret.h"

namespace confidant::desktop {
namespace {

constexpr char kLockMinutesKey[] = "lock_minutes";

// The passphrase in memory that is wiped when done with; the QString the
// field held is Qt's to keep.
crypto::SecretBytes Secret(const QString& text) {
  QByteArray utf8 = text.toUtf8();
  crypto::SecretBytes out = crypto::SecretBytes::CopyOf(
      std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
  utf8.fill('\0');
  return out;
}

std::vector<std::string> Languages(const QString& list) {
  std::vector<std::string> out;
  for (const QString& code : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    out.push_back(code.trimmed().toLower().toStdString());
  }
  return out;
}

}  // namespace

Session::Session(Options options, QObject* parent)
    : QObject(parent),
      options_(std::move(options)),
      current_case_(worker_, this),
      reports_(worker_, preview_pages_, this) {
  qRegisterMetaType<std::string>();
  qRegisterMetaType<client::CaseMessage>();
  qRegisterMetaType<client::DeliveryState>();
  qRegisterMetaType<client::ConnectionStatus>();
  qRegisterMetaType<absl::Status>();
  stage_ = client::App::ProfileExists(options_.profile_dir) ? Unlock : Welcome;
  lock_minutes_ = QSettings().value(kLockMinutesKey, 10).toInt();
  idle_.setSingleShot(true);
  connect(&idle_, &QTimer::timeout, this, &Session::lock);
  connect(&due_, &DueModel::activeChanged, this, [this] {
    if (due_.active()) refreshDue();
  });

  connect(&bridge_, &ObserverBridge::connectionChanged, this,
          &Session::OnConnection);
  connect(&bridge_, &ObserverBridge::message, this, &Session::OnMessage);
  connect(&bridge_, &ObserverBridge::caseChanged, this,
          [this](const std::string& case_id) {
            if (case_id == current_case_.case_id()) current_case_.Reload();
            RefreshCases();
          });
  connect(&bridge_, &ObserverBridge::deliveryChanged, this,
          [this](const std::string& case_id, const std::string& message_id,
                 client::DeliveryState state) {
            if (case_id == current_case_.case_id()) {
              current_case_.OnDelivery(message_id, state);
            }
          });
  connect(&bridge_, &ObserverBridge::identityChanged, this,
          [this](const std::string&) {
            current_case_.Reload();
            RefreshCases();
          });
  connect(&bridge_, &ObserverBridge::error, this,
          [this](const absl::Status& e) { SetError(e); });
  connect(&current_case_, &CaseController::handedOverTo, this,
          [this](const QString& new_case) { openCase(new_case); });
}

Session::~Session() { lock(); }

bool Session::trustPerson() const {
  return app_ != nullptr && app_->kind() == client::AccountKind::kTrustPerson;
}

QString Session::organisationName() const {
  if (app_ == nullptr) return QString();
  QStringList names;
  for (const client::Organisation& o : app_->organisations()) {
    names << QString::fromStdString(o.name);
  }
  return names.join(QStringLiteral(", "));
}

QString Session::relay() const {
  return app_ == nullptr ? QString()
                         : QString::fromStdString(app_->settings().relay);
}
QString Session::tlsCa() const {
  return app_ == nullptr ? QString()
                         : QString::fromStdString(app_->settings().tls_ca);
}
QString Session::proxy() const {
  return app_ == nullptr ? QString()
                         : QString::fromStdString(app_->settings().proxy);
}

void Session::setLockMinutes(int minutes) {
  minutes = std::clamp(minutes, 1, 240);
  if (minutes == lock_minutes_) return;
  lock_minutes_ = minutes;
  QSettings().setValue(kLockMinutesKey, minutes);
  RestartIdleTimer();
  Q_EMIT settingsChanged();
}

void Session::SetBusy(bool busy) {
  if (busy_ == busy) return;
  busy_ = busy;
  Q_EMIT busyChanged();
}

void Session::SetError(const absl::Status& status) {
  const QString text = UserText::Error(status);
  if (text == error_) return;
  error_ = text;
  Q_EMIT errorChanged();
}

void Session::clearError() { SetError(absl::OkStatus()); }

void Session::SetStage(Stage stage) {
  if (stage_ == stage) return;
  stage_ = stage;
  Q_EMIT stageChanged();
}

void Session::unlock(const QString& passphrase) {
  if (busy_) return;
  Open(passphrase, [dir = options_.profile_dir,
                    options = options_.app](std::string_view secret) {
    return client::App::Open(dir, secret, options);
  });
}

void Session::Open(const QString& passphrase, OpenFn open) {
  SetBusy(true);
  clearError();
  worker_.Run(
      this,
      [secret = Secret(passphrase), open = std::move(open)]() mutable {
        return open(secret.view());
      },
      [this](absl::StatusOr<std::unique_ptr<client::App>> app) {
        SetBusy(false);
        if (!app.ok()) {
          SetError(app.status());
          return;
        }
        Adopt(*std::move(app));
      });
}

bool Session::NewProfileAllowed(const QString& passphrase) {
  if (busy_) return false;
  absl::Status strong =
      client::CheckPassphraseStrength(passphrase.toStdString());
  SetError(strong);
  return strong.ok();
}

client::ConnectionSettings Session::SettingsFor(const QString& relay) const {
  client::ConnectionSettings settings;
  if (!relay.trimmed().isEmpty()) {
    settings.relay = relay.trimmed().toStdString();
  }
  settings.insecure = options_.app.insecure;
  return settings;
}

void Session::join(const QString& access_code, const QString& passphrase,
                   const QString& relay, const QString& relay_key) {
  if (!NewProfileAllowed(passphrase)) return;
  Open(passphrase, [dir = options_.profile_dir, settings = SettingsFor(relay),
                    code = access_code.trimmed().toStdString(),
                    key = relay_key.trimmed().toStdString(),
                    options = options_.app](std::string_view secret) {
    return client::App::Join(dir, secret, settings, code, key, options);
  });
}

void Session::enroll(const QString& invite_code, const QString& name,
                     bool external, const QString& languages,
                     const QString& intro, const QString& passphrase,
                     const QString& relay, const QString& relay_key) {
  if (!NewProfileAllowed(passphrase)) return;
  client::TrustPersonProfile profile;
  profile.display_name = name.trimmed().toStdString();
  profile.affiliation = external ? client::Affiliation::kExternal
                                 : client::Affiliation::kInternal;
  profile.languages = Languages(languages);
  profile.intro = intro.trimmed().toStdString();
  Open(passphrase, [dir = options_.profile_dir, settings = SettingsFor(relay),
                    code = invite_code.trimmed().toStdString(), profile,
                    key = relay_key.trimmed().toStdString(),
                    options = options_.app](std::string_view secret) {
    return client::App::Enroll(dir, secret, settings, code, profile, key,
                               options);
  });
}

int Session::passphraseStrength(const QString& passphrase) const {
  const double bits = client::EstimatePassphraseBits(passphrase.toStdString());
  // 0 weak ... 3 enough (the policy's minimum) ... 4 strong.
  if (bits >= client::kMinPassphraseBits + 20) return 4;
  if (bits >= client::kMinPassphraseBits) return 3;
  if (bits >= client::kMinPassphraseBits - 15) return 2;
  if (bits >= 20) return 1;
  return 0;
}

bool Session::passphraseAccepted(const QString& passphrase) const {
  return client::CheckPassphraseStrength(passphrase.toStdString()).ok();
}

void Session::Adopt(std::unique_ptr<client::App> app) {
  app_ = std::move(app);
  app_->AddObserver(&bridge_);
  current_case_.SetApp(app_.get(), [this](const std::string& id) {
    return trust_persons_.NameOf(id);
  });
  reports_.SetApp(app_.get());
  SetStage(Main);
  Q_EMIT settingsChanged();
  app_->Start();
  RestartIdleTimer();
  refreshTrustPersons();  // cards for an employee, colleagues for a trust
                          // person
  RefreshCases();
}

void Session::lock() {
  idle_.stop();
  if (app_ != nullptr) {
    app_->Stop();
    app_->RemoveObserver(&bridge_);
  }
  // Nothing of the App may still run off the window's thread.
  worker_.Wait();
  current_case_.SetApp(nullptr, {});
  reports_.SetApp(nullptr);
  due_.Set({});
  cases_.Clear();
  trust_persons_.Set({});
  app_.reset();
  connection_ = Offline;
  queued_ = 0;
  Q_EMIT connectionChanged();
  if (stage_ == Main) SetStage(Unlock);
}

void Session::quickExit() {
  Q_EMIT hideRequested();
  lock();
}

void Session::userActive() { RestartIdleTimer(); }

void Session::RestartIdleTimer() {
  if (app_ == nullptr) return;
  idle_.start(options_.idle_lock_ms.value_or(lock_minutes_ * 60 * 1000));
}

void Session::saveSettings(const QString& relay, const QString& tls_ca,
                           const QString& proxy) {
  if (app_ == nullptr) return;
  client::ConnectionSettings s = app_->settings();
  s.relay = relay.trimmed().toStdString();
  s.tls_ca = tls_ca.trimmed().toStdString();
  s.proxy = proxy.trimmed().toStdString();
  SetError(app_->SaveSettings(s));
  Q_EMIT settingsChanged();
}

void Session::OnConnection(const client::ConnectionStatus& status) {
  connection_ = status.state == client::ConnectionState::kConnected ? Connected
                : status.state == client::ConnectionState::kConnecting
                    ? Connecting
                    : Offline;
  queued_ = static_cast<int>(status.queued);
  retry_seconds_ =
      static_cast<int>(std::ceil(absl::ToDoubleSeconds(status.retry_in)));
  Q_EMIT connectionChanged();
}

void Session::OnMessage(const std::string& case_id,
                        const client::CaseMessage& m, bool new_case) {
  if (case_id == current_case_.case_id()) current_case_.Reload();
  RefreshCases();
  // Never what or from whom: only that something came.
  if (options_.notifier != nullptr &&
      m.direction == client::Direction::kIncoming) {
    options_.notifier->Show(UserText::tr("New message"));
  }
  (void)new_case;
}

void Session::RefreshCases() {
  if (app_ == nullptr) return;
  if (refreshing_) {
    refresh_again_ = true;
    return;
  }
  refreshing_ = true;
  client::App* app = app_.get();
  // Names are looked up on the window's thread before the work starts.
  std::map<std::string, QString> names;
  for (int i = 0; i < trust_persons_.count(); ++i) {
    names.emplace(trust_persons_.IdAt(i), trust_persons_.NameAt(i));
  }
  // The deadlines are read once for both the inbox's badges and the due
  // view (whose count shows even while another tab is open).
  struct Gathered {
    std::vector<CaseListModel::Row> cases;
    std::vector<DueModel::Row> due;
  };
  worker_.Run(
      this,
      [app, names]() -> absl::StatusOr<Gathered> {
        std::vector<client::DueItem> due;
        if (app->kind() == client::AccountKind::kTrustPerson) {
          absl::StatusOr<std::vector<client::DueItem>> items = app->Due();
          if (!items.ok()) return items.status();
          due = *std::move(items);
        }
        absl::StatusOr<std::vector<CaseListModel::Row>> rows =
            CaseListModel::Gather(*app, due, [&](const std::string& id) {
              auto it = names.find(id);
              return it == names.end() ? QString() : it->second;
            });
        if (!rows.ok()) return rows.status();
        return Gathered{*std::move(rows), DueModel::Rows(due)};
      },
      [this](absl::StatusOr<Gathered> gathered) {
        refreshing_ = false;
        if (gathered.ok() && app_ != nullptr) {
          cases_.Set(std::move(gathered->cases));
          if (trustPerson()) due_.Set(std::move(gathered->due));
        } else if (!gathered.ok()) {
          SetError(gathered.status());
        }
        if (refresh_again_) {
          refresh_again_ = false;
          RefreshCases();
        }
      });
}

void Session::refreshDue() {
  if (app_ == nullptr || !trustPerson()) return;
  client::App* app = app_.get();
  worker_.Run(
      this, [app] { return app->Due(); },
      [this](absl::StatusOr<std::vector<client::DueItem>> items) {
        if (app_ == nullptr) return;
        if (!items.ok()) {
          SetError(items.status());
          return;
        }
        due_.Set(DueModel::Rows(*items));
      });
}

void Session::refreshTrustPersons() {
  if (app_ == nullptr) return;
  client::App* app = app_.get();
  worker_.Run(
      this, [app] { return app->TrustPersons(""); },
      [this](absl::StatusOr<client::TrustPersonList> list) {
        if (!list.ok()) {
          SetError(list.status());
          return;
        }
        // A trust person's colleagues, without the trust person.
        std::vector<client::DirectoryEntry> people;
        for (client::DirectoryEntry& p : list->trust_persons) {
          if (app_ != nullptr && p.account_id == app_->account_id()) continue;
          people.push_back(std::move(p));
        }
        trust_persons_.Set(std::move(people));
        RefreshCases();  // the names of the employee's cases
        current_case_.Reload();
      });
}

void Session::startCase(const QString& trust_person_id,
                        const QString& first_message) {
  if (app_ == nullptr) return;
  std::optional<std::string> id =
      base::HexDecode(trust_person_id.toStdString());
  const QString text = first_message.trimmed();
  if (!id.has_value() || text.isEmpty()) return;
  absl::StatusOr<std::string> case_id = app_->OpenCase(*id, text.toStdString());
  if (!case_id.ok()) {
    SetError(case_id.status());
    return;
  }
  clearError();
  current_case_.Show(*case_id);
  RefreshCases();
  Q_EMIT caseOpened();
}

void Session::openCase(const QString& case_id_hex) {
  if (app_ == nullptr) return;
  std::optional<std::string> id = base::HexDecode(case_id_hex.toStdString());
  if (!id.has_value()) return;
  current_case_.Show(*id);
  current_case_.markRead();
  RefreshCases();
  Q_EMIT caseOpened();
}

}  // namespace confidant::desktop
