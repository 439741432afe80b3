// What QML sees of the C++ layer: the types of the session's models and
// controllers (created in C++ only), the QR image provider, and the two
// root objects `session` and `language`. The app and its GUI tests set up
// their engine the same way.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_QML_TYPES_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_QML_TYPES_H_

#include <QQmlApplicationEngine>

#include "client/desktop/src/language.h"
#include "client/desktop/src/session.h"

namespace confidant::desktop {

// Once per process, before the first engine.
void RegisterQmlTypes();

// Gives `engine` the image provider and the root objects, and loads the
// main window. False if QML failed to load.
bool LoadMainWindow(QQmlApplicationEngine& engine, Session& session,
                    Language& language);

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_QML_TYPES_H_
