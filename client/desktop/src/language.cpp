#include "client/desktop/src/language.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSettings>

namespace confidant::desktop {
namespace {

constexpr char kLanguageKey[] = "language";

}  // namespace

QString Language::DefaultFor(const QString& locale_name) {
  return QLocale(locale_name).language() == QLocale::Dutch
             ? QStringLiteral("nl")
             : QStringLiteral("en");
}

Language::Language(QQmlEngine* engine, const QString& forced, QObject* parent)
    : QObject(parent), engine_(engine) {
  if (forced == QLatin1String("nl") || forced == QLatin1String("en")) {
    code_ = forced;
  } else {
    const QString saved = QSettings().value(kLanguageKey).toString();
    code_ = saved == QLatin1String("nl") || saved == QLatin1String("en")
                ? saved
                : DefaultFor(QLocale::system().name());
  }
  Install();
}

void Language::setCode(const QString& code) {
  if (code == code_ ||
      (code != QLatin1String("nl") && code != QLatin1String("en"))) {
    return;
  }
  code_ = code;
  QSettings().setValue(kLanguageKey, code_);
  Install();
  Q_EMIT codeChanged();
}

void Language::Install() {
  QCoreApplication::removeTranslator(&translator_);
  // The source strings are English; Dutch comes from the Linguist file, and
  // English from its own (identical) one so that a test can see that both
  // are complete.
  if (translator_.load(QStringLiteral(":/i18n/confidant_%1.qm").arg(code_))) {
    QCoreApplication::installTranslator(&translator_);
  }
  QLocale::setDefault(
      QLocale(code_ == QLatin1String("nl") ? QLocale::Dutch : QLocale::English,
              code_ == QLatin1String("nl") ? QLocale::Netherlands
                                           : QLocale::UnitedKingdom));
  if (engine_ != nullptr) engine_->retranslate();
}

}  // namespace confidant::desktop
