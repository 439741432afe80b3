#include "client/desktop/src/case_file_controller.h"

#include <QVariantMap>
#include <algorithm>
#include <vector>

#include "client/desktop/src/user_text.h"

namespace confidant::desktop {
namespace {

using client::v1::CaseFile;

QVariantMap Choice(int value, const QString& name, bool checked = false) {
  return {{QStringLiteral("value"), value},
          {QStringLiteral("name"), name},
          {QStringLiteral("checked"), checked}};
}

bool IsNl() { return QLocale().language() == QLocale::Dutch; }

}  // namespace

void CaseFileController::Load(client::App* app, const std::string& case_id) {
  app_ = app;
  case_id_ = case_id;
  loaded_ = false;
  if (app_ != nullptr && !case_id_.empty() &&
      app_->kind() == client::AccountKind::kTrustPerson) {
    absl::StatusOr<CaseFile> file = app_->CaseFile(case_id_);
    absl::StatusOr<std::vector<client::v1::Category>> categories =
        app_->Categories();
    if (file.ok() && categories.ok()) {
      file_ = *std::move(file);
      categories_ = *std::move(categories);
      loaded_ = true;
    } else {
      error_ = UserText::Error(file.ok() ? categories.status() : file.status());
      Q_EMIT errorChanged();
    }
  }
  Q_EMIT changed();
}

QString CaseFileController::number() const {
  return QString::fromStdString(file_.number());
}

QString CaseFileController::organisation() const {
  // A trust person of one organisation need not choose it per case (the
  // report counts such cases for it).
  if (file_.organisation_id().empty() && app_ != nullptr &&
      app_->organisations().size() == 1) {
    return QString::fromStdString(app_->organisations().front().id);
  }
  return QString::fromStdString(file_.organisation_id());
}

QVariantList CaseFileController::categories() const {
  QVariantList out;
  for (const client::v1::Category& c : categories_) {
    const bool on =
        std::find(file_.categories().begin(), file_.categories().end(),
                  c.key()) != file_.categories().end();
    out << QVariantMap{
        {QStringLiteral("key"), QString::fromStdString(c.key())},
        {QStringLiteral("name"),
         QString::fromStdString(IsNl() ? c.name_nl() : c.name_en())},
        {QStringLiteral("checked"), on}};
  }
  return out;
}

QVariantList CaseFileController::support() const {
  QVariantList out;
  for (int s = CaseFile::LISTENING_AND_ADVICE;
       s <= CaseFile::WHISTLEBLOWER_REPORT; ++s) {
    const bool on = std::find(file_.support().begin(), file_.support().end(),
                              s) != file_.support().end();
    out << Choice(s, UserText::Support(CaseFile::Support(s)), on);
  }
  return out;
}

QVariantList CaseFileController::referrals() const {
  QVariantList out;
  for (int r = CaseFile::COMPANY_DOCTOR; r <= CaseFile::OTHER_REFERRAL; ++r) {
    const bool on =
        std::find(file_.referrals().begin(), file_.referrals().end(), r) !=
        file_.referrals().end();
    out << Choice(r, UserText::Referral(CaseFile::Referral(r)), on);
  }
  return out;
}

QVariantList CaseFileController::notes() const {
  QVariantList out;
  for (const CaseFile::Note& n : file_.notes()) {
    out << QVariantMap{
        {QStringLiteral("time"),
         UserText::Time(absl::FromUnixSeconds(n.written_unix()))},
        {QStringLiteral("text"), QString::fromStdString(n.text())}};
  }
  return out;
}

QString CaseFileController::acknowledgeBy() const {
  if (!file_.has_wbk() || app_ == nullptr) return QString();
  const client::WbkDeadlines d =
      client::ComputeDeadlines(file_.wbk(), app_->time_zone());
  return d.acknowledged
             ? UserText::tr("Done on %1").arg(UserText::Day(*d.acknowledged))
             : UserText::Day(d.acknowledge_by);
}

QString CaseFileController::feedbackBy() const {
  if (!file_.has_wbk() || app_ == nullptr) return QString();
  const client::WbkDeadlines d =
      client::ComputeDeadlines(file_.wbk(), app_->time_zone());
  return d.feedback_given
             ? UserText::tr("Done on %1").arg(UserText::Day(*d.feedback_given))
             : UserText::Day(d.feedback_by);
}

bool CaseFileController::extended() const {
  return file_.has_wbk() && !file_.wbk().extension_reason().empty();
}

bool CaseFileController::feedbackGiven() const {
  return file_.has_wbk() && file_.wbk().feedback_unix() != 0;
}

QVariantList CaseFileController::statusChoices() const {
  QVariantList out;
  for (int s = CaseFile::NEW; s <= CaseFile::CLOSED; ++s) {
    out << Choice(s, UserText::CaseStatus(CaseFile::Status(s)));
  }
  return out;
}

QVariantList CaseFileController::roleChoices() const {
  QVariantList out;
  for (int r = CaseFile::ROLE_UNSPECIFIED; r <= CaseFile::OTHER_ROLE; ++r) {
    out << Choice(r, UserText::Role(CaseFile::ReporterRole(r)));
  }
  return out;
}

QVariantList CaseFileController::outcomeChoices() const {
  QVariantList out;
  for (int o = CaseFile::OUTCOME_UNSPECIFIED; o <= CaseFile::OTHER_OUTCOME;
       ++o) {
    out << Choice(o, UserText::Outcome(CaseFile::Outcome(o)));
  }
  return out;
}

QVariantList CaseFileController::organisationChoices() const {
  QVariantList out;
  if (app_ == nullptr) return out;
  for (const client::Organisation& o : app_->organisations()) {
    out << QVariantMap{
        {QStringLiteral("value"), QString::fromStdString(o.id)},
        {QStringLiteral("name"), QString::fromStdString(o.name)}};
  }
  return out;
}

bool CaseFileController::Took(const absl::StatusOr<CaseFile>& file) {
  if (!file.ok()) {
    error_ = UserText::Error(file.status());
    Q_EMIT errorChanged();
    return false;
  }
  file_ = *file;
  if (!error_.isEmpty()) {
    error_.clear();
    Q_EMIT errorChanged();
  }
  Q_EMIT changed();
  return true;
}

bool CaseFileController::Update(const client::CaseFileUpdate& update) {
  if (!loaded_) return false;
  return Took(app_->UpdateCaseFile(case_id_, update));
}

bool CaseFileController::setStatus(int status) {
  client::CaseFileUpdate u;
  u.status = CaseFile::Status(status);
  return Update(u);
}

bool CaseFileController::setOrganisation(const QString& id) {
  client::CaseFileUpdate u;
  u.organisation_id = id.toStdString();
  return Update(u);
}

bool CaseFileController::toggleCategory(const QString& key) {
  std::vector<std::string> keys(file_.categories().begin(),
                                file_.categories().end());
  auto it = std::find(keys.begin(), keys.end(), key.toStdString());
  if (it == keys.end()) {
    keys.push_back(key.toStdString());
  } else {
    keys.erase(it);
  }
  client::CaseFileUpdate u;
  u.categories = keys;
  return Update(u);
}

bool CaseFileController::setRole(int role) {
  client::CaseFileUpdate u;
  u.reporter_role = CaseFile::ReporterRole(role);
  return Update(u);
}

bool CaseFileController::toggleSupport(int support) {
  std::vector<CaseFile::Support> list;
  bool found = false;
  for (int s : file_.support()) {
    if (s == support) {
      found = true;
    } else {
      list.push_back(CaseFile::Support(s));
    }
  }
  if (!found) list.push_back(CaseFile::Support(support));
  client::CaseFileUpdate u;
  u.support = list;
  return Update(u);
}

bool CaseFileController::toggleReferral(int referral) {
  std::vector<CaseFile::Referral> list;
  bool found = false;
  for (int r : file_.referrals()) {
    if (r == referral) {
      found = true;
    } else {
      list.push_back(CaseFile::Referral(r));
    }
  }
  if (!found) list.push_back(CaseFile::Referral(referral));
  client::CaseFileUpdate u;
  u.referrals = list;
  return Update(u);
}

bool CaseFileController::setOutcome(int outcome) {
  client::CaseFileUpdate u;
  u.outcome = CaseFile::Outcome(outcome);
  return Update(u);
}

bool CaseFileController::setConversations(int conversations) {
  client::CaseFileUpdate u;
  u.conversations = static_cast<uint32_t>(std::max(0, conversations));
  return Update(u);
}

bool CaseFileController::addMinutes(int minutes) {
  client::CaseFileUpdate u;
  u.add_minutes = minutes;
  return Update(u);
}

bool CaseFileController::addNote(const QString& text) {
  if (!loaded_) return false;
  return Took(app_->AddNote(case_id_, text.toStdString()));
}

bool CaseFileController::extend(const QString& reason) {
  if (!loaded_) return false;
  return Took(app_->ExtendDeadline(case_id_, reason.toStdString()));
}

bool CaseFileController::recordFeedback() {
  if (!loaded_) return false;
  return Took(app_->RecordFeedback(case_id_));
}

}  // namespace confidant::desktop
