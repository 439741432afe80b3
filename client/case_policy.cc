#include "client/case_policy.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "confidant/v1/wire.h"

namespace confidant::client {
namespace {

using v1::CaseEvent;

absl::Status Text(const std::string& text, const char* what, size_t min,
                  size_t max) {
  if (text.size() < min || text.size() > max) {
    return absl::InvalidArgumentError(
        min > 0 ? absl::StrCat(what, " has 1 to ", max, " bytes")
                : absl::StrCat(what, " has at most ", max, " bytes"));
  }
  if (!base::IsValidUtf8(text)) {
    return absl::InvalidArgumentError(absl::StrCat(what, " must be UTF-8"));
  }
  return absl::OkStatus();
}

absl::Status Id(const std::string& id, const char* what) {
  if (id.size() != wire::kCaseIdSize) {
    return absl::InvalidArgumentError(absl::StrCat(what, " has 16 bytes"));
  }
  return absl::OkStatus();
}

absl::Status Reason(CaseEvent::HandoverReason reason) {
  if (reason == CaseEvent::REASON_UNSPECIFIED ||
      !CaseEvent::HandoverReason_IsValid(reason)) {
    return absl::InvalidArgumentError("a hand-over needs a known reason");
  }
  return absl::OkStatus();
}

constexpr size_t kMaxBody = 64 * 1024;

}  // namespace

AccountKind PeerKind(AccountKind own) {
  switch (own) {
    case AccountKind::kEmployee:
      return AccountKind::kTrustPerson;
    case AccountKind::kTrustPerson:
      return AccountKind::kEmployee;
    case AccountKind::kUnspecified:
      break;
  }
  return AccountKind::kUnspecified;
}

absl::Status MaySend(AccountKind sender, const CaseEvent& event) {
  bool trust_person_only = false;
  switch (event.event_case()) {
    case CaseEvent::kStatusShared:
    case CaseEvent::kAcknowledgement:
    case CaseEvent::kAppointmentProposal:
    case CaseEvent::kHandoverProposal:
      trust_person_only = true;
      break;
    case CaseEvent::kAppointmentAnswer:
    case CaseEvent::kHandoverAnswer:
    case CaseEvent::kHandoverIntro:
    case CaseEvent::kForwarded:
      break;
    case CaseEvent::EVENT_NOT_SET:
      return absl::InvalidArgumentError("an empty case event");
  }
  const AccountKind allowed =
      trust_person_only ? AccountKind::kTrustPerson : AccountKind::kEmployee;
  if (sender != allowed) {
    return absl::PermissionDeniedError(
        trust_person_only ? "only the trust person of a case can do that"
                          : "only the employee of a case can do that");
  }
  return absl::OkStatus();
}

absl::Status Validate(const CaseEvent& event) {
  switch (event.event_case()) {
    case CaseEvent::kStatusShared: {
      const CaseEvent::SharedStatus s = event.status_shared().status();
      if (s == CaseEvent::SHARED_STATUS_UNSPECIFIED ||
          !CaseEvent::SharedStatus_IsValid(s)) {
        return absl::InvalidArgumentError("an unknown shared status");
      }
      return absl::OkStatus();
    }
    case CaseEvent::kAcknowledgement:
      return Text(event.acknowledgement().text(), "an acknowledgement", 1,
                  kMaxBody);
    case CaseEvent::kAppointmentProposal: {
      const CaseEvent::AppointmentProposal& p = event.appointment_proposal();
      if (absl::Status s = Id(p.proposal_id(), "a proposal id"); !s.ok()) {
        return s;
      }
      if (p.slots().empty() ||
          static_cast<size_t>(p.slots_size()) > kMaxSlots) {
        return absl::InvalidArgumentError("a proposal has 1 to 3 time slots");
      }
      for (const CaseEvent::Slot& slot : p.slots()) {
        if (slot.start_unix() <= 0) {
          return absl::InvalidArgumentError("a time slot needs a start");
        }
        if (slot.duration_minutes() < kMinSlotMinutes ||
            slot.duration_minutes() > kMaxSlotMinutes) {
          return absl::InvalidArgumentError(
              "a time slot lasts 5 to 480 minutes");
        }
        if (slot.mode() == CaseEvent::MODE_UNSPECIFIED ||
            !CaseEvent::Mode_IsValid(slot.mode())) {
          return absl::InvalidArgumentError(
              "a time slot is online, by phone or on location");
        }
        if (slot.mode() == CaseEvent::ON_LOCATION) {
          if (absl::Status s = Text(slot.place(), "a place", 1, kMaxPlaceBytes);
              !s.ok()) {
            return s;
          }
        } else if (!slot.place().empty()) {
          return absl::InvalidArgumentError(
              "only a slot on location has a place");
        }
      }
      return Text(p.note(), "a note", 0, kMaxEventNoteBytes);
    }
    case CaseEvent::kAppointmentAnswer: {
      const CaseEvent::AppointmentAnswer& a = event.appointment_answer();
      if (absl::Status s = Id(a.proposal_id(), "a proposal id"); !s.ok()) {
        return s;
      }
      if (a.accepted_slot() > kMaxSlots) {
        return absl::InvalidArgumentError("no such time slot");
      }
      return Text(a.note(), "a note", 0, kMaxEventNoteBytes);
    }
    case CaseEvent::kHandoverProposal: {
      const CaseEvent::HandoverProposal& p = event.handover_proposal();
      if (absl::Status s = Id(p.handover_id(), "a hand-over id"); !s.ok()) {
        return s;
      }
      if (absl::Status s = Id(p.trust_person_account_id(), "an account id");
          !s.ok()) {
        return s;
      }
      if (absl::Status s = Text(p.trust_person_name(), "a name", 1, 200);
          !s.ok()) {
        return s;
      }
      if (absl::Status s = Reason(p.reason()); !s.ok()) return s;
      return Text(p.note(), "a note", 0, kMaxEventNoteBytes);
    }
    case CaseEvent::kHandoverAnswer:
      return Id(event.handover_answer().handover_id(), "a hand-over id");
    case CaseEvent::kHandoverIntro:
      return Reason(event.handover_intro().reason());
    case CaseEvent::kForwarded:
      return Text(event.forwarded().body(), "a forwarded message", 1, kMaxBody);
    case CaseEvent::EVENT_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("an empty case event");
}

bool MayOpenCase(const CaseEvent& event) {
  return event.event_case() == CaseEvent::kHandoverIntro;
}

absl::Status MayKeepCaseFiles(AccountKind kind) {
  if (kind != AccountKind::kTrustPerson) {
    return absl::PermissionDeniedError(
        "case files are kept by trust persons only");
  }
  return absl::OkStatus();
}

}  // namespace confidant::client
