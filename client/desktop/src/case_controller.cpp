#include "client/desktop/src/case_controller.h"

#include <QDateTime>
#include <QFile>
#include <QVariantMap>
#include <optional>
#include <utility>
#include <vector>

#include "base/hex.h"
#include "client/desktop/src/user_text.h"

namespace confidant::desktop {
namespace {

using client::v1::CaseEvent;

QString SlotText(const CaseEvent::Slot& slot) {
  const QString when = UserText::Time(absl::FromUnixSeconds(slot.start_unix()));
  QString text = UserText::tr("%1, %2 minutes, %3")
                     .arg(when)
                     .arg(slot.duration_minutes())
                     .arg(UserText::Mode(slot.mode()));
  if (slot.mode() == CaseEvent::ON_LOCATION) {
    text += QStringLiteral(": ") + QString::fromStdString(slot.place());
  }
  return text;
}

}  // namespace

// What one reload reads, off the window's thread.
struct CaseController::Snapshot {
  std::string case_id;
  absl::Status status;
  client::CaseSummary summary;
  std::vector<client::CaseMessage> entries;
  client::SafetyNumberState safety;
  bool safety_known = false;
  client::AppointmentState appointment;
  client::HandoverState handover;
  bool blocked = false;
};

CaseController::CaseController(Worker& worker, QObject* parent)
    : QObject(parent), worker_(worker) {}

void CaseController::SetApp(
    client::App* app,
    std::function<QString(const std::string&)> trust_person_name) {
  app_ = app;
  trust_person_name_ = std::move(trust_person_name);
  Show({});
}

QString CaseController::caseId() const {
  return QString::fromStdString(base::HexEncode(case_id_));
}

void CaseController::Show(const std::string& case_id) {
  case_id_ = case_id;
  title_.clear();
  appointment_ = {};
  handover_ = {};
  safety_number_.clear();
  conversation_.Set({});
  file_.Load(app_, case_id_);
  clearError();
  Q_EMIT changed();
  if (!case_id_.empty()) Reload();
}

void CaseController::Reload() {
  if (app_ == nullptr || case_id_.empty()) return;
  if (reloading_) {
    reload_again_ = true;
    return;
  }
  reloading_ = true;
  client::App* app = app_;
  const std::string id = case_id_;
  worker_.Run(
      this,
      [app, id] {
        Snapshot s;
        s.case_id = id;
        absl::StatusOr<client::CaseSummary> summary = app->Case(id);
        if (!summary.ok()) {
          s.status = summary.status();
          return s;
        }
        s.summary = *std::move(summary);
        absl::StatusOr<std::vector<client::CaseMessage>> entries =
            app->Read(id);
        if (!entries.ok()) {
          s.status = entries.status();
          return s;
        }
        s.entries = *std::move(entries);
        s.appointment = client::FoldAppointment(s.entries);
        s.handover = client::FoldHandover(s.entries);
        // Not known before the first message left (no session yet).
        absl::StatusOr<client::SafetyNumberState> safety =
            app->SafetyNumber(id);
        if (safety.ok()) {
          s.safety = *std::move(safety);
          s.safety_known = true;
        }
        if (app->kind() == client::AccountKind::kTrustPerson) {
          absl::StatusOr<std::optional<client::v1::BlockedSender>> blocked =
              app->Blocked(id);
          s.blocked = blocked.ok() && blocked->has_value();
        }
        return s;
      },
      [this](Snapshot s) {
        reloading_ = false;
        if (s.case_id == case_id_) Apply(std::move(s));
        if (reload_again_) {
          reload_again_ = false;
          Reload();
        }
      });
}

void CaseController::Apply(Snapshot s) {
  if (!s.status.ok()) {
    Done(s.status);
    return;
  }
  const bool trust_person = app_->kind() == client::AccountKind::kTrustPerson;
  if (trust_person) {
    title_ = file_.available() ? UserText::tr("Case %1").arg(file_.number())
                               : UserText::tr("Case");
  } else {
    const QString name = trust_person_name_(s.summary.peer_account_id);
    title_ = name.isEmpty() ? UserText::tr("Your trust person") : name;
  }
  closed_ = s.summary.status == client::CaseStatus::kClosed;
  handed_over_ = s.summary.handed_over;
  shared_status_ = UserText::SharedStatus(s.summary.shared_status);
  safety_changed_ = s.summary.identity_changed;
  unsolicited_ = s.summary.unsolicited;
  safety_number_ = s.safety_known
                       ? QString::fromStdString(s.safety.number.Grouped())
                       : QString();
  safety_verified_ = s.safety_known && s.safety.verified;
  appointment_ = std::move(s.appointment);
  handover_ = std::move(s.handover);
  blocked_ = s.blocked;
  conversation_.Set(std::move(s.entries));
  Q_EMIT changed();
}

void CaseController::OnDelivery(const std::string& message_id,
                                client::DeliveryState state) {
  // A message sent a moment ago may not be read yet, or be in a reading
  // that began before this change: read again, or the row would keep
  // its old state.
  if (!conversation_.SetDelivery(message_id, state) || reloading_) Reload();
}

QVariantList CaseController::appointmentSlots() const {
  QVariantList out;
  if (!appointment_.proposed) return out;
  for (int i = 0; i < appointment_.proposal.slots_size(); ++i) {
    out << QVariantMap{
        {QStringLiteral("index"), i + 1},
        {QStringLiteral("text"), SlotText(appointment_.proposal.slots(i))}};
  }
  return out;
}

QString CaseController::appointmentNote() const {
  return QString::fromStdString(appointment_.proposal.note());
}

QString CaseController::appointmentState() const {
  if (!appointment_.proposed) return QString();
  switch (appointment_.answer) {
    case client::AppointmentState::Answer::kAccepted:
      return QStringLiteral("accepted");
    case client::AppointmentState::Answer::kOtherTimesAsked:
      return QStringLiteral("other-times");
    case client::AppointmentState::Answer::kNone:
      break;
  }
  return QStringLiteral("pending");
}

QString CaseController::appointmentAgreed() const {
  if (appointment_.answer != client::AppointmentState::Answer::kAccepted) {
    return QString();
  }
  return SlotText(appointment_.agreed);
}

QString CaseController::handoverState() const {
  if (!handover_.proposed) return QString();
  switch (handover_.answer) {
    case client::HandoverState::Answer::kConsented:
      return QStringLiteral("consented");
    case client::HandoverState::Answer::kRefused:
      return QStringLiteral("refused");
    case client::HandoverState::Answer::kPending:
      break;
  }
  return QStringLiteral("pending");
}

QString CaseController::handoverTo() const {
  return QString::fromStdString(handover_.proposal.trust_person_name());
}

QString CaseController::handoverReason() const {
  return UserText::HandoverReason(handover_.proposal.reason());
}

QString CaseController::handoverNote() const {
  return QString::fromStdString(handover_.proposal.note());
}

bool CaseController::Done(const absl::Status& status) {
  if (!status.ok()) {
    error_ = UserText::Error(status);
    Q_EMIT errorChanged();
    return false;
  }
  clearError();
  Reload();
  return true;
}

void CaseController::clearError() {
  if (error_.isEmpty()) return;
  error_.clear();
  Q_EMIT errorChanged();
}

bool CaseController::send(const QString& text) {
  if (app_ == nullptr || case_id_.empty()) return false;
  const QString trimmed = text.trimmed();
  if (trimmed.isEmpty()) return false;
  return Done(app_->Send(case_id_, trimmed.toStdString()).status());
}

bool CaseController::shareStatus(int status) {
  if (app_ == nullptr) return false;
  return Done(
      app_->ShareStatus(case_id_, CaseEvent::SharedStatus(status)).status());
}

bool CaseController::acknowledge() {
  if (app_ == nullptr) return false;
  const bool ok = Done(app_->Acknowledge(case_id_).status());
  if (ok) file_.Load(app_, case_id_);  // the deadline is met
  return ok;
}

bool CaseController::proposeAppointment(const QVariantList& slots,
                                        const QString& note) {
  if (app_ == nullptr) return false;
  std::vector<CaseEvent::Slot> list;
  for (const QVariant& v : slots) {
    const QVariantMap m = v.toMap();
    CaseEvent::Slot slot;
    slot.set_start_unix(
        m.value(QStringLiteral("start")).toDateTime().toSecsSinceEpoch());
    slot.set_duration_minutes(m.value(QStringLiteral("minutes")).toUInt());
    slot.set_mode(CaseEvent::Mode(m.value(QStringLiteral("mode")).toInt()));
    slot.set_place(m.value(QStringLiteral("place")).toString().toStdString());
    list.push_back(std::move(slot));
  }
  return Done(
      app_->ProposeAppointment(case_id_, list, note.toStdString()).status());
}

bool CaseController::answerAppointment(int slot, const QString& note) {
  if (app_ == nullptr || !appointment_.proposed) return false;
  return Done(
      app_->AnswerAppointment(case_id_, appointment_.proposal.proposal_id(),
                              static_cast<uint32_t>(slot), note.toStdString())
          .status());
}

void CaseController::proposeHandover(const QString& colleague_id, int reason,
                                     const QString& note) {
  if (app_ == nullptr) return;
  std::optional<std::string> colleague =
      base::HexDecode(colleague_id.toStdString());
  if (!colleague.has_value()) return;
  client::App* app = app_;
  const std::string id = case_id_;
  const std::string text = note.toStdString();
  // Asks the relay's directory: off the window's thread.
  worker_.Run(
      this,
      [app, id, colleague = *colleague, reason, text] {
        return app
            ->ProposeHandover(id, colleague, CaseEvent::HandoverReason(reason),
                              text)
            .status();
      },
      [this](absl::Status s) { Done(s); });
}

void CaseController::answerHandover(bool consent, bool forward_all) {
  if (app_ == nullptr || !handover_.proposed) return;
  std::vector<std::string> forward;
  if (consent && forward_all) {
    for (const client::CaseMessage& m : conversation_.entries()) {
      if (!m.event.has_value()) forward.push_back(m.message_id);
    }
  }
  client::App* app = app_;
  const std::string id = case_id_;
  const std::string handover_id = handover_.proposal.handover_id();
  worker_.Run(
      this,
      [app, id, handover_id, consent, forward] {
        return app->AnswerHandover(id, handover_id, consent, forward);
      },
      [this](absl::StatusOr<std::string> moved) {
        if (!Done(moved.status())) return;
        if (!moved->empty()) {
          Q_EMIT handedOverTo(QString::fromStdString(base::HexEncode(*moved)));
        }
      });
}

bool CaseController::exportAppointment(const QString& path) {
  if (app_ == nullptr) return false;
  absl::StatusOr<std::string> ics = app_->AppointmentICalendar(
      case_id_, UserText::tr("Conversation (Confidant)").toStdString());
  if (!ics.ok()) return Done(ics.status());
  QFile out(path);
  if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      out.write(ics->data(), static_cast<qint64>(ics->size())) !=
          static_cast<qint64>(ics->size())) {
    error_ = UserText::tr("The calendar file could not be written.");
    Q_EMIT errorChanged();
    return false;
  }
  return true;
}

bool CaseController::block(bool on) {
  if (app_ == nullptr) return false;
  return Done(on ? app_->Block(case_id_) : app_->Unblock(case_id_));
}

bool CaseController::verifySafetyNumber(const QString& digits) {
  if (app_ == nullptr) return false;
  return Done(app_->Verify(case_id_, digits.toStdString()).status());
}

void CaseController::markRead() {
  if (app_ != nullptr && !case_id_.empty()) {
    (void)app_->MarkRead(case_id_);
  }
}

}  // namespace confidant::desktop
