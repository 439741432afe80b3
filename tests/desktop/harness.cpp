#include "tests/desktop/harness.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QTest>
#include <cstdlib>
#include <utility>

#include "client/desktop/src/qml_types.h"

namespace confidant::desktop::testing {

void UseOffscreenPlatform() {
  setenv("QT_QPA_PLATFORM", "offscreen", 0);
  setenv("QT_QUICK_BACKEND", "software", 0);
  // Settings of the person running the tests stay out of it.
  setenv("XDG_CONFIG_HOME", "/tmp/confidant-desktop-test-config", 0);
}

Harness::Harness(Session::Options options, const QString& language) {
  static bool registered = false;
  if (!registered) {
    RegisterQmlTypes();
    registered = true;
  }
  engine_ = std::make_unique<QQmlApplicationEngine>();
  language_ = std::make_unique<Language>(engine_.get(), language);
  session_ = std::make_unique<Session>(std::move(options));
  if (LoadMainWindow(*engine_, *session_, *language_)) {
    window_ = qobject_cast<QQuickWindow*>(engine_->rootObjects().first());
  }
  if (window_ != nullptr) {
    window_->show();
    Settle();
  }
}

Harness::~Harness() {
  // The session locks first (its App stops), then the QML goes.
  session_->lock();
  engine_.reset();
}

namespace {

// Every item below `root` in the visual tree (delegates, loaded pages and
// popups included, which the QObject tree may not hold), in order.
void Collect(QQuickItem* root, const QString& name, QList<QQuickItem*>& out) {
  if (root == nullptr) return;
  if (root->objectName() == name) out << root;
  for (QQuickItem* child : root->childItems()) Collect(child, name, out);
}

}  // namespace

QObject* Harness::Find(const QString& name) const {
  if (window_ == nullptr) return nullptr;
  QList<QQuickItem*> found;
  QQuickItem* root = window_->contentItem();
  while (root != nullptr && root->parentItem() != nullptr) {
    root = root->parentItem();
  }
  Collect(root, name, found);
  for (QQuickItem* item : found) {
    if (item->isVisible()) return item;
  }
  if (!found.isEmpty()) return found.first();
  const QList<QObject*> objects = window_->findChildren<QObject*>(name);
  return objects.isEmpty() ? nullptr : objects.first();
}

QQuickItem* Harness::Item(const QString& name) const {
  return qobject_cast<QQuickItem*>(Find(name));
}

bool Harness::Click(const QString& name) {
  QQuickItem* item = Item(name);
  if (item == nullptr || !item->isVisible() || !item->isEnabled()) return false;
  const QPointF center =
      item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
  QTest::mouseClick(window_, Qt::LeftButton, Qt::NoModifier, center.toPoint());
  Settle(50);
  return true;
}

void Harness::Key(Qt::Key key, Qt::KeyboardModifiers modifiers) {
  QTest::keyClick(window_, key, modifiers);
  Settle(50);
}

bool Harness::Type(const QString& name, const QString& text) {
  QObject* field = Find(name);
  if (field == nullptr) return false;
  return field->setProperty("text", text);
}

bool Harness::WaitFor(const std::function<bool()>& ready, int timeout_ms) {
  return QTest::qWaitFor(ready, timeout_ms);
}

void Harness::Settle(int ms) { QTest::qWait(ms); }

bool Harness::Save(const QString& path) {
  if (window_ == nullptr) return false;
  Settle();
  return window_->grabWindow().save(path);
}

}  // namespace confidant::desktop::testing
