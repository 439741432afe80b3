// Carries the App's events (client/app/app.h, called on the App's event
// thread) to the Qt event loop of the window: each event becomes a queued
// signal of this object, so models change on the GUI thread only and the
// App's thread never waits for the window.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_OBSERVER_BRIDGE_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_OBSERVER_BRIDGE_H_

#include <QObject>
#include <QString>
#include <string>

#include "client/app/app.h"

namespace confidant::desktop {

class ObserverBridge : public QObject, public client::AppObserver {
  Q_OBJECT

 public:
  explicit ObserverBridge(QObject* parent = nullptr) : QObject(parent) {}

  // client::AppObserver, on the App's event thread.
  void OnMessage(const std::string& case_id, const client::CaseMessage& message,
                 bool new_case) override;
  void OnDeliveryChanged(const std::string& case_id,
                         const std::string& message_id,
                         client::DeliveryState state) override;
  void OnCaseChanged(const std::string& case_id) override;
  void OnIdentityChanged(const std::string& peer_account_id) override;
  void OnConnectionChanged(const client::ConnectionStatus& status) override;
  void OnError(const absl::Status& error) override;

 Q_SIGNALS:
  // On the GUI thread. Ids are the raw 16 bytes in a std::string.
  void message(std::string case_id, client::CaseMessage message, bool new_case);
  void deliveryChanged(std::string case_id, std::string message_id,
                       client::DeliveryState state);
  void caseChanged(std::string case_id);
  void identityChanged(std::string peer_account_id);
  void connectionChanged(client::ConnectionStatus status);
  void error(absl::Status error);
};

}  // namespace confidant::desktop

Q_DECLARE_METATYPE(std::string)
Q_DECLARE_METATYPE(confidant::client::CaseMessage)
Q_DECLARE_METATYPE(confidant::client::DeliveryState)
Q_DECLARE_METATYPE(confidant::client::ConnectionStatus)
Q_DECLARE_METATYPE(absl::Status)

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_OBSERVER_BRIDGE_H_
