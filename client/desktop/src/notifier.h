// Local notifications, behind a small platform seam: the desktop tells the
// user that something arrived, never what. A notification holds no message
// text, no name and no case id: only "Nieuw bericht / New message".
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_NOTIFIER_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_NOTIFIER_H_

#include <QString>
#include <memory>

namespace confidant::desktop {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Shows `title` (and nothing else) as a local notification.
  virtual void Show(const QString& title) = 0;
};

// The freedesktop notification service over D-Bus where there is one (any
// Linux desktop); a notifier that shows nothing otherwise.
std::unique_ptr<Notifier> MakeSystemNotifier();

// Remembers what it was asked to show, for tests.
class FakeNotifier : public Notifier {
 public:
  void Show(const QString& title) override {
    ++shown_;
    last_ = title;
  }
  int shown() const { return shown_; }
  QString last() const { return last_; }

 private:
  int shown_ = 0;
  QString last_;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_NOTIFIER_H_
