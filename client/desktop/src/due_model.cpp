#include "client/desktop/src/due_model.h"

#include <utility>

#include "base/hex.h"
#include "client/desktop/src/user_text.h"

namespace confidant::desktop {

int DueModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

QVariant DueModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() < 0 || index.row() >= count()) {
    return {};
  }
  const Row& r = rows_[static_cast<size_t>(index.row())];
  switch (role) {
    case CaseIdRole:
      return r.case_id;
    case NumberRole:
      return r.number;
    case WhatRole:
      return r.what;
    case DayRole:
      return r.day;
    case WhenRole:
      return r.when;
    case StateRole:
      return r.state;
    default:
      return {};
  }
}

QHash<int, QByteArray> DueModel::roleNames() const {
  return {{CaseIdRole, "caseId"}, {NumberRole, "number"},
          {WhatRole, "what"},     {DayRole, "day"},
          {WhenRole, "when"},     {StateRole, "urgency"}};
}

int DueModel::urgent() const {
  int n = 0;
  for (const Row& r : rows_) n += r.state >= 2 ? 1 : 0;
  return n;
}

void DueModel::setActive(bool active) {
  if (active == active_) return;
  active_ = active;
  Q_EMIT activeChanged();
}

int DueModel::StateNumber(client::DueItem::State state) {
  switch (state) {
    case client::DueItem::State::kUpcoming:
      return 0;
    case client::DueItem::State::kWarning:
      return 1;
    case client::DueItem::State::kToday:
      return 2;
    case client::DueItem::State::kOverdue:
      return 3;
  }
  return 0;
}

std::vector<DueModel::Row> DueModel::Rows(
    const std::vector<client::DueItem>& items) {
  std::vector<Row> rows;
  rows.reserve(items.size());
  for (const client::DueItem& item : items) {
    Row r;
    r.case_id = QString::fromStdString(base::HexEncode(item.case_id));
    r.number = QString::fromStdString(item.case_number);
    r.what = UserText::DueKind(item.kind);
    r.day = UserText::Day(item.due);
    r.when = UserText::DaysLeft(item.days_left);
    r.state = StateNumber(item.state);
    rows.push_back(std::move(r));
  }
  return rows;
}

void DueModel::Set(std::vector<Row> rows) {
  beginResetModel();
  rows_ = std::move(rows);
  endResetModel();
  Q_EMIT countChanged();
}

}  // namespace confidant::desktop
