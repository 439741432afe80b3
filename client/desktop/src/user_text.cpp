#include "client/desktop/src/user_text.h"

#include <QLocale>
#include <QTimeZone>
#include <string>

#include "absl/strings/match.h"

namespace confidant::desktop {
namespace {

using client::v1::CaseEvent;
using client::v1::CaseFile;

bool Says(const absl::Status& s, const char* words) {
  return absl::StrContains(s.message(), words);
}

}  // namespace

QString UserText::Error(const absl::Status& s) {
  if (s.ok()) return QString();
  switch (s.code()) {
    case absl::StatusCode::kPermissionDenied:
      if (Says(s, "wrong passphrase")) {
        return tr("That passphrase is not right. Try again.");
      }
      if (Says(s, "already used invite") || Says(s, "unknown or")) {
        return tr(
            "This invite code is unknown or has been used already. Ask "
            "the administrator for a new one.");
      }
      if (Says(s, "invite has expired")) {
        return tr(
            "This invite code has expired. Ask the administrator for a "
            "new one.");
      }
      if (Says(s, "unknown access code")) {
        return tr(
            "This access code is not known. Ask your organisation for "
            "the current one.");
      }
      if (Says(s, "not be your organisation's relay")) {
        return tr(
            "This relay does not have the key your organisation "
            "published. It may not be your organisation's relay: "
            "nothing was sent to it.");
      }
      if (Says(s, "only the trust person") || Says(s, "trust persons only") ||
          Says(s, "only a trust person")) {
        return tr("Only the trust person of a case can do that.");
      }
      if (Says(s, "only the employee")) {
        return tr("Only the employee of a case can do that.");
      }
      break;
    case absl::StatusCode::kUnavailable:
      if (Says(s, "locked") || Says(s, "lock")) {
        return tr(
            "This profile is open in another Confidant window. Close "
            "that one first.");
      }
      return tr(
          "The relay cannot be reached right now. Your messages wait "
          "safely and leave as soon as it is back.");
    case absl::StatusCode::kDeadlineExceeded:
      return tr(
          "The relay did not answer in time. Your messages wait safely "
          "and leave as soon as it is back.");
    case absl::StatusCode::kDataLoss:
      if (Says(s, "the relay sent")) {
        return tr(
            "The relay answered with something that is not right. Your "
            "messages wait safely and leave once it answers properly.");
      }
      return tr(
          "The profile on this computer is damaged or was changed "
          "outside Confidant. It cannot be opened safely.");
    case absl::StatusCode::kResourceExhausted:
      if (Says(s, "disk is full")) {
        return tr(
            "The disk is full. Make some room; nothing you typed is "
            "lost.");
      }
      return tr("The relay is busy. Try again in a minute.");
    case absl::StatusCode::kFailedPrecondition:
      if (Says(s, "safety number") || Says(s, "identity")) {
        return tr(
            "The safety number of this conversation changed. Compare "
            "the new number before you send anything.");
      }
      if (Says(s, "handed over")) {
        return tr("This case was handed over. Write in the new case.");
      }
      if (Says(s, "closed")) return tr("This case is closed.");
      break;
    case absl::StatusCode::kInvalidArgument:
      if (Says(s, "passphrase too weak")) {
        return tr(
            "This passphrase is too easy to guess. Use a few unusual "
            "words, or a longer sentence.");
      }
      if (Says(s, "a message has 1 to")) {
        return tr("A message cannot be empty or longer than 64 KB.");
      }
      if (Says(s, "choose the organisation")) {
        return tr("Choose the organisation first.");
      }
      if (Says(s, "no work to invoice")) {
        return tr("There is no registered work to invoice in this period.");
      }
      if (Says(s, "issuer's name is missing")) {
        return tr("Fill in your name under Invoicing details first.");
      }
      if (Says(s, "issuer's address is missing")) {
        return tr("Fill in your address under Invoicing details first.");
      }
      if (Says(s, "KvK number")) {
        return tr("The KvK number has 8 digits. Check Invoicing details.");
      }
      if (Says(s, "VAT number is malformed")) {
        return tr(
            "The VAT number is not right (for example NL123456789B01). "
            "Check Invoicing details.");
      }
      if (Says(s, "IBAN")) {
        return tr("The IBAN is not right. Check Invoicing details.");
      }
      if (Says(s, "an amount in euros") || Says(s, "hourly rate")) {
        return tr("Give the hourly rate in euros, for example 95 or 95,50.");
      }
      if (Says(s, "VAT is 0 to 100") || Says(s, "VAT rate")) {
        return tr("VAT is a percentage from 0 to 100.");
      }
      if (Says(s, "payment term")) {
        return tr("The payment term is 0 to 365 days.");
      }
      if (Says(s, "not UTF-8 or too long")) {
        return tr(
            "A name or address line is too long (at most 200 characters).");
      }
      break;
    case absl::StatusCode::kNotFound:
      if (Says(s, "no profile")) {
        return tr("There is no profile on this computer yet.");
      }
      if (Says(s, "unknown case")) return tr("This case no longer exists.");
      break;
    default:
      break;
  }
  // What the layer said, kept: better than a vague sentence.
  return tr("Something went wrong: %1")
      .arg(QString::fromUtf8(s.message().data(),
                             static_cast<int>(s.message().size())));
}

QString UserText::Delivery(client::DeliveryState state) {
  switch (state) {
    case client::DeliveryState::kQueued:
      return tr("Waiting to be sent");
    case client::DeliveryState::kSent:
      return tr("Sent");
    case client::DeliveryState::kDelivered:
      return tr("Delivered");
    case client::DeliveryState::kFailed:
      return tr("Not sent");
    case client::DeliveryState::kReceived:
      return QString();
  }
  return QString();
}

QString UserText::SharedStatus(CaseEvent::SharedStatus status) {
  switch (status) {
    case CaseEvent::RECEIVED:
      return tr("Received");
    case CaseEvent::IN_PROGRESS:
      return tr("In progress");
    case CaseEvent::CLOSED:
      return tr("Closed");
    default:
      return QString();
  }
}

QString UserText::CaseStatus(CaseFile::Status status) {
  switch (status) {
    case CaseFile::NEW:
      return tr("New");
    case CaseFile::IN_PROGRESS:
      return tr("In progress");
    case CaseFile::WAITING_FOR_EMPLOYEE:
      return tr("Waiting for the employee");
    case CaseFile::CLOSED:
      return tr("Closed");
    default:
      return QString();
  }
}

QString UserText::Role(CaseFile::ReporterRole role) {
  switch (role) {
    case CaseFile::EMPLOYEE:
      return tr("Employee");
    case CaseFile::MANAGER:
      return tr("Manager");
    case CaseFile::HR:
      return tr("HR");
    case CaseFile::OTHER_ROLE:
      return tr("Other");
    default:
      return tr("Not recorded");
  }
}

QString UserText::Support(CaseFile::Support support) {
  switch (support) {
    case CaseFile::LISTENING_AND_ADVICE:
      return tr("Listening and advice");
    case CaseFile::REFERRAL:
      return tr("Referral");
    case CaseFile::MEDIATION:
      return tr("Mediation");
    case CaseFile::FORMAL_COMPLAINT_SUPPORT:
      return tr("Support in a formal complaint");
    case CaseFile::WHISTLEBLOWER_REPORT:
      return tr("Whistleblower report (Wbk)");
    default:
      return QString();
  }
}

QString UserText::Referral(CaseFile::Referral referral) {
  switch (referral) {
    case CaseFile::COMPANY_DOCTOR:
      return tr("Company doctor");
    case CaseFile::GENERAL_PRACTITIONER:
      return tr("GP");
    case CaseFile::MEDIATOR:
      return tr("Mediator");
    case CaseFile::LAWYER:
      return tr("Lawyer");
    case CaseFile::COMPLAINTS_COMMITTEE:
      return tr("Complaints committee");
    case CaseFile::POLICE:
      return tr("Police");
    case CaseFile::SOCIAL_WORK:
      return tr("Social work");
    case CaseFile::OTHER_REFERRAL:
      return tr("Other");
    default:
      return QString();
  }
}

QString UserText::Outcome(CaseFile::Outcome outcome) {
  switch (outcome) {
    case CaseFile::RESOLVED:
      return tr("Resolved");
    case CaseFile::REFERRED:
      return tr("Referred");
    case CaseFile::FORMAL_COMPLAINT:
      return tr("Formal complaint filed");
    case CaseFile::WITHDRAWN:
      return tr("Withdrawn");
    case CaseFile::NO_FURTHER_CONTACT:
      return tr("No further contact");
    case CaseFile::OTHER_OUTCOME:
      return tr("Other");
    default:
      return tr("Still open");
  }
}

QString UserText::HandoverReason(CaseEvent::HandoverReason reason) {
  switch (reason) {
    case CaseEvent::CONFLICT_OF_INTEREST:
      return tr("Conflict of interest");
    case CaseEvent::OTHER_PARTY_HAS_THIS_TRUST_PERSON:
      return tr("The other party already has this trust person");
    case CaseEvent::ABSENCE:
      return tr("Absence");
    default:
      return QString();
  }
}

QString UserText::Mode(CaseEvent::Mode mode) {
  switch (mode) {
    case CaseEvent::ONLINE:
      return tr("Online");
    case CaseEvent::PHONE:
      return tr("By phone");
    case CaseEvent::ON_LOCATION:
      return tr("On location");
    default:
      return QString();
  }
}

QString UserText::DueKind(client::DueItem::Kind kind) {
  switch (kind) {
    case client::DueItem::Kind::kAcknowledgement:
      return tr("Acknowledgement of receipt");
    case client::DueItem::Kind::kFeedback:
      return tr("Feedback to the reporter");
    case client::DueItem::Kind::kPurge:
      return tr("Case will be purged");
  }
  return QString();
}

QString UserText::DaysLeft(int days_left) {
  if (days_left == 0) return tr("today");
  if (days_left > 0) return tr("in %n day(s)", "", days_left);
  return tr("%n day(s) overdue", "", -days_left);
}

QString UserText::Event(const CaseEvent& e) {
  auto text = [](const std::string& s) { return QString::fromStdString(s); };
  switch (e.event_case()) {
    case CaseEvent::kStatusShared:
      return tr("Status: %1").arg(SharedStatus(e.status_shared().status()));
    case CaseEvent::kAcknowledgement:
      return text(e.acknowledgement().text());
    case CaseEvent::kAppointmentProposal:
      return tr("The trust person proposes %n time(s) for a conversation.", "",
                e.appointment_proposal().slots_size());
    case CaseEvent::kAppointmentAnswer:
      return e.appointment_answer().accepted_slot() == 0
                 ? tr("Other times asked for.")
                 : tr("Time %1 accepted.")
                       .arg(e.appointment_answer().accepted_slot());
    case CaseEvent::kHandoverProposal:
      return tr("The trust person proposes that %1 takes over this case (%2).")
          .arg(text(e.handover_proposal().trust_person_name()),
               HandoverReason(e.handover_proposal().reason()));
    case CaseEvent::kHandoverAnswer:
      return e.handover_answer().consent()
                 ? tr("Handed over with consent. This case is closed.")
                 : tr("The hand-over was refused.");
    case CaseEvent::kHandoverIntro:
      return tr("Handed over by a colleague (%1).")
          .arg(HandoverReason(e.handover_intro().reason()));
    case CaseEvent::kForwarded:
      return text(e.forwarded().body());
    case CaseEvent::EVENT_NOT_SET:
      break;
  }
  return QString();
}

QDateTime UserText::ToQt(absl::Time t) {
  return QDateTime::fromSecsSinceEpoch(absl::ToUnixSeconds(t),
                                       QTimeZone::systemTimeZone());
}

QString UserText::Time(absl::Time t) {
  return QLocale().toString(ToQt(t), QLocale::ShortFormat);
}

QString UserText::Day(absl::CivilDay day) {
  return QLocale().toString(
      QDate(static_cast<int>(day.year()), day.month(), day.day()),
      QLocale::LongFormat);
}

}  // namespace confidant::desktop
