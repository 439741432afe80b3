// The cases inbox: newest activity first, with unread and deadline badges,
// the human case number (trust person) or the trust person's name
// (employee), and filters by status, organisation and what is due. Rows are
// gathered off the window's thread (Gather) and put in place on it (Set).
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_CASE_LIST_MODEL_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_CASE_LIST_MODEL_H_

#include <QAbstractListModel>
#include <QString>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/app/app.h"

namespace confidant::desktop {

class CaseListModel : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(int count READ count NOTIFY countChanged)
  Q_PROPERTY(int unreadTotal READ unreadTotal NOTIFY countChanged)
  // "" (all), "open" or "closed".
  Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter NOTIFY
                 filterChanged)
  // "" (all) or an organisation id.
  Q_PROPERTY(QString organisationFilter READ organisationFilter WRITE
                 setOrganisationFilter NOTIFY filterChanged)
  Q_PROPERTY(bool dueOnly READ dueOnly WRITE setDueOnly NOTIFY filterChanged)

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,  // hex
    TitleRole,                  // "2026-017" or the trust person's name
    SubtitleRole,               // status in words
    ActivityRole,               // "1-12-2026 14:03"
    UnreadRole,
    ClosedRole,
    DueRole,       // "" or what is due soonest, in words
    DueStateRole,  // 0 none, 1 soon, 2 today, 3 overdue
    SafetyChangedRole,
    OrganisationRole,
  };

  struct Row {
    std::string case_id;
    QString title;
    QString subtitle;
    QString activity;
    absl::Time last_activity;
    int unread = 0;
    bool closed = false;
    QString due;
    int due_state = 0;
    bool safety_changed = false;
    QString organisation;  // id
  };

  explicit CaseListModel(QObject* parent = nullptr)
      : QAbstractListModel(parent) {}

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  int count() const { return static_cast<int>(shown_.size()); }
  int unreadTotal() const;
  QString statusFilter() const { return status_filter_; }
  void setStatusFilter(const QString& filter);
  QString organisationFilter() const { return organisation_filter_; }
  void setOrganisationFilter(const QString& filter);
  bool dueOnly() const { return due_only_; }
  void setDueOnly(bool due_only);

  // Every case's row, newest activity first (off the window's thread).
  // `due` is App::Due() for a trust person (the deadline badges), empty for
  // an employee; `name_of` names an employee's trust persons.
  static absl::StatusOr<std::vector<Row>> Gather(
      client::App& app, const std::vector<client::DueItem>& due,
      const std::function<QString(const std::string&)>& name_of);
  // Puts `rows` in place, keeping the view where it is when only their
  // contents changed.
  void Set(std::vector<Row> rows);
  void Clear();

 Q_SIGNALS:
  void countChanged();
  void filterChanged();

 private:
  void Apply();

  std::vector<Row> all_;
  std::vector<Row> shown_;
  QString status_filter_;
  QString organisation_filter_;
  bool due_only_ = false;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_CASE_LIST_MODEL_H_
