// confidant-desktop: the Qt Quick app for employees and trust persons, on
// the app layer (client/app/). This file only puts the pieces together.
//
//   confidant-desktop [--profile DIR] [--relay HOST:PORT] [--insecure]
//                     [--tls-ca FILE] [--proxy URL] [--language nl|en]
#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QStandardPaths>
#include <memory>

#include "client/desktop/src/activity_filter.h"
#include "client/desktop/src/language.h"
#include "client/desktop/src/notifier.h"
#include "client/desktop/src/qml_types.h"
#include "client/desktop/src/session.h"
#include "client/grpc_transport.h"

int main(int argc, char** argv) {
  confidant::client::ClearProxyExceptions();  // before any thread runs
  QGuiApplication app(argc, argv);
  QGuiApplication::setApplicationName(QStringLiteral("confidant"));
  QGuiApplication::setApplicationDisplayName(QStringLiteral("Confidant"));
  QGuiApplication::setOrganizationName(QStringLiteral("confidant"));
  QGuiApplication::setDesktopFileName(QStringLiteral("confidant-desktop"));
  QGuiApplication::setWindowIcon(
      QIcon(QStringLiteral(":/icons/confidant.svg")));
  QQuickStyle::setStyle(QStringLiteral("Basic"));

  QCommandLineParser args;
  args.setApplicationDescription(QStringLiteral(
      "Confidant: anonymous, end-to-end encrypted reports to a trust person."));
  args.addHelpOption();
  const QCommandLineOption profile(
      QStringLiteral("profile"), QStringLiteral("Profile directory"),
      QStringLiteral("DIR"),
      QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
          QStringLiteral("/confidant"));
  const QCommandLineOption relay(QStringLiteral("relay"),
                                 QStringLiteral("Relay HOST:PORT"),
                                 QStringLiteral("HOST:PORT"));
  const QCommandLineOption insecure(
      QStringLiteral("insecure"),
      QStringLiteral("Plaintext to a relay on this computer (development)"));
  const QCommandLineOption tls_ca(QStringLiteral("tls-ca"),
                                  QStringLiteral("PEM file of CAs to trust"),
                                  QStringLiteral("FILE"));
  const QCommandLineOption proxy(QStringLiteral("proxy"),
                                 QStringLiteral("HTTP CONNECT proxy (Tor)"),
                                 QStringLiteral("URL"));
  const QCommandLineOption language(QStringLiteral("language"),
                                    QStringLiteral("nl or en"),
                                    QStringLiteral("CODE"));
  args.addOptions({profile, relay, insecure, tls_ca, proxy, language});
  args.process(app);

  confidant::desktop::RegisterQmlTypes();
  QQmlApplicationEngine engine;
  confidant::desktop::Language languages(&engine, args.value(language));

  std::unique_ptr<confidant::desktop::Notifier> notifier =
      confidant::desktop::MakeSystemNotifier();
  confidant::desktop::Session::Options options;
  options.profile_dir = QDir(args.value(profile)).absolutePath().toStdString();
  if (args.isSet(relay)) options.app.relay = args.value(relay).toStdString();
  if (args.isSet(tls_ca)) options.app.tls_ca = args.value(tls_ca).toStdString();
  if (args.isSet(proxy)) options.app.proxy = args.value(proxy).toStdString();
  options.app.insecure = args.isSet(insecure);
  options.notifier = notifier.get();
  confidant::desktop::Session session(std::move(options));

  confidant::desktop::ActivityFilter activity(&session);
  app.installEventFilter(&activity);

  if (!confidant::desktop::LoadMainWindow(engine, session, languages)) return 1;
  return app.exec();
}
