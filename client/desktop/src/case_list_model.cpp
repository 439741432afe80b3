#include "client/desktop/src/case_list_model.h"

#include <algorithm>
#include <map>
#include <utility>

#include "base/hex.h"
#include "client/desktop/src/due_model.h"
#include "client/desktop/src/user_text.h"

namespace confidant::desktop {

int CaseListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

QVariant CaseListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= count()) return {};
  const Row& r = shown_[static_cast<size_t>(index.row())];
  switch (role) {
    case IdRole:
      return QString::fromStdString(base::HexEncode(r.case_id));
    case TitleRole:
      return r.title;
    case SubtitleRole:
      return r.subtitle;
    case ActivityRole:
      return r.activity;
    case UnreadRole:
      return r.unread;
    case ClosedRole:
      return r.closed;
    case DueRole:
      return r.due;
    case DueStateRole:
      return r.due_state;
    case SafetyChangedRole:
      return r.safety_changed;
    case OrganisationRole:
      return r.organisation;
    default:
      return {};
  }
}

QHash<int, QByteArray> CaseListModel::roleNames() const {
  return {{IdRole, "caseId"},
          {TitleRole, "title"},
          {SubtitleRole, "subtitle"},
          {ActivityRole, "activity"},
          {UnreadRole, "unread"},
          {ClosedRole, "closed"},
          {DueRole, "due"},
          {DueStateRole, "dueState"},
          {SafetyChangedRole, "safetyChanged"},
          {OrganisationRole, "organisation"}};
}

int CaseListModel::unreadTotal() const {
  int n = 0;
  for (const Row& r : all_) n += r.unread;
  return n;
}

void CaseListModel::setStatusFilter(const QString& filter) {
  if (filter == status_filter_) return;
  status_filter_ = filter;
  Q_EMIT filterChanged();
  Apply();
}

void CaseListModel::setOrganisationFilter(const QString& filter) {
  if (filter == organisation_filter_) return;
  organisation_filter_ = filter;
  Q_EMIT filterChanged();
  Apply();
}

void CaseListModel::setDueOnly(bool due_only) {
  if (due_only == due_only_) return;
  due_only_ = due_only;
  Q_EMIT filterChanged();
  Apply();
}

absl::StatusOr<std::vector<CaseListModel::Row>> CaseListModel::Gather(
    client::App& app, const std::vector<client::DueItem>& due_items,
    const std::function<QString(const std::string&)>& name_of) {
  absl::StatusOr<std::vector<client::CaseSummary>> cases = app.Cases();
  if (!cases.ok()) return cases.status();
  const bool trust_person = app.kind() == client::AccountKind::kTrustPerson;
  // What is due soonest per case (the due list is sorted by day).
  std::map<std::string, client::DueItem> due;
  for (const client::DueItem& item : due_items) {
    if (item.state == client::DueItem::State::kUpcoming) continue;
    due.try_emplace(item.case_id, item);
  }
  std::vector<Row> rows;
  rows.reserve(cases->size());
  for (const client::CaseSummary& s : *cases) {
    Row r;
    r.case_id = s.case_id;
    r.last_activity = s.last_activity;
    r.activity = UserText::Time(s.last_activity);
    r.unread = static_cast<int>(s.unread_count);
    r.safety_changed = s.identity_changed;
    if (trust_person) {
      absl::StatusOr<client::v1::CaseFile> file = app.CaseFile(s.case_id);
      if (!file.ok()) return file.status();
      r.title = QString::fromStdString(file->number());
      r.subtitle = UserText::CaseStatus(file->status());
      r.closed = file->status() == client::v1::CaseFile::CLOSED;
      r.organisation = QString::fromStdString(file->organisation_id());
    } else {
      const QString name = name_of(s.peer_account_id);
      r.title = name.isEmpty() ? UserText::tr("Trust person") : name;
      r.subtitle = s.handed_over ? UserText::tr("Handed over")
                                 : UserText::SharedStatus(s.shared_status);
      r.closed = s.status == client::CaseStatus::kClosed;
    }
    auto it = due.find(s.case_id);
    if (it != due.end()) {
      r.due = UserText::tr("%1: %2").arg(UserText::DueKind(it->second.kind),
                                         UserText::Day(it->second.due));
      r.due_state = DueModel::StateNumber(it->second.state);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

void CaseListModel::Set(std::vector<Row> rows) {
  all_ = std::move(rows);
  Apply();
}

void CaseListModel::Clear() { Set({}); }

void CaseListModel::Apply() {
  std::vector<Row> next;
  for (const Row& r : all_) {
    if (status_filter_ == QLatin1String("open") && r.closed) continue;
    if (status_filter_ == QLatin1String("closed") && !r.closed) continue;
    if (!organisation_filter_.isEmpty() &&
        r.organisation != organisation_filter_) {
      continue;
    }
    if (due_only_ && r.due_state == 0) continue;
    next.push_back(r);
  }
  const bool same_cases = next.size() == shown_.size() &&
                          std::equal(next.begin(), next.end(), shown_.begin(),
                                     [](const Row& a, const Row& b) {
                                       return a.case_id == b.case_id;
                                     });
  if (same_cases) {
    shown_ = std::move(next);
    if (!shown_.empty()) {
      Q_EMIT dataChanged(index(0), index(count() - 1));
    }
  } else {
    beginResetModel();
    shown_ = std::move(next);
    endResetModel();
  }
  Q_EMIT countChanged();
}

}  // namespace confidant::desktop
