// Every string of the desktop app is translated, in Dutch and English: the
// Linguist files hold no unfinished, empty or vanished entry, and lupdate
// run over today's sources finds no string the files lack.
#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QStringList>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include "gtest/gtest.h"

namespace {

struct Entry {
  QString context;
  QString source;
  bool numerus = false;
  QString type;  // "", "unfinished", "vanished", "obsolete"
  QStringList forms;
};

std::vector<Entry> Read(const QString& path) {
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
  QXmlStreamReader xml(&file);
  std::vector<Entry> out;
  QString context;
  Entry e;
  while (!xml.atEnd() && !xml.hasError()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    const QString name = xml.name().toString();
    if (name == QLatin1String("name")) {
      context = xml.readElementText();
    } else if (name == QLatin1String("message")) {
      e = Entry();
      e.context = context;
      e.numerus = xml.attributes().value("numerus") == QLatin1String("yes");
    } else if (name == QLatin1String("source")) {
      e.source = xml.readElementText();
    } else if (name == QLatin1String("translation")) {
      e.type = xml.attributes().value("type").toString();
      if (e.numerus) {
        // <numerusform> children, up to </translation>.
        while (xml.readNextStartElement()) {
          if (xml.name() == QLatin1String("numerusform")) {
            e.forms << xml.readElementText();
          } else {
            xml.skipCurrentElement();
          }
        }
      } else {
        e.forms << xml.readElementText();
      }
      out.push_back(e);
    }
  }
  EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
  return out;
}

class TranslationsTest : public ::testing::TestWithParam<const char*> {};

TEST_P(TranslationsTest, EveryStringIsTranslated) {
  const QString path =
      QStringLiteral(CONFIDANT_TS_DIR "/confidant_%1.ts").arg(GetParam());
  const std::vector<Entry> entries = Read(path);
  ASSERT_GT(entries.size(), 100u);
  for (const Entry& e : entries) {
    const std::string where =
        (e.context + QStringLiteral(": ") + e.source).toStdString();
    EXPECT_TRUE(e.type.isEmpty()) << e.type.toStdString() << " " << where;
    ASSERT_FALSE(e.forms.isEmpty()) << where;
    for (const QString& form : e.forms) {
      EXPECT_FALSE(form.trimmed().isEmpty()) << "empty translation: " << where;
    }
    if (e.numerus) {
      EXPECT_EQ(e.forms.size(), 2) << where;
    }
    // A placeholder of the source must survive the translation.
    for (int n = 1; n <= 3; ++n) {
      const QString mark = QStringLiteral("%%1").arg(n);
      if (e.source.contains(mark)) {
        for (const QString& form : e.forms) {
          EXPECT_TRUE(form.contains(mark))
              << mark.toStdString() << " lost in " << where;
        }
      }
    }
  }
}

TEST_P(TranslationsTest, NoStringOfTheSourcesIsMissing) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString fresh = dir.filePath(QStringLiteral("fresh.ts"));
  QStringList args = QString::fromUtf8(CONFIDANT_TR_SOURCES)
                         .split(QLatin1Char(';'), Qt::SkipEmptyParts);
  args << QStringLiteral("-silent") << QStringLiteral("-ts") << fresh;
  QProcess lupdate;
  lupdate.start(QStringLiteral(CONFIDANT_LUPDATE), args);
  ASSERT_TRUE(lupdate.waitForFinished(60000));
  ASSERT_EQ(lupdate.exitCode(), 0)
      << lupdate.readAllStandardError().toStdString();
  QSet<QString> have;
  for (const Entry& e : Read(QStringLiteral(CONFIDANT_TS_DIR "/confidant_%1.ts")
                                 .arg(GetParam()))) {
    have.insert(e.context + QLatin1Char('|') + e.source);
  }
  for (const Entry& e : Read(fresh)) {
    EXPECT_TRUE(have.contains(e.context + QLatin1Char('|') + e.source))
        << "not in confidant_" << GetParam() << ".ts (run `ninja -C "
        << "build/default update_translations` and translate): "
        << (e.context + QStringLiteral(": ") + e.source).toStdString();
  }
}

// Words of the C++ layer come from UserText only: moc names the context of
// a QObject in a namespace "confidant::desktop::Class", which lupdate (6.4)
// spells "Class", so such a class's own tr() would never be translated.
TEST_P(TranslationsTest, EveryContextIsAViewOrUserText) {
  QSet<QString> allowed = {QStringLiteral("UserText")};
  for (const QString& source :
       QString::fromUtf8(CONFIDANT_TR_SOURCES)
           .split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
    if (source.endsWith(QLatin1String(".qml"))) {
      allowed.insert(source.section(QLatin1Char('/'), -1).chopped(4));
    }
  }
  for (const Entry& e : Read(QStringLiteral(CONFIDANT_TS_DIR "/confidant_%1.ts")
                                 .arg(GetParam()))) {
    EXPECT_TRUE(allowed.contains(e.context))
        << "context " << e.context.toStdString() << " of \""
        << e.source.toStdString() << "\": use UserText::tr() in the C++ layer";
  }
}

INSTANTIATE_TEST_SUITE_P(Languages, TranslationsTest,
                         ::testing::Values("nl", "en"));

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
