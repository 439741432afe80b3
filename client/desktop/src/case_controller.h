// The open case: its conversation, what the two sides share (status,
// appointment, hand-over), its safety number, and the actions on it. Both
// roles use it; which actions are allowed is the app layer's rule
// (client/case_policy.h), and a refused action shows its reason in words.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_CASE_CONTROLLER_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_CASE_CONTROLLER_H_

#include <QObject>
#include <QString>
#include <QVariantList>
#include <functional>
#include <string>

#include "client/app/app.h"
#include "client/desktop/src/case_file_controller.h"
#include "client/desktop/src/conversation_model.h"
#include "client/desktop/src/worker.h"

namespace confidant::desktop {

class CaseController : public QObject {
  Q_OBJECT
  Q_PROPERTY(bool active READ active NOTIFY changed)
  Q_PROPERTY(QString caseId READ caseId NOTIFY changed)
  Q_PROPERTY(QString title READ title NOTIFY changed)
  Q_PROPERTY(bool closed READ closed NOTIFY changed)
  Q_PROPERTY(bool handedOver READ handedOver NOTIFY changed)
  Q_PROPERTY(QString sharedStatus READ sharedStatus NOTIFY changed)
  Q_PROPERTY(bool safetyChanged READ safetyChanged NOTIFY changed)
  Q_PROPERTY(bool unsolicited READ unsolicited NOTIFY changed)
  Q_PROPERTY(QString safetyNumber READ safetyNumber NOTIFY changed)
  Q_PROPERTY(bool safetyVerified READ safetyVerified NOTIFY changed)
  // The appointment: the latest proposal's slots as {index, text}, and
  // what became of it.
  Q_PROPERTY(bool appointmentProposed READ appointmentProposed NOTIFY changed)
  Q_PROPERTY(QVariantList appointmentSlots READ appointmentSlots NOTIFY changed)
  Q_PROPERTY(QString appointmentNote READ appointmentNote NOTIFY changed)
  // "", "pending", "accepted", "other-times"
  Q_PROPERTY(QString appointmentState READ appointmentState NOTIFY changed)
  Q_PROPERTY(QString appointmentAgreed READ appointmentAgreed NOTIFY changed)
  // The hand-over: who, why, and "", "pending", "consented", "refused".
  Q_PROPERTY(QString handoverState READ handoverState NOTIFY changed)
  Q_PROPERTY(QString handoverTo READ handoverTo NOTIFY changed)
  Q_PROPERTY(QString handoverReason READ handoverReason NOTIFY changed)
  Q_PROPERTY(QString handoverNote READ handoverNote NOTIFY changed)
  Q_PROPERTY(bool blocked READ blocked NOTIFY changed)
  Q_PROPERTY(QString error READ error NOTIFY errorChanged)
  Q_PROPERTY(ConversationModel* conversation READ conversation CONSTANT)
  Q_PROPERTY(CaseFileController* file READ file CONSTANT)

 public:
  // `trust_person_name` names a trust person for an employee's case title.
  CaseController(Worker& worker, QObject* parent = nullptr);

  void SetApp(client::App* app,
              std::function<QString(const std::string&)> trust_person_name);
  // Shows `case_id` (16 bytes), or nothing when empty.
  void Show(const std::string& case_id);
  const std::string& case_id() const { return case_id_; }
  // Reads the case again (after an event for it).
  void Reload();
  // A delivery state changed for one of our messages of this case.
  void OnDelivery(const std::string& message_id, client::DeliveryState state);

  bool active() const { return !case_id_.empty(); }
  QString caseId() const;
  QString title() const { return title_; }
  bool closed() const { return closed_; }
  bool handedOver() const { return handed_over_; }
  QString sharedStatus() const { return shared_status_; }
  bool safetyChanged() const { return safety_changed_; }
  bool unsolicited() const { return unsolicited_; }
  QString safetyNumber() const { return safety_number_; }
  bool safetyVerified() const { return safety_verified_; }
  bool appointmentProposed() const { return appointment_.proposed; }
  QVariantList appointmentSlots() const;
  QString appointmentNote() const;
  QString appointmentState() const;
  QString appointmentAgreed() const;
  QString handoverState() const;
  QString handoverTo() const;
  QString handoverReason() const;
  QString handoverNote() const;
  bool blocked() const { return blocked_; }
  QString error() const { return error_; }
  ConversationModel* conversation() { return &conversation_; }
  CaseFileController* file() { return &file_; }

  // Each action leaves `error` set in words when refused, and returns
  // whether it was done. `send` keeps nothing: the caller clears its text
  // only on true, so no typing is lost.
  Q_INVOKABLE bool send(const QString& text);
  Q_INVOKABLE bool shareStatus(
      int status);  // 1 received, 2 in progress, 3 closed
  Q_INVOKABLE bool acknowledge();
  // Slots as {start: Date, minutes, mode: 1 online 2 phone 3 location, place}.
  Q_INVOKABLE bool proposeAppointment(const QVariantList& slots,
                                      const QString& note);
  Q_INVOKABLE bool answerAppointment(int slot, const QString& note);
  Q_INVOKABLE void proposeHandover(const QString& colleague_id, int reason,
                                   const QString& note);
  Q_INVOKABLE void answerHandover(bool consent, bool forward_all);
  Q_INVOKABLE bool exportAppointment(const QString& path);
  Q_INVOKABLE bool block(bool on);
  Q_INVOKABLE bool verifySafetyNumber(const QString& digits);
  Q_INVOKABLE void markRead();
  Q_INVOKABLE void clearError();

 Q_SIGNALS:
  void changed();
  void errorChanged();
  // A hand-over was consented: the employee's new case (hex).
  void handedOverTo(QString new_case_id);

 private:
  struct Snapshot;
  void Apply(Snapshot snapshot);
  bool Done(const absl::Status& status);

  Worker& worker_;
  client::App* app_ = nullptr;
  std::function<QString(const std::string&)> trust_person_name_;
  std::string case_id_;
  QString title_;
  bool closed_ = false;
  bool handed_over_ = false;
  QString shared_status_;
  bool safety_changed_ = false;
  bool unsolicited_ = false;
  QString safety_number_;
  bool safety_verified_ = false;
  client::AppointmentState appointment_;
  client::HandoverState handover_;
  bool blocked_ = false;
  QString error_;
  ConversationModel conversation_;
  CaseFileController file_;
  // Reloads that were asked for while one ran.
  bool reloading_ = false;
  bool reload_again_ = false;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_CASE_CONTROLLER_H_
