// The app's language: Dutch or English, Dutch by default on a Dutch system
// and English otherwise, switchable at any time (QML is retranslated at
// once). The choice is kept in the user's settings.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_LANGUAGE_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_LANGUAGE_H_

#include <QObject>
#include <QQmlEngine>
#include <QString>
#include <QTranslator>

namespace confidant::desktop {

class Language : public QObject {
  Q_OBJECT
  // "nl" or "en".
  Q_PROPERTY(QString code READ code WRITE setCode NOTIFY codeChanged)

 public:
  // `forced`: a language given on the command line, kept for this run only.
  Language(QQmlEngine* engine, const QString& forced,
           QObject* parent = nullptr);

  QString code() const { return code_; }
  void setCode(const QString& code);

  // What a system set to `locale_name` ("nl_NL", "de_DE") gets by default.
  static QString DefaultFor(const QString& locale_name);

 Q_SIGNALS:
  void codeChanged();

 private:
  void Install();

  QQmlEngine* engine_;
  QTranslator translator_;
  QString code_;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_LANGUAGE_H_
