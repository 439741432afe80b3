#include "client/desktop/src/observer_bridge.h"

namespace confidant::desktop {

// Emitting a signal of an object that lives on the GUI thread from another
// thread queues it (Qt::AutoConnection): the receivers run there.

void ObserverBridge::OnMessage(const std::string& case_id,
                               const client::CaseMessage& m, bool new_case) {
  Q_EMIT message(case_id, m, new_case);
}

void ObserverBridge::OnDeliveryChanged(const std::string& case_id,
                                       const std::string& message_id,
                                       client::DeliveryState state) {
  Q_EMIT deliveryChanged(case_id, message_id, state);
}

void ObserverBridge::OnCaseChanged(const std::string& case_id) {
  Q_EMIT caseChanged(case_id);
}

void ObserverBridge::OnIdentityChanged(const std::string& peer_account_id) {
  Q_EMIT identityChanged(peer_account_id);
}

void ObserverBridge::OnConnectionChanged(
    const client::ConnectionStatus& status) {
  Q_EMIT connectionChanged(status);
}

void ObserverBridge::OnError(const absl::Status& e) { Q_EMIT error(e); }

}  // namespace confidant::desktop
