// The desktop app's root object for QML: which screen to show (first run,
// unlock, the app), the profile's App (client/app/app.h) once unlocked, the
// connection as the user should see it, locking (by hand, on idle, and the
// quick exit), and the models the screens show. It only adapts: every rule
// lives in client/app/.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_SESSION_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_SESSION_H_

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVariantList>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/app/app.h"
#include "client/desktop/src/case_controller.h"
#include "client/desktop/src/case_list_model.h"
#include "client/desktop/src/due_model.h"
#include "client/desktop/src/notifier.h"
#include "client/desktop/src/observer_bridge.h"
#include "client/desktop/src/report_controller.h"
#include "client/desktop/src/trust_person_model.h"
#include "client/desktop/src/worker.h"

namespace confidant::desktop {

class Session : public QObject {
  Q_OBJECT
  Q_PROPERTY(Stage stage READ stage NOTIFY stageChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(QString error READ error NOTIFY errorChanged)
  Q_PROPERTY(bool trustPerson READ trustPerson NOTIFY stageChanged)
  Q_PROPERTY(QString organisationName READ organisationName NOTIFY stageChanged)
  Q_PROPERTY(int connection READ connection NOTIFY connectionChanged)
  Q_PROPERTY(int queued READ queued NOTIFY connectionChanged)
  Q_PROPERTY(int retrySeconds READ retrySeconds NOTIFY connectionChanged)
  Q_PROPERTY(QString relay READ relay NOTIFY settingsChanged)
  Q_PROPERTY(QString tlsCa READ tlsCa NOTIFY settingsChanged)
  Q_PROPERTY(QString proxy READ proxy NOTIFY settingsChanged)
  Q_PROPERTY(int lockMinutes READ lockMinutes WRITE setLockMinutes NOTIFY
                 settingsChanged)
  Q_PROPERTY(CaseListModel* cases READ cases CONSTANT)
  Q_PROPERTY(TrustPersonModel* trustPersons READ trustPersons CONSTANT)
  Q_PROPERTY(CaseController* currentCase READ currentCase CONSTANT)
  Q_PROPERTY(DueModel* due READ due CONSTANT)
  Q_PROPERTY(ReportController* reports READ reports CONSTANT)

 public:
  enum Stage { Welcome, Unlock, Main };
  Q_ENUM(Stage)
  enum Connection { Offline, Connecting, Connected };
  Q_ENUM(Connection)

  struct Options {
    std::string profile_dir;
    client::AppOptions app;        // clock, transport, Argon2id, relay override
    Notifier* notifier = nullptr;  // none: no notifications
    // Tests: the idle time before locking, instead of the minutes setting.
    std::optional<int> idle_lock_ms;
  };

  explicit Session(Options options, QObject* parent = nullptr);
  ~Session() override;

  Stage stage() const { return stage_; }
  bool busy() const { return busy_; }
  QString error() const { return error_; }
  bool trustPerson() const;
  QString organisationName() const;
  int connection() const { return connection_; }
  int queued() const { return queued_; }
  int retrySeconds() const { return retry_seconds_; }
  QString relay() const;
  QString tlsCa() const;
  QString proxy() const;
  int lockMinutes() const { return lock_minutes_; }
  void setLockMinutes(int minutes);
  CaseListModel* cases() { return &cases_; }
  TrustPersonModel* trustPersons() { return &trust_persons_; }
  CaseController* currentCase() { return &current_case_; }
  DueModel* due() { return &due_; }
  ReportController* reports() { return &reports_; }
  // The report preview's page images, for the window's image provider.
  std::shared_ptr<const PreviewPages> preview_pages() const {
    return preview_pages_;
  }

  // The App, once unlocked (for tests and the other controllers).
  client::App* app() { return app_.get(); }

  // First run and unlocking; each runs off the window's thread and leaves
  // `error` set in words when it fails.
  Q_INVOKABLE void unlock(const QString& passphrase);
  Q_INVOKABLE void join(const QString& access_code, const QString& passphrase,
                        const QString& relay, const QString& relay_key);
  Q_INVOKABLE void enroll(const QString& invite_code, const QString& name,
                          bool external, const QString& languages,
                          const QString& intro, const QString& passphrase,
                          const QString& relay, const QString& relay_key);
  // 0 (weak) to 4 (strong), and whether it is accepted at all.
  Q_INVOKABLE int passphraseStrength(const QString& passphrase) const;
  Q_INVOKABLE bool passphraseAccepted(const QString& passphrase) const;

  // Locks: the App closes (the profile's keys leave memory) and the unlock
  // screen shows. The quick exit hides the window at once first.
  Q_INVOKABLE void lock();
  Q_INVOKABLE void quickExit();
  // Any keyboard or mouse use (the idle timer starts again).
  Q_INVOKABLE void userActive();

  // Connection settings, used from the next unlock.
  Q_INVOKABLE void saveSettings(const QString& relay, const QString& tls_ca,
                                const QString& proxy);
  Q_INVOKABLE void clearError();

  // Employee: starts a case with a trust person (hex id).
  Q_INVOKABLE void startCase(const QString& trust_person_id,
                             const QString& first_message);
  Q_INVOKABLE void openCase(const QString& case_id_hex);
  Q_INVOKABLE void refreshTrustPersons();
  // Trust person: gathers the deadlines again (also done on every change
  // while the due view is shown).
  Q_INVOKABLE void refreshDue();

 Q_SIGNALS:
  void stageChanged();
  void busyChanged();
  void errorChanged();
  void connectionChanged();
  void settingsChanged();
  // The window must hide at once (quick exit).
  void hideRequested();
  // A case was opened (or started) and is now currentCase.
  void caseOpened();

 private:
  // Unlocking, joining and enrolling: `open` runs off the window's thread
  // with the passphrase (wiped afterwards), and the App it returns is
  // adopted, or its error shown.
  using OpenFn = std::function<absl::StatusOr<std::unique_ptr<client::App>>(
      std::string_view passphrase)>;
  void Open(const QString& passphrase, OpenFn open);
  // A new profile needs a strong passphrase; the reason shows otherwise.
  bool NewProfileAllowed(const QString& passphrase);
  client::ConnectionSettings SettingsFor(const QString& relay) const;
  void SetBusy(bool busy);
  void SetError(const absl::Status& status);
  void SetStage(Stage stage);
  // The App is open: observers, live threads, models.
  void Adopt(std::unique_ptr<client::App> app);
  void OnConnection(const client::ConnectionStatus& status);
  void OnMessage(const std::string& case_id, const client::CaseMessage& m,
                 bool new_case);
  void RestartIdleTimer();
  // Gathers the inbox again off the window's thread.
  void RefreshCases();

  Options options_;
  Worker worker_;
  std::unique_ptr<client::App> app_;
  ObserverBridge bridge_;
  CaseListModel cases_;
  TrustPersonModel trust_persons_;
  CaseController current_case_;
  DueModel due_;
  std::shared_ptr<PreviewPages> preview_pages_ =
      std::make_shared<PreviewPages>();
  ReportController reports_;
  QTimer idle_;
  Stage stage_ = Welcome;
  bool busy_ = false;
  QString error_;
  int connection_ = Offline;
  int queued_ = 0;
  int retry_seconds_ = 0;
  int lock_minutes_ = 10;
  bool refreshing_ = false;
  bool refresh_again_ = false;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_SESSION_H_
