#include "client/app/casework.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/bytes.h"
#include "base/utf8.h"
#include "client/case_policy.h"

namespace confidant::client {
namespace {

using v1::CaseFile;
using v1::Category;
using v1::CategoryList;

constexpr char kCategoriesKey[] = "casework.categories";
constexpr char kNextPrefix[] = "casework.next.";

absl::Status Corrupt() {
  return absl::DataLossError("a case file in the profile is corrupt");
}

bool IsKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsHexId(std::string_view id) {
  return id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Category Make(const char* key, const char* nl, const char* en) {
  Category c;
  c.set_key(key);
  c.set_name_nl(nl);
  c.set_name_en(en);
  return c;
}

}  // namespace

std::vector<Category> DefaultCategories() {
  return {
      Make("pesten", "Pesten", "Bullying"),
      Make("intimidatie", "Intimidatie", "Intimidation"),
      Make("seksuele-intimidatie", "Seksuele intimidatie", "Sexual harassment"),
      Make("agressie-en-geweld", "Agressie en geweld",
           "Aggression and violence"),
      Make("bedreiging", "Bedreiging", "Threats"),
      Make("discriminatie", "Discriminatie", "Discrimination"),
      Make("integriteit",
           "Integriteit (fraude, machtsmisbruik, diefstal, corruptie)",
           "Integrity (fraud, abuse of power, theft, corruption)"),
      Make("werkdruk", "Werkdruk / psychosociale arbeidsbelasting",
           "Work pressure / psychosocial workload"),
      Make("overig", "Overig", "Other"),
  };
}

CaseFiles::CaseFiles(ProfileStore& profile, Messenger& messenger,
                     AccountKind kind, absl::TimeZone time_zone)
    : profile_(profile),
      messenger_(messenger),
      kind_(kind),
      time_zone_(time_zone) {}

absl::StatusOr<CaseSummary> CaseFiles::Allowed(std::string_view case_id) {
  if (absl::Status s = MayKeepCaseFiles(kind_); !s.ok()) return s;
  return messenger_.GetCase(case_id);
}

absl::StatusOr<CaseFile> CaseFiles::Get(std::string_view case_id,
                                        absl::Time now) {
  absl::MutexLock lock(&mu_);
  return GetLocked(case_id, now);
}

absl::StatusOr<CaseFile> CaseFiles::GetLocked(std::string_view case_id,
                                              absl::Time now) {
  // The case once: whether it exists, and what the file follows of it.
  absl::StatusOr<CaseSummary> summary = Allowed(case_id);
  if (!summary.ok()) return summary.status();
  return FileOfLocked(*summary, now);
}

absl::StatusOr<CaseFile> CaseFiles::FileOfLocked(const CaseSummary& summary,
                                                 absl::Time now) {
  const std::string& case_id = summary.case_id;
  absl::StatusOr<std::optional<std::string>> raw =
      profile_.Get(Namespace::kCaseFile, case_id);
  if (!raw.ok()) return raw.status();
  CaseFile file;
  if (raw->has_value()) {
    if (!file.ParseFromString(**raw)) return Corrupt();
    if (!file.handed_over() && summary.handed_over) {
      file.set_handed_over(true);
      if (file.status() != CaseFile::CLOSED) {
        file.set_status(CaseFile::CLOSED);
        file.set_closed_unix(absl::ToUnixSeconds(now));
      }
      if (absl::Status s = profile_.Put(Namespace::kCaseFile, case_id,
                                        file.SerializeAsString());
          !s.ok()) {
        return s;
      }
    }
    return file;
  }
  // Registered as of the case's first message, with the next number of
  // that year: a case that came in on 30 December and is first looked at in
  // January belongs to the old year.
  const absl::Time registered = std::min(summary.created, now);
  const int64_t year = absl::ToCivilYear(registered, time_zone_).year();
  const std::string counter = absl::StrCat(kNextPrefix, year);
  absl::StatusOr<std::optional<std::string>> next =
      profile_.Get(Namespace::kMeta, counter);
  if (!next.ok()) return next.status();
  uint32_t number = 1;
  if (next->has_value()) {
    if ((*next)->size() != 4) return Corrupt();
    number = static_cast<uint32_t>(base::GetBigEndian(**next, 4));
  }
  file.set_number(absl::StrFormat("%d-%03u", year, number));
  file.set_status(CaseFile::NEW);
  file.set_registered_unix(absl::ToUnixSeconds(registered));
  std::string bumped;
  base::PutBigEndian(bumped, number + 1, 4);
  ProfileStore::Batch batch;
  batch.Put(Namespace::kMeta, counter, bumped);
  batch.Put(Namespace::kCaseFile, case_id, file.SerializeAsString());
  if (absl::Status s = profile_.Write(batch); !s.ok()) return s;
  return file;
}

absl::StatusOr<CaseFile> CaseFiles::Update(std::string_view case_id,
                                           const CaseFileUpdate& update,
                                           absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<CaseFile> file = GetLocked(case_id, now);
  if (!file.ok()) return file;
  CaseFile next = *file;
  if (update.status.has_value()) {
    if (!CaseFile::Status_IsValid(*update.status) ||
        *update.status == CaseFile::STATUS_UNSPECIFIED) {
      return absl::InvalidArgumentError("unknown case status");
    }
    if (*update.status == CaseFile::CLOSED &&
        next.status() != CaseFile::CLOSED) {
      next.set_closed_unix(absl::ToUnixSeconds(now));
    } else if (*update.status != CaseFile::CLOSED) {
      next.set_closed_unix(0);
    }
    next.set_status(*update.status);
  }
  if (update.organisation_id.has_value()) {
    if (!update.organisation_id->empty() && !IsHexId(*update.organisation_id)) {
      return absl::InvalidArgumentError("an organisation id has 16 hex digits");
    }
    next.set_organisation_id(*update.organisation_id);
  }
  if (update.categories.has_value()) {
    absl::StatusOr<std::vector<Category>> known = CategoriesLocked();
    if (!known.ok()) return known.status();
    std::set<std::string> keys;
    for (const Category& c : *known) keys.insert(c.key());
    next.clear_categories();
    std::set<std::string> seen;
    for (const std::string& key : *update.categories) {
      if (keys.count(key) == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown category ", key));
      }
      if (seen.insert(key).second) next.add_categories(key);
    }
  }
  if (update.reporter_role.has_value()) {
    if (!CaseFile::ReporterRole_IsValid(*update.reporter_role)) {
      return absl::InvalidArgumentError("unknown reporter role");
    }
    next.set_reporter_role(*update.reporter_role);
  }
  if (update.support.has_value()) {
    next.clear_support();
    bool whistleblower = false;
    for (CaseFile::Support s : *update.support) {
      if (!CaseFile::Support_IsValid(s) || s == CaseFile::SUPPORT_UNSPECIFIED) {
        return absl::InvalidArgumentError("unknown kind of support");
      }
      next.add_support(s);
      whistleblower |= s == CaseFile::WHISTLEBLOWER_REPORT;
    }
    if (!whistleblower) {
      next.clear_wbk();
    } else if (!next.has_wbk()) {
      // Received when the case's first message was.
      absl::StatusOr<CaseSummary> summary = messenger_.GetCase(case_id);
      if (!summary.ok()) return summary.status();
      next.mutable_wbk()->set_received_unix(
          absl::ToUnixSeconds(summary->created));
      // An acknowledgement sent before the case was marked counts.
      absl::StatusOr<std::vector<CaseMessage>> messages =
          messenger_.ReadCase(case_id);
      if (!messages.ok()) return messages.status();
      for (const CaseMessage& m : *messages) {
        if (m.direction == Direction::kOutgoing && m.event.has_value() &&
            m.event->has_acknowledgement()) {
          next.mutable_wbk()->set_acknowledged_unix(
              absl::ToUnixSeconds(m.time));
          break;
        }
      }
    }
  }
  if (update.referrals.has_value()) {
    next.clear_referrals();
    for (CaseFile::Referral r : *update.referrals) {
      if (!CaseFile::Referral_IsValid(r) ||
          r == CaseFile::REFERRAL_UNSPECIFIED) {
        return absl::InvalidArgumentError("unknown referral");
      }
      next.add_referrals(r);
    }
  }
  if (update.outcome.has_value()) {
    if (!CaseFile::Outcome_IsValid(*update.outcome)) {
      return absl::InvalidArgumentError("unknown outcome");
    }
    next.set_outcome(*update.outcome);
  }
  if (update.conversations.has_value()) {
    next.set_conversations(*update.conversations);
  }
  if (update.add_minutes.has_value()) {
    const int64_t minutes =
        static_cast<int64_t>(next.minutes()) + *update.add_minutes;
    next.set_minutes(static_cast<uint32_t>(
        std::clamp<int64_t>(minutes, 0, int64_t{1} << 31)));
  }
  if (absl::Status s =
          profile_.Put(Namespace::kCaseFile, case_id, next.SerializeAsString());
      !s.ok()) {
    return s;
  }
  return next;
}

absl::StatusOr<CaseFile> CaseFiles::AddNote(std::string_view case_id,
                                            std::string_view text,
                                            absl::Time now) {
  if (text.empty() || text.size() > kMaxNoteBytes) {
    return absl::InvalidArgumentError("a note has 1 to 16384 bytes");
  }
  if (!base::IsValidUtf8(text)) {
    return absl::InvalidArgumentError("a note must be UTF-8");
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<CaseFile> file = GetLocked(case_id, now);
  if (!file.ok()) return file;
  CaseFile::Note* note = file->add_notes();
  note->set_written_unix(absl::ToUnixSeconds(now));
  note->set_text(std::string(text));
  if (absl::Status s = profile_.Put(Namespace::kCaseFile, case_id,
                                    file->SerializeAsString());
      !s.ok()) {
    return s;
  }
  return file;
}

absl::StatusOr<std::vector<Category>> CaseFiles::Categories() {
  absl::MutexLock lock(&mu_);
  return CategoriesLocked();
}

absl::StatusOr<std::vector<Category>> CaseFiles::CategoriesLocked() {
  absl::StatusOr<std::optional<std::string>> raw =
      profile_.Get(Namespace::kMeta, kCategoriesKey);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return DefaultCategories();
  CategoryList list;
  if (!list.ParseFromString(**raw)) return Corrupt();
  return std::vector<Category>(list.categories().begin(),
                               list.categories().end());
}

absl::Status CaseFiles::SetCategories(const std::vector<Category>& categories) {
  if (absl::Status s = MayKeepCaseFiles(kind_); !s.ok()) return s;
  std::set<std::string> keys;
  CategoryList list;
  for (const Category& c : categories) {
    if (!IsKey(c.key())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a category key is lowercase a-z, 0-9 and '-': ", c.key()));
    }
    if (c.name_nl().empty() || c.name_en().empty() ||
        !base::IsValidUtf8(c.name_nl()) || !base::IsValidUtf8(c.name_en())) {
      return absl::InvalidArgumentError(
          absl::StrCat("category ", c.key(),
                       " needs a Dutch and an English "
                       "name"));
    }
    if (!keys.insert(c.key()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("category ", c.key(), " appears twice"));
    }
    *list.add_categories() = c;
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> files =
      profile_.Scan(Namespace::kCaseFile);
  if (!files.ok()) return files.status();
  for (const auto& [id, raw] : *files) {
    CaseFile file;
    if (!file.ParseFromString(raw)) return Corrupt();
    for (const std::string& key : file.categories()) {
      if (keys.count(key) == 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("category ", key, " is used by case ", file.number()));
      }
    }
  }
  return profile_.Put(Namespace::kMeta, kCategoriesKey,
                      list.SerializeAsString());
}

}  // namespace confidant::client
