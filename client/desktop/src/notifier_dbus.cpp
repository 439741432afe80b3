// The freedesktop notification service (org.freedesktop.Notifications) over
// the session bus: the Linux side of notifier.h.
#include <QDBusConnection>
#include <QDBusInterface>
#include <QVariantMap>
#include <memory>

#include "client/desktop/src/notifier.h"

namespace confidant::desktop {
namespace {

class DBusNotifier : public Notifier {
 public:
  void Show(const QString& title) override {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) return;
    QDBusInterface service("org.freedesktop.Notifications",
                           "/org/freedesktop/Notifications",
                           "org.freedesktop.Notifications", bus);
    if (!service.isValid()) return;
    // app name, replaces id, icon, summary, body (empty on purpose),
    // actions, hints, timeout (server default).
    service.asyncCall("Notify", QStringLiteral("Confidant"), uint{0},
                      QStringLiteral("confidant"), title, QString(),
                      QStringList(), QVariantMap(), -1);
  }
};

}  // namespace

std::unique_ptr<Notifier> MakeSystemNotifier() {
  return std::make_unique<DBusNotifier>();
}

}  // namespace confidant::desktop
