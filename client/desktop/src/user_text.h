// The one place where what the app layer says becomes what a person reads:
// an absl::Status as a sentence in the user's language, and the words for
// the values of cases (statuses, categories' fields, deadlines). Everything
// goes through tr(), so the Linguist files hold every string.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_USER_TEXT_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_USER_TEXT_H_

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/app/app.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::desktop {

class UserText {
  Q_DECLARE_TR_FUNCTIONS(UserText)

 public:
  // A failure as one sentence for the user.
  static QString Error(const absl::Status& status);

  static QString Delivery(client::DeliveryState state);
  static QString SharedStatus(client::v1::CaseEvent::SharedStatus status);
  static QString CaseStatus(client::v1::CaseFile::Status status);
  static QString Role(client::v1::CaseFile::ReporterRole role);
  static QString Support(client::v1::CaseFile::Support support);
  static QString Referral(client::v1::CaseFile::Referral referral);
  static QString Outcome(client::v1::CaseFile::Outcome outcome);
  static QString HandoverReason(client::v1::CaseEvent::HandoverReason reason);
  static QString Mode(client::v1::CaseEvent::Mode mode);
  static QString DueKind(client::DueItem::Kind kind);
  // "today", "in 3 days", "2 days overdue".
  static QString DaysLeft(int days_left);
  // A case event as the conversation shows it.
  static QString Event(const client::v1::CaseEvent& event);

  // Times as the user reads them: local, in the app's language.
  static QString Time(absl::Time t);
  static QString Day(absl::CivilDay day);
  static QDateTime ToQt(absl::Time t);
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_USER_TEXT_H_
