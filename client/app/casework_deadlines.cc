// Case files over time: the trust person's settings, the deadlines of
// whistleblower reports, what is due, and purging closed cases.
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/utf8.h"
#include "client/app/casework.h"
#include "client/app/deadlines.h"
#include "client/app/invoice.h"
#include "client/case_policy.h"

namespace confidant::client {
namespace {

using v1::CaseFile;
using v1::CaseworkSettings;

constexpr char kSettingsKey[] = "casework.settings";
constexpr size_t kMaxAcknowledgementBytes = 8192;
constexpr uint32_t kMaxWarningDays = 60;
constexpr uint32_t kMinRetentionDays = 30;
constexpr uint32_t kMaxRetentionDays = 3650;
constexpr uint32_t kMaxReminderDays = 60;

absl::Status Corrupt() {
  return absl::DataLossError("a case file in the profile is corrupt");
}

absl::Status NotWhistleblowerReport() {
  return absl::FailedPreconditionError(
      "the case is not marked as a whistleblower report");
}

}  // namespace

std::string DefaultAcknowledgementNl() {
  return "Ik bevestig dat ik je melding heb ontvangen. Wat je mij vertelt, "
         "blijft vertrouwelijk: ik deel niets zonder jouw toestemming. Ik "
         "neem zo snel mogelijk contact met je op over de volgende stap.";
}

std::string DefaultAcknowledgementEn() {
  return "I confirm that I have received your report. What you tell me stays "
         "confidential: I share nothing without your consent. I will contact "
         "you as soon as possible about the next step.";
}

absl::StatusOr<CaseworkSettings> CaseFiles::Settings() {
  if (absl::Status s = MayKeepCaseFiles(kind_); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  return SettingsLocked();
}

absl::StatusOr<CaseworkSettings> CaseFiles::SettingsLocked() {
  absl::StatusOr<std::optional<std::string>> raw =
      profile_.Get(Namespace::kMeta, kSettingsKey);
  if (!raw.ok()) return raw.status();
  CaseworkSettings settings;
  if (raw->has_value() && !settings.ParseFromString(**raw)) return Corrupt();
  if (!settings.has_warning_days()) {
    settings.set_warning_days(kDefaultWarningDays);
  }
  if (!settings.has_retention_reminder_days()) {
    settings.set_retention_reminder_days(kDefaultRetentionReminderDays);
  }
  if (settings.acknowledgement_nl().empty()) {
    settings.set_acknowledgement_nl(DefaultAcknowledgementNl());
  }
  if (settings.acknowledgement_en().empty()) {
    settings.set_acknowledgement_en(DefaultAcknowledgementEn());
  }
  return settings;
}

absl::Status CaseFiles::SaveSettings(const CaseworkSettings& settings) {
  if (absl::Status s = MayKeepCaseFiles(kind_); !s.ok()) return s;
  if (settings.warning_days() > kMaxWarningDays) {
    return absl::InvalidArgumentError("warnings start at most 60 days before");
  }
  if (settings.retention_days() != 0 &&
      (settings.retention_days() < kMinRetentionDays ||
       settings.retention_days() > kMaxRetentionDays)) {
    return absl::InvalidArgumentError(
        "a retention period is off (0) or 30 to 3650 days");
  }
  if (settings.has_retention_reminder_days() &&
      (settings.retention_reminder_days() < 1 ||
       settings.retention_reminder_days() > kMaxReminderDays)) {
    return absl::InvalidArgumentError(
        "the purge reminder comes 1 to 60 days before");
  }
  for (const std::string* text :
       {&settings.acknowledgement_nl(), &settings.acknowledgement_en()}) {
    if (text->size() > kMaxAcknowledgementBytes || !base::IsValidUtf8(*text)) {
      return absl::InvalidArgumentError(
          "an acknowledgement text is UTF-8 of at most 8192 bytes");
    }
  }
  if (absl::Status s = CheckInvoicing(settings.invoicing()); !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&mu_);
  return profile_.Put(Namespace::kMeta, kSettingsKey,
                      settings.SerializeAsString());
}

absl::StatusOr<std::string> CaseFiles::AcknowledgementText() {
  absl::StatusOr<CaseworkSettings> settings = Settings();
  if (!settings.ok()) return settings.status();
  return absl::StrCat(settings->acknowledgement_nl(), "\n\n",
                      settings->acknowledgement_en());
}

absl::StatusOr<CaseFile> CaseFiles::Change(
    std::string_view case_id, absl::Time now,
    const std::function<absl::Status(CaseFile&)>& change) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<CaseFile> file = GetLocked(case_id, now);
  if (!file.ok()) return file;
  CaseFile next = *file;
  if (absl::Status s = change(next); !s.ok()) return s;
  if (absl::Status s =
          profile_.Put(Namespace::kCaseFile, case_id, next.SerializeAsString());
      !s.ok()) {
    return s;
  }
  return next;
}

absl::StatusOr<CaseFile> CaseFiles::RecordAcknowledgement(
    std::string_view case_id, absl::Time now) {
  return Change(case_id, now, [&](CaseFile& file) {
    if (file.has_wbk() && file.wbk().acknowledged_unix() == 0) {
      file.mutable_wbk()->set_acknowledged_unix(absl::ToUnixSeconds(now));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<CaseFile> CaseFiles::RecordFeedback(std::string_view case_id,
                                                   absl::Time now) {
  return Change(case_id, now, [&](CaseFile& file) {
    if (!file.has_wbk()) return NotWhistleblowerReport();
    if (file.wbk().feedback_unix() != 0) {
      return absl::FailedPreconditionError("feedback was recorded before");
    }
    file.mutable_wbk()->set_feedback_unix(absl::ToUnixSeconds(now));
    return absl::OkStatus();
  });
}

absl::StatusOr<CaseFile> CaseFiles::ExtendDeadline(std::string_view case_id,
                                                   std::string_view reason,
                                                   absl::Time now) {
  if (reason.empty() || reason.size() > kMaxReasonBytes ||
      !base::IsValidUtf8(reason)) {
    return absl::InvalidArgumentError(
        "an extension needs a reason of 1 to 1000 bytes of UTF-8");
  }
  return Change(case_id, now, [&](CaseFile& file) {
    if (!file.has_wbk()) return NotWhistleblowerReport();
    if (!file.wbk().extension_reason().empty()) {
      return absl::FailedPreconditionError(
          "the feedback deadline was extended before; the law allows one "
          "extension of 3 months");
    }
    if (file.wbk().feedback_unix() != 0) {
      return absl::FailedPreconditionError("feedback was given already");
    }
    file.mutable_wbk()->set_extension_reason(std::string(reason));
    file.mutable_wbk()->set_extended_unix(absl::ToUnixSeconds(now));
    return absl::OkStatus();
  });
}

absl::StatusOr<WbkDeadlines> CaseFiles::Deadlines(std::string_view case_id,
                                                  absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<CaseFile> file = GetLocked(case_id, now);
  if (!file.ok()) return file.status();
  if (!file->has_wbk()) return NotWhistleblowerReport();
  return ComputeDeadlines(file->wbk(), time_zone_);
}

absl::StatusOr<CaseFile> CaseFiles::MarkHandedOver(std::string_view case_id,
                                                   absl::Time now) {
  // Reading the file closes it once the case record says it was handed
  // over (GetLocked): the one place that rule is written.
  return Get(case_id, now);
}

absl::StatusOr<std::vector<DueItem>> CaseFiles::Due(absl::Time now) {
  if (absl::Status s = MayKeepCaseFiles(kind_); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  absl::StatusOr<CaseworkSettings> settings = SettingsLocked();
  if (!settings.ok()) return settings.status();
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> files =
      profile_.Scan(Namespace::kCaseFile);
  if (!files.ok()) return files.status();
  const absl::CivilDay today = absl::ToCivilDay(now, time_zone_);
  const int warning = static_cast<int>(settings->warning_days());
  std::vector<DueItem> out;
  auto add = [&](DueItem::Kind kind, const std::string& id,
                 const CaseFile& file, absl::CivilDay due, int warn) {
    DueItem item;
    item.kind = kind;
    item.case_id = id;
    item.case_number = file.number();
    item.due = due;
    item.days_left = static_cast<int>(due - today);
    item.state = StateOf(due, today, warn);
    out.push_back(std::move(item));
  };
  for (const auto& [id, raw] : *files) {
    CaseFile file;
    if (!file.ParseFromString(raw)) return Corrupt();
    if (file.has_wbk() && file.status() != CaseFile::CLOSED &&
        !file.handed_over()) {
      // A report with deadlines open may have been handed over while its
      // file could not be written (App::Publish): read through GetLocked,
      // which closes it then, rather than list deadlines no longer ours.
      // Only these files cost a look at their case.
      absl::StatusOr<CaseFile> current = GetLocked(id, now);
      if (current.ok()) {
        file = *std::move(current);
      } else if (!absl::IsNotFound(current.status())) {
        return current.status();
      }
    }
    if (file.status() == CaseFile::CLOSED) {
      if (settings->retention_days() != 0 && file.closed_unix() != 0) {
        const absl::CivilDay closed = absl::ToCivilDay(
            absl::FromUnixSeconds(file.closed_unix()), time_zone_);
        add(DueItem::Kind::kPurge, id, file,
            closed + settings->retention_days(),
            static_cast<int>(settings->retention_reminder_days()));
      }
      continue;  // a closed case has no deadlines left to meet
    }
    if (!file.has_wbk()) continue;
    const WbkDeadlines d = ComputeDeadlines(file.wbk(), time_zone_);
    if (!d.acknowledged.has_value()) {
      add(DueItem::Kind::kAcknowledgement, id, file, d.acknowledge_by, warning);
    }
    if (!d.feedback_given.has_value()) {
      add(DueItem::Kind::kFeedback, id, file, d.feedback_by, warning);
    }
  }
  std::sort(out.begin(), out.end(), [](const DueItem& a, const DueItem& b) {
    if (a.due != b.due) return a.due < b.due;
    return a.case_number < b.case_number;
  });
  return out;
}

absl::Status CaseFiles::Purge(std::string_view case_id) {
  if (absl::Status s = MayKeepCaseFiles(kind_); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  return PurgeLocked(case_id);
}

absl::Status CaseFiles::PurgeLocked(std::string_view case_id) {
  absl::StatusOr<std::optional<std::string>> raw =
      profile_.Get(Namespace::kCaseFile, case_id);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) {
    if (absl::Status s = messenger_.GetCase(case_id).status(); !s.ok()) {
      return s;
    }
    return absl::FailedPreconditionError("only a closed case can be purged");
  }
  CaseFile file;
  if (!file.ParseFromString(**raw)) return Corrupt();
  if (file.status() != CaseFile::CLOSED) {
    return absl::FailedPreconditionError("only a closed case can be purged");
  }
  // The conversation and the file go together or not at all.
  ProfileStore::Transaction txn(profile_);
  if (absl::Status s = messenger_.Purge(case_id); !s.ok()) return s;
  if (absl::Status s = profile_.Delete(Namespace::kCaseFile, case_id);
      !s.ok()) {
    return s;
  }
  return txn.Commit();
}

absl::StatusOr<int> CaseFiles::PurgeExpired(absl::Time now) {
  if (absl::Status s = MayKeepCaseFiles(kind_); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  absl::StatusOr<CaseworkSettings> settings = SettingsLocked();
  if (!settings.ok()) return settings.status();
  if (settings->retention_days() == 0) return 0;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> files =
      profile_.Scan(Namespace::kCaseFile);
  if (!files.ok()) return files.status();
  const absl::CivilDay today = absl::ToCivilDay(now, time_zone_);
  int purged = 0;
  for (const auto& [id, raw] : *files) {
    CaseFile file;
    if (!file.ParseFromString(raw)) return Corrupt();
    if (file.status() != CaseFile::CLOSED || file.closed_unix() == 0) continue;
    const absl::CivilDay closed =
        absl::ToCivilDay(absl::FromUnixSeconds(file.closed_unix()), time_zone_);
    if (closed + settings->retention_days() > today) continue;
    if (absl::Status s = PurgeLocked(id); !s.ok()) return s;
    ++purged;
  }
  return purged;
}

}  // namespace confidant::client
