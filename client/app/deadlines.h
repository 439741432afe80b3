// The legal deadlines of a whistleblower report (melding in de zin van de
// Wet bescherming klokkenluiders, EU Directive 2019/1937 art. 9(1)(b) and
// (f)): an acknowledgement of receipt within 7 days of receipt, and feedback
// within 3 months of the acknowledgement, or of the end of those 7 days when
// none was sent; once extended by 3 months (6 in all) with a reason.
//
// A deadline is a day in the trust person's time zone and lasts to that
// day's end, so daylight-saving changes move no deadline. "3 months later"
// is the same day of the month, or the month's last day when it has none
// (30 November + 3 months = 28 or 29 February).
#ifndef CONFIDANT_CLIENT_APP_DEADLINES_H_
#define CONFIDANT_CLIENT_APP_DEADLINES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

inline constexpr int kAcknowledgeWithinDays = 7;
inline constexpr int kFeedbackWithinMonths = 3;
inline constexpr int kExtensionMonths = 3;

// `day` plus `months`, clamped to the last day of the month reached.
absl::CivilDay AddMonths(absl::CivilDay day, int months);

struct WbkDeadlines {
  absl::CivilDay received;
  absl::CivilDay acknowledge_by;  // last day
  absl::CivilDay feedback_by;     // last day, with the extension if any
  bool extended = false;
  // Done on (in the time zone), if done.
  std::optional<absl::CivilDay> acknowledged;
  std::optional<absl::CivilDay> feedback_given;
};

WbkDeadlines ComputeDeadlines(const v1::CaseFile::Wbk& wbk,
                              absl::TimeZone zone);

// Whether a deadline was met: true or false once it is done or past,
// nullopt while it is open and not yet past at `today`.
std::optional<bool> Met(absl::CivilDay deadline,
                        const std::optional<absl::CivilDay>& done,
                        absl::CivilDay today);

// One open deadline or reminder as `confidant due` lists it.
struct DueItem {
  enum class Kind {
    kAcknowledgement,  // Wbk: acknowledge receipt
    kFeedback,         // Wbk: give feedback
    kPurge,            // the retention period ends: the case is purged
  };
  enum class State {
    kUpcoming,  // further away than the warning
    kWarning,   // within the warning days
    kToday,     // the last day is today
    kOverdue,   // past
  };
  Kind kind = Kind::kAcknowledgement;
  State state = State::kUpcoming;
  std::string case_id;  // 16 bytes
  std::string case_number;
  absl::CivilDay due;
  int days_left = 0;  // negative when overdue
};

// The state of a deadline on `due` seen at `today` with `warning_days`.
DueItem::State StateOf(absl::CivilDay due, absl::CivilDay today,
                       int warning_days);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_DEADLINES_H_
