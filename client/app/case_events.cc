#include "client/app/case_events.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace confidant::client {
namespace {

using v1::CaseEvent;

// RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped.
std::string EscapeText(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
      case ';':
      case ',':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and a
// space, never splitting a UTF-8 sequence.
void AddLine(std::string& out, std::string_view line) {
  size_t limit = 75;
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = 74;  // the leading space counts
  }
  out.append(line);
  out += "\r\n";
}

std::string UtcStamp(absl::Time t) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", t, absl::UTCTimeZone());
}

}  // namespace

AppointmentState FoldAppointment(const std::vector<CaseMessage>& entries) {
  AppointmentState state;
  for (const CaseMessage& m : entries) {
    if (!m.event.has_value()) continue;
    if (m.event->has_appointment_proposal()) {
      state = AppointmentState();
      state.proposed = true;
      state.proposal = m.event->appointment_proposal();
      state.proposed_at = m.time;
    } else if (m.event->has_appointment_answer() && state.proposed &&
               state.answer == AppointmentState::Answer::kNone) {
      const CaseEvent::AppointmentAnswer& a = m.event->appointment_answer();
      if (a.proposal_id() != state.proposal.proposal_id()) continue;
      state.answer_note = a.note();
      if (a.accepted_slot() == 0) {
        state.answer = AppointmentState::Answer::kOtherTimesAsked;
      } else if (a.accepted_slot() <=
                 static_cast<uint32_t>(state.proposal.slots_size())) {
        state.answer = AppointmentState::Answer::kAccepted;
        state.agreed = state.proposal.slots(a.accepted_slot() - 1);
      }
    }
  }
  return state;
}

HandoverState FoldHandover(const std::vector<CaseMessage>& entries) {
  HandoverState state;
  for (const CaseMessage& m : entries) {
    if (!m.event.has_value()) continue;
    if (m.event->has_handover_proposal()) {
      state = HandoverState();
      state.proposed = true;
      state.proposal = m.event->handover_proposal();
      state.proposed_at = m.time;
    } else if (m.event->has_handover_answer() && state.proposed &&
               state.answer == HandoverState::Answer::kPending &&
               m.event->handover_answer().handover_id() ==
                   state.proposal.handover_id()) {
      state.answer = m.event->handover_answer().consent()
                         ? HandoverState::Answer::kConsented
                         : HandoverState::Answer::kRefused;
    }
  }
  return state;
}

absl::StatusOr<std::string> AppointmentICalendar(const AppointmentState& state,
                                                 std::string_view summary,
                                                 absl::Time now) {
  if (state.answer != AppointmentState::Answer::kAccepted) {
    return absl::FailedPreconditionError("no appointment was agreed yet");
  }
  const CaseEvent::Slot& slot = state.agreed;
  const absl::Time start = absl::FromUnixSeconds(slot.start_unix());
  const absl::Time end = start + absl::Minutes(slot.duration_minutes());
  std::string mode;
  switch (slot.mode()) {
    case CaseEvent::ONLINE:
      mode = "Online";
      break;
    case CaseEvent::PHONE:
      mode = "Telefonisch / By phone";
      break;
    default:
      mode = "Op locatie / On location";
  }
  std::string out;
  AddLine(out, "BEGIN:VCALENDAR");
  AddLine(out, "VERSION:2.0");
  AddLine(out, "PRODID:-//Confidant//Confidant//NL");
  AddLine(out, "CALSCALE:GREGORIAN");
  AddLine(out, "METHOD:PUBLISH");
  AddLine(out, "BEGIN:VEVENT");
  AddLine(out, absl::StrCat(
                   "UID:", absl::BytesToHexString(state.proposal.proposal_id()),
                   "@confidant"));
  AddLine(out, absl::StrCat("DTSTAMP:", UtcStamp(now)));
  AddLine(out, absl::StrCat("DTSTART:", UtcStamp(start)));
  AddLine(out, absl::StrCat("DTEND:", UtcStamp(end)));
  AddLine(out, absl::StrCat("SUMMARY:", EscapeText(summary)));
  AddLine(out, absl::StrCat("DESCRIPTION:", EscapeText(mode)));
  if (slot.mode() == CaseEvent::ON_LOCATION) {
    AddLine(out, absl::StrCat("LOCATION:", EscapeText(slot.place())));
  }
  AddLine(out, "CLASS:CONFIDENTIAL");
  AddLine(out, "TRANSP:OPAQUE");
  AddLine(out, "END:VEVENT");
  AddLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace confidant::client
