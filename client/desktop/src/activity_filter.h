// Tells the session of every key press and mouse or touch use in the app,
// so that it locks only after the configured idle time.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_ACTIVITY_FILTER_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_ACTIVITY_FILTER_H_

#include <QEvent>
#include <QObject>

#include "client/desktop/src/session.h"

namespace confidant::desktop {

class ActivityFilter : public QObject {
 public:
  explicit ActivityFilter(Session* session) : session_(session) {}

  bool eventFilter(QObject* watched, QEvent* event) override {
    switch (event->type()) {
      case QEvent::KeyPress:
      case QEvent::MouseButtonPress:
      case QEvent::Wheel:
      case QEvent::TouchBegin:
        session_->userActive();
        break;
      default:
        break;
    }
    return QObject::eventFilter(watched, event);
  }

 private:
  Session* session_;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_ACTIVITY_FILTER_H_
