#include "client/app/deadlines.h"

#include <optional>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace confidant::client {
namespace {

absl::CivilDay DayOf(int64_t unix_seconds, absl::TimeZone zone) {
  return absl::ToCivilDay(absl::FromUnixSeconds(unix_seconds), zone);
}

}  // namespace

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  const absl::CivilMonth target = absl::CivilMonth(day) + months;
  // The first day of the month after the target, less one: its last day.
  const absl::CivilDay last = absl::CivilDay(target + 1) - 1;
  const absl::CivilDay same(target.year(), target.month(), day.day());
  // CivilDay normalises 31 April to 1 May: clamp instead.
  return same.month() == target.month() ? same : last;
}

WbkDeadlines ComputeDeadlines(const v1::CaseFile::Wbk& wbk,
                              absl::TimeZone zone) {
  WbkDeadlines d;
  d.received = DayOf(wbk.received_unix(), zone);
  d.acknowledge_by = d.received + kAcknowledgeWithinDays;
  if (wbk.acknowledged_unix() != 0) {
    d.acknowledged = DayOf(wbk.acknowledged_unix(), zone);
  }
  if (wbk.feedback_unix() != 0) {
    d.feedback_given = DayOf(wbk.feedback_unix(), zone);
  }
  // From the acknowledgement if it was sent within the 7 days; from the end
  // of the 7 days otherwise (a late acknowledgement does not buy time).
  const absl::CivilDay base =
      d.acknowledged.has_value() && *d.acknowledged <= d.acknowledge_by
          ? *d.acknowledged
          : d.acknowledge_by;
  d.extended = !wbk.extension_reason().empty();
  d.feedback_by = AddMonths(
      base, kFeedbackWithinMonths + (d.extended ? kExtensionMonths : 0));
  return d;
}

std::optional<bool> Met(absl::CivilDay deadline,
                        const std::optional<absl::CivilDay>& done,
                        absl::CivilDay today) {
  if (done.has_value()) return *done <= deadline;
  if (today > deadline) return false;
  return std::nullopt;
}

DueItem::State StateOf(absl::CivilDay due, absl::CivilDay today,
                       int warning_days) {
  const int64_t left = due - today;
  if (left < 0) return DueItem::State::kOverdue;
  if (left == 0) return DueItem::State::kToday;
  if (left <= warning_days) return DueItem::State::kWarning;
  return DueItem::State::kUpcoming;
}

}  // namespace confidant::client
