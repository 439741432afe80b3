#include "client/desktop/src/conversation_model.h"

#include <algorithm>
#include <utility>

#include "base/hex.h"
#include "client/desktop/src/user_text.h"

namespace confidant::desktop {
namespace {

using client::v1::CaseEvent;

int StateNumber(client::DeliveryState d) {
  switch (d) {
    case client::DeliveryState::kQueued:
      return 0;
    case client::DeliveryState::kSent:
      return 1;
    case client::DeliveryState::kDelivered:
      return 2;
    case client::DeliveryState::kReceived:
      return 3;
    case client::DeliveryState::kFailed:
      return 4;
  }
  return 1;
}

QString EventKind(const CaseEvent& e) {
  switch (e.event_case()) {
    case CaseEvent::kStatusShared:
      return QStringLiteral("status");
    case CaseEvent::kAcknowledgement:
      return QStringLiteral("acknowledgement");
    case CaseEvent::kAppointmentProposal:
      return QStringLiteral("appointment-proposal");
    case CaseEvent::kAppointmentAnswer:
      return QStringLiteral("appointment-answer");
    case CaseEvent::kHandoverProposal:
      return QStringLiteral("handover-proposal");
    case CaseEvent::kHandoverAnswer:
      return QStringLiteral("handover-answer");
    case CaseEvent::kHandoverIntro:
      return QStringLiteral("handover-intro");
    case CaseEvent::kForwarded:
      return QString();  // shown as a message, marked forwarded
    case CaseEvent::EVENT_NOT_SET:
      break;
  }
  return QStringLiteral("unknown");
}

}  // namespace

int ConversationModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

QVariant ConversationModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= count()) return {};
  const client::CaseMessage& m = entries_[static_cast<size_t>(index.row())];
  const bool forwarded = m.event.has_value() && m.event->has_forwarded();
  switch (role) {
    case IdRole:
      return QString::fromStdString(base::HexEncode(m.message_id));
    case TextRole:
      return m.event.has_value() ? UserText::Event(*m.event)
                                 : QString::fromStdString(m.body);
    case OutgoingRole:
      // A forwarded message sits on the side of whoever wrote it.
      return forwarded ? m.event->forwarded().from_employee()
                       : m.direction == client::Direction::kOutgoing;
    case DeliveryRole:
      return UserText::Delivery(m.delivery);
    case DeliveryStateRole:
      return StateNumber(m.delivery);
    case TimeRole:
      return forwarded
                 ? UserText::Time(absl::FromUnixSeconds(
                       int64_t{m.event->forwarded().client_hour()} * 3600))
                 : UserText::Time(m.time);
    case EventRole:
      return m.event.has_value() ? EventKind(*m.event) : QString();
    case ForwardedRole:
      return forwarded;
    default:
      return {};
  }
}

QHash<int, QByteArray> ConversationModel::roleNames() const {
  return {{IdRole, "messageId"},
          {TextRole, "text"},
          {OutgoingRole, "outgoing"},
          {DeliveryRole, "delivery"},
          {DeliveryStateRole, "deliveryState"},
          {TimeRole, "time"},
          {EventRole, "event"},
          {ForwardedRole, "forwarded"}};
}

void ConversationModel::Set(std::vector<client::CaseMessage> entries) {
  const bool extends =
      entries.size() >= entries_.size() &&
      std::equal(
          entries_.begin(), entries_.end(), entries.begin(),
          [](const client::CaseMessage& a, const client::CaseMessage& b) {
            return a.message_id == b.message_id;
          });
  if (!extends) {
    beginResetModel();
    entries_ = std::move(entries);
    endResetModel();
    Q_EMIT countChanged();
    return;
  }
  const int old_count = count();
  // Entries already shown may have changed (delivery states).
  for (int i = 0; i < old_count; ++i) {
    entries_[static_cast<size_t>(i)] = entries[static_cast<size_t>(i)];
  }
  if (old_count > 0) Q_EMIT dataChanged(index(0), index(old_count - 1));
  if (entries.size() > entries_.size()) {
    beginInsertRows(QModelIndex(), old_count,
                    static_cast<int>(entries.size()) - 1);
    entries_.insert(entries_.end(), entries.begin() + old_count, entries.end());
    endInsertRows();
    Q_EMIT countChanged();
  }
}

bool ConversationModel::SetDelivery(const std::string& message_id,
                                    client::DeliveryState state) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].message_id != message_id) continue;
    entries_[i].delivery = state;
    const QModelIndex at = index(static_cast<int>(i));
    Q_EMIT dataChanged(at, at, {DeliveryRole, DeliveryStateRole});
    return true;
  }
  return false;
}

}  // namespace confidant::desktop
