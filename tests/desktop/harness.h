// Drives the real desktop app (its QML and C++ layer) headless: the
// offscreen platform with the software renderer, objects found by their
// objectName, real mouse clicks and typing. Used by the GUI tests and by
// the screenshot tool.
#ifndef CONFIDANT_TESTS_DESKTOP_HARNESS_H_
#define CONFIDANT_TESTS_DESKTOP_HARNESS_H_

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QString>
#include <functional>
#include <memory>

#include "client/desktop/src/language.h"
#include "client/desktop/src/session.h"

namespace confidant::desktop::testing {

// Sets the platform to offscreen and the renderer to software unless the
// environment chose otherwise; call before QGuiApplication exists.
void UseOffscreenPlatform();

class Harness {
 public:
  Harness(Session::Options options, const QString& language);
  ~Harness();

  Session& session() { return *session_; }
  Language& language() { return *language_; }
  QQuickWindow* window() const { return window_; }

  // The first visible object named `name`, or the first at all; nullptr if
  // none.
  QObject* Find(const QString& name) const;
  QQuickItem* Item(const QString& name) const;
  // A mouse click in the middle of `item` (which must be visible).
  bool Click(const QString& name);
  // Presses and releases `key` in the window (where the focus is).
  void Key(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
  // Puts `text` into a text field or area.
  bool Type(const QString& name, const QString& text);
  // Runs the event loop until `ready` holds or `timeout_ms` passed.
  static bool WaitFor(const std::function<bool()>& ready,
                      int timeout_ms = 10000);
  // Lets pending events and rendering settle.
  static void Settle(int ms = 150);
  // The window as shown now, saved as PNG.
  bool Save(const QString& path);

 private:
  std::unique_ptr<QQmlApplicationEngine> engine_;
  std::unique_ptr<Language> language_;
  std::unique_ptr<Session> session_;
  QQuickWindow* window_ = nullptr;
};

}  // namespace confidant::desktop::testing

#endif  // CONFIDANT_TESTS_DESKTOP_HARNESS_H_
