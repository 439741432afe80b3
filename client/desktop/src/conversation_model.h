// The entries of the open case, oldest first: messages (with queued / sent /
// delivered) and case events (a shared status, an appointment, a hand-over)
// in words.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_CONVERSATION_MODEL_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_CONVERSATION_MODEL_H_

#include <QAbstractListModel>
#include <string>
#include <vector>

#include "client/messenger.h"

namespace confidant::desktop {

class ConversationModel : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(int count READ count NOTIFY countChanged)

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,  // hex
    TextRole,
    OutgoingRole,
    DeliveryRole,       // in words, empty for incoming
    DeliveryStateRole,  // 0 queued, 1 sent, 2 delivered, 3 received, 4 failed
    TimeRole,
    EventRole,      // "" for a message, else the event's kind
    ForwardedRole,  // a message forwarded from an earlier case
  };

  explicit ConversationModel(QObject* parent = nullptr)
      : QAbstractListModel(parent) {}

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;
  int count() const { return static_cast<int>(entries_.size()); }

  // Replaces the entries; appends when the new ones only add to the end.
  void Set(std::vector<client::CaseMessage> entries);
  // False when no entry has `message_id` (it was not read yet).
  bool SetDelivery(const std::string& message_id, client::DeliveryState state);
  const std::vector<client::CaseMessage>& entries() const { return entries_; }

 Q_SIGNALS:
  void countChanged();

 private:
  std::vector<client::CaseMessage> entries_;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_CONVERSATION_MODEL_H_
