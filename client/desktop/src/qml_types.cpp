#include "client/desktop/src/qml_types.h"

#include <QQmlContext>
#include <QtQml>

#include "client/desktop/src/case_controller.h"
#include "client/desktop/src/case_file_controller.h"
#include "client/desktop/src/case_list_model.h"
#include "client/desktop/src/conversation_model.h"
#include "client/desktop/src/qr_image_provider.h"
#include "client/desktop/src/trust_person_model.h"

namespace confidant::desktop {

void RegisterQmlTypes() {
  constexpr const char* kUri = "Confidant.Core";
  const QString why = QStringLiteral("made by the session");
  qmlRegisterUncreatableType<Session>(kUri, 1, 0, "Session", why);
  qmlRegisterUncreatableType<Language>(kUri, 1, 0, "Language", why);
  qmlRegisterUncreatableType<CaseListModel>(kUri, 1, 0, "CaseListModel", why);
  qmlRegisterUncreatableType<TrustPersonModel>(kUri, 1, 0, "TrustPersonModel",
                                               why);
  qmlRegisterUncreatableType<ConversationModel>(kUri, 1, 0, "ConversationModel",
                                                why);
  qmlRegisterUncreatableType<CaseController>(kUri, 1, 0, "CaseController", why);
  qmlRegisterUncreatableType<CaseFileController>(kUri, 1, 0,
                                                 "CaseFileController", why);
  qmlRegisterUncreatableType<DueModel>(kUri, 1, 0, "DueModel", why);
  qmlRegisterUncreatableType<ReportController>(kUri, 1, 0, "ReportController",
                                               why);
}

bool LoadMainWindow(QQmlApplicationEngine& engine, Session& session,
                    Language& language) {
  engine.addImageProvider(QStringLiteral("qr"), new QrImageProvider);
  engine.addImageProvider(QStringLiteral("preview"),
                          new PreviewImageProvider(session.preview_pages()));
  engine.rootContext()->setContextProperty(QStringLiteral("session"), &session);
  engine.rootContext()->setContextProperty(QStringLiteral("language"),
                                           &language);
  // Qt 6.4 puts the module under qrc:/<URI>/ (RESOURCE_PREFIX /).
  engine.addImportPath(QStringLiteral("qrc:/"));
  engine.load(QUrl(QStringLiteral("qrc:/Confidant/qml/Main.qml")));
  return !engine.rootObjects().isEmpty();
}

}  // namespace confidant::desktop
