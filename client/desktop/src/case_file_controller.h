// The trust person's registration panel of the open case: status,
// organisation, categories, reporter role, kind of support, referrals,
// outcome, conversations, time spent, the deadlines of a whistleblower
// report, and the private notes. Private to the trust person: nothing here
// is ever sent. Each change is one call of the app layer (casework.h).
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_CASE_FILE_CONTROLLER_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_CASE_FILE_CONTROLLER_H_

#include <QObject>
#include <QString>
#include <QVariantList>
#include <string>

#include "client/app/app.h"

namespace confidant::desktop {

class CaseFileController : public QObject {
  Q_OBJECT
  Q_PROPERTY(bool available READ available NOTIFY changed)
  Q_PROPERTY(QString number READ number NOTIFY changed)
  Q_PROPERTY(int status READ status NOTIFY changed)
  Q_PROPERTY(QString organisation READ organisation NOTIFY changed)
  Q_PROPERTY(QVariantList categories READ categories NOTIFY changed)
  Q_PROPERTY(int role READ role NOTIFY changed)
  Q_PROPERTY(QVariantList support READ support NOTIFY changed)
  Q_PROPERTY(QVariantList referrals READ referrals NOTIFY changed)
  Q_PROPERTY(int outcome READ outcome NOTIFY changed)
  Q_PROPERTY(int conversations READ conversations NOTIFY changed)
  Q_PROPERTY(int minutes READ minutes NOTIFY changed)
  Q_PROPERTY(QVariantList notes READ notes NOTIFY changed)
  Q_PROPERTY(bool whistleblower READ whistleblower NOTIFY changed)
  Q_PROPERTY(QString acknowledgeBy READ acknowledgeBy NOTIFY changed)
  Q_PROPERTY(QString feedbackBy READ feedbackBy NOTIFY changed)
  Q_PROPERTY(bool extended READ extended NOTIFY changed)
  Q_PROPERTY(bool feedbackGiven READ feedbackGiven NOTIFY changed)
  // The choices, as {value, name}.
  Q_PROPERTY(QVariantList statusChoices READ statusChoices CONSTANT)
  Q_PROPERTY(QVariantList roleChoices READ roleChoices CONSTANT)
  Q_PROPERTY(QVariantList outcomeChoices READ outcomeChoices CONSTANT)
  Q_PROPERTY(
      QVariantList organisationChoices READ organisationChoices NOTIFY changed)
  Q_PROPERTY(QString error READ error NOTIFY errorChanged)

 public:
  explicit CaseFileController(QObject* parent = nullptr) : QObject(parent) {}

  // Loads the file of `case_id` (a trust person's only).
  void Load(client::App* app, const std::string& case_id);

  bool available() const { return loaded_; }
  QString number() const;
  int status() const { return file_.status(); }
  QString organisation() const;
  QVariantList categories() const;
  int role() const { return file_.reporter_role(); }
  QVariantList support() const;
  QVariantList referrals() const;
  int outcome() const { return file_.outcome(); }
  int conversations() const { return static_cast<int>(file_.conversations()); }
  int minutes() const { return static_cast<int>(file_.minutes()); }
  QVariantList notes() const;
  bool whistleblower() const { return file_.has_wbk(); }
  QString acknowledgeBy() const;
  QString feedbackBy() const;
  bool extended() const;
  bool feedbackGiven() const;
  QVariantList statusChoices() const;
  QVariantList roleChoices() const;
  QVariantList outcomeChoices() const;
  QVariantList organisationChoices() const;
  QString error() const { return error_; }

  Q_INVOKABLE bool setStatus(int status);
  Q_INVOKABLE bool setOrganisation(const QString& id);
  Q_INVOKABLE bool toggleCategory(const QString& key);
  Q_INVOKABLE bool setRole(int role);
  Q_INVOKABLE bool toggleSupport(int support);
  Q_INVOKABLE bool toggleReferral(int referral);
  Q_INVOKABLE bool setOutcome(int outcome);
  Q_INVOKABLE bool setConversations(int conversations);
  Q_INVOKABLE bool addMinutes(int minutes);
  Q_INVOKABLE bool addNote(const QString& text);
  Q_INVOKABLE bool extend(const QString& reason);
  Q_INVOKABLE bool recordFeedback();

 Q_SIGNALS:
  void changed();
  void errorChanged();

 private:
  bool Update(const client::CaseFileUpdate& update);
  bool Took(const absl::StatusOr<client::v1::CaseFile>& file);

  client::App* app_ = nullptr;
  std::string case_id_;
  bool loaded_ = false;
  client::v1::CaseFile file_;
  std::vector<client::v1::Category> categories_;
  QString error_;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_CASE_FILE_CONTROLLER_H_
