#include "client/desktop/src/trust_person_model.h"

#include <QLocale>
#include <QStringList>
#include <utility>

#include "base/hex.h"

namespace confidant::desktop {

int TrustPersonModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

QVariant TrustPersonModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= count()) return {};
  const client::DirectoryEntry& p = people_[static_cast<size_t>(index.row())];
  switch (role) {
    case IdRole:
      return QString::fromStdString(base::HexEncode(p.account_id));
    case NameRole:
      return QString::fromStdString(p.profile.display_name);
    case ExternalRole:
      return p.profile.affiliation == client::Affiliation::kExternal;
    case LanguagesRole: {
      QStringList names;
      for (const std::string& code : p.profile.languages) {
        const QLocale language(QString::fromStdString(code));
        // Without its country: "English", not "American English".
        const QString native = language.language() == QLocale::English
                                   ? QStringLiteral("English")
                                   : language.nativeLanguageName();
        names << (native.isEmpty() ? QString::fromStdString(code) : native);
      }
      return names.join(QStringLiteral(", "));
    }
    case IntroRole:
      return QString::fromStdString(p.profile.intro);
    default:
      return {};
  }
}

QHash<int, QByteArray> TrustPersonModel::roleNames() const {
  return {{IdRole, "personId"},
          {NameRole, "name"},
          {ExternalRole, "external"},
          {LanguagesRole, "languages"},
          {IntroRole, "intro"}};
}

void TrustPersonModel::Set(std::vector<client::DirectoryEntry> people) {
  beginResetModel();
  people_ = std::move(people);
  endResetModel();
  Q_EMIT countChanged();
}

QString TrustPersonModel::NameOf(const std::string& account_id) const {
  for (const client::DirectoryEntry& p : people_) {
    if (p.account_id == account_id) {
      return QString::fromStdString(p.profile.display_name);
    }
  }
  return QString();
}

}  // namespace confidant::desktop
