// The organisation's trust persons as the employee chooses among them: one
// card each (name, internal or external, languages, introduction).
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_TRUST_PERSON_MODEL_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_TRUST_PERSON_MODEL_H_

#include <QAbstractListModel>
#include <QString>
#include <string>
#include <vector>

#include "client/transport.h"

namespace confidant::desktop {

class TrustPersonModel : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(int count READ count NOTIFY countChanged)

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,  // hex
    NameRole,
    ExternalRole,
    LanguagesRole,  // "Nederlands, English"
    IntroRole,
  };

  explicit TrustPersonModel(QObject* parent = nullptr)
      : QAbstractListModel(parent) {}

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;
  int count() const { return static_cast<int>(people_.size()); }

  void Set(std::vector<client::DirectoryEntry> people);
  // The name of `account_id` (16 bytes), empty if not listed.
  QString NameOf(const std::string& account_id) const;
  const std::string& IdAt(int row) const {
    return people_[static_cast<size_t>(row)].account_id;
  }
  QString NameAt(int row) const {
    return QString::fromStdString(
        people_[static_cast<size_t>(row)].profile.display_name);
  }

 Q_SIGNALS:
  void countChanged();

 private:
  std::vector<client::DirectoryEntry> people_;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_TRUST_PERSON_MODEL_H_
