// What the case events of a conversation add up to: the appointment being
// planned and the hand-over being asked, folded from the case's entries
// (client/case_policy.h says who sends which), and an appointment as an
// iCalendar file for the trust person's own calendar.
#ifndef CONFIDANT_CLIENT_APP_CASE_EVENTS_H_
#define CONFIDANT_CLIENT_APP_CASE_EVENTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/messenger.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

struct AppointmentState {
  enum class Answer {
    kNone,             // no proposal, or not answered yet
    kAccepted,         // a slot was accepted: `agreed`
    kOtherTimesAsked,  // the employee asked for other times
  };
  // The latest proposal; earlier ones are replaced by it.
  bool proposed = false;
  v1::CaseEvent::AppointmentProposal proposal;
  absl::Time proposed_at;
  Answer answer = Answer::kNone;
  v1::CaseEvent::Slot agreed;
  std::string answer_note;
};

struct HandoverState {
  enum class Answer { kPending, kConsented, kRefused };
  // The latest proposal.
  bool proposed = false;
  v1::CaseEvent::HandoverProposal proposal;
  absl::Time proposed_at;
  Answer answer = Answer::kPending;
};

AppointmentState FoldAppointment(const std::vector<CaseMessage>& entries);
HandoverState FoldHandover(const std::vector<CaseMessage>& entries);

// The agreed appointment as an iCalendar (RFC 5545) file: one VEVENT in UTC
// with `summary` (no name, case number or message of the case unless the
// caller puts one there), the mode, and the place when on location.
// FAILED_PRECONDITION if no slot was accepted.
absl::StatusOr<std::string> AppointmentICalendar(const AppointmentState& state,
                                                 std::string_view summary,
                                                 absl::Time now);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_CASE_EVENTS_H_
