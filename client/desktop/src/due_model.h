// The trust person's "due" view: every deadline across the cases, soonest
// first (client/app/deadlines.h decides what is due and when): the
// acknowledgement and the feedback of a whistleblower report, and the purge
// of a closed case at the end of its retention period. Rows are gathered
// off the window's thread by the Session and put in place here.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_DUE_MODEL_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_DUE_MODEL_H_

#include <QAbstractListModel>
#include <QString>
#include <vector>

#include "client/app/deadlines.h"

namespace confidant::desktop {

class DueModel : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(int count READ count NOTIFY countChanged)
  // Deadlines of today or past: the number on the view's tab.
  Q_PROPERTY(int urgent READ urgent NOTIFY countChanged)
  // Whether the view is shown: showing it gathers the rows again (they
  // are also gathered with every change to the cases).
  Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)

 public:
  enum Role {
    CaseIdRole = Qt::UserRole + 1,  // hex
    NumberRole,                     // "2026-017"
    WhatRole,                       // what is due, in words
    DayRole,                        // the last day, in words
    WhenRole,                       // "in 3 days", "today", "2 days overdue"
    StateRole,  // 0 upcoming, 1 soon, 2 today, 3 overdue (as the inbox)
  };

  struct Row {
    QString case_id;
    QString number;
    QString what;
    QString day;
    QString when;
    int state = 0;
  };

  explicit DueModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  int count() const { return static_cast<int>(rows_.size()); }
  int urgent() const;
  bool active() const { return active_; }
  void setActive(bool active);

  // The rows of `items` (as App::Due() returns them, soonest first).
  static std::vector<Row> Rows(const std::vector<client::DueItem>& items);
  void Set(std::vector<Row> rows);

  // 0..3 as StateRole, shared with the inbox's deadline badges.
  static int StateNumber(client::DueItem::State state);

 Q_SIGNALS:
  void countChanged();
  void activeChanged();

 private:
  std::vector<Row> rows_;
  bool active_ = false;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_DUE_MODEL_H_
