// The App's case work: the trust person's registration and deadlines, and
// what the two sides of a case tell each other besides text (status,
// acknowledgement, appointments, hand-over), and blocking.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/random.h"
#include "client/app/app.h"
#include "client/app/app_stack.h"
#include "client/app/case_events.h"
#include "client/case_policy.h"

namespace confidant::client {
namespace {

using v1::CaseEvent;

std::string NewId(base::Random& random) { return random.Bytes(16); }

}  // namespace

absl::TimeZone App::time_zone() const { return stack_->zone; }

absl::StatusOr<v1::CaseFile> App::CaseFile(std::string_view case_id) {
  return stack_->case_files->Get(case_id, Now());
}

absl::StatusOr<v1::CaseFile> App::UpdateCaseFile(std::string_view case_id,
                                                 const CaseFileUpdate& update) {
  return stack_->case_files->Update(case_id, update, Now());
}

absl::StatusOr<v1::CaseFile> App::AddNote(std::string_view case_id,
                                          std::string_view text) {
  return stack_->case_files->AddNote(case_id, text, Now());
}

absl::StatusOr<std::vector<v1::Category>> App::Categories() {
  return stack_->case_files->Categories();
}

absl::Status App::SetCategories(const std::vector<v1::Category>& categories) {
  return stack_->case_files->SetCategories(categories);
}

absl::StatusOr<v1::CaseworkSettings> App::CaseworkSettings() {
  return stack_->case_files->Settings();
}

absl::Status App::SaveCaseworkSettings(const v1::CaseworkSettings& settings) {
  return stack_->case_files->SaveSettings(settings);
}

absl::StatusOr<v1::CaseFile> App::RecordFeedback(std::string_view case_id) {
  return stack_->case_files->RecordFeedback(case_id, Now());
}

absl::StatusOr<v1::CaseFile> App::ExtendDeadline(std::string_view case_id,
                                                 std::string_view reason) {
  return stack_->case_files->ExtendDeadline(case_id, reason, Now());
}

absl::StatusOr<WbkDeadlines> App::Deadlines(std::string_view case_id) {
  return stack_->case_files->Deadlines(case_id, Now());
}

absl::StatusOr<std::vector<DueItem>> App::Due() {
  return stack_->case_files->Due(Now());
}

absl::Status App::Purge(std::string_view case_id) {
  absl::Status s = stack_->case_files->Purge(case_id);
  if (s.ok()) PublishConnection();  // its queued messages went too
  return s;
}

absl::StatusOr<int> App::PurgeExpired() {
  absl::StatusOr<int> purged = stack_->case_files->PurgeExpired(Now());
  if (purged.ok() && *purged > 0) PublishConnection();
  return purged;
}

absl::StatusOr<std::string> App::SendEvent(std::string_view case_id,
                                           const CaseEvent& event) {
  absl::StatusOr<std::string> id =
      stack_->messenger->SendEvent(case_id, event, Now());
  if (!id.ok()) return id;
  OutboxChanged();
  std::string changed(case_id);
  Emit([changed](AppObserver& o) { o.OnCaseChanged(changed); });
  return id;
}

absl::StatusOr<std::string> App::ShareStatus(std::string_view case_id,
                                             CaseEvent::SharedStatus status) {
  CaseEvent event;
  event.mutable_status_shared()->set_status(status);
  return SendEvent(case_id, event);
}

absl::StatusOr<std::string> App::Acknowledge(std::string_view case_id,
                                             std::string_view text) {
  if (absl::Status s = MayKeepCaseFiles(kind()); !s.ok()) {
    return absl::PermissionDeniedError(
        "only the trust person of a case can do that");
  }
  CaseEvent event;
  if (text.empty()) {
    absl::StatusOr<std::string> standard =
        stack_->case_files->AcknowledgementText();
    if (!standard.ok()) return standard.status();
    event.mutable_acknowledgement()->set_text(*standard);
  } else {
    event.mutable_acknowledgement()->set_text(std::string(text));
  }
  // The event and its record for the deadline: both or neither.
  absl::StatusOr<std::string> id;
  {
    ProfileStore::Transaction txn(*stack_->profile);
    id = stack_->messenger->SendEvent(case_id, event, Now());
    if (!id.ok()) return id;
    absl::StatusOr<v1::CaseFile> recorded =
        stack_->case_files->RecordAcknowledgement(case_id, Now());
    if (!recorded.ok()) return recorded.status();
    if (absl::Status s = txn.Commit(); !s.ok()) return s;
  }
  OutboxChanged();
  return id;
}

absl::StatusOr<std::string> App::ProposeAppointment(
    std::string_view case_id, const std::vector<CaseEvent::Slot>& slots,
    std::string_view note) {
  CaseEvent event;
  CaseEvent::AppointmentProposal* p = event.mutable_appointment_proposal();
  p->set_proposal_id(NewId(Random()));
  for (const CaseEvent::Slot& slot : slots) *p->add_slots() = slot;
  p->set_note(std::string(note));
  for (const CaseEvent::Slot& slot : slots) {
    if (absl::FromUnixSeconds(slot.start_unix()) <= Now()) {
      return absl::InvalidArgumentError("a time slot must lie in the future");
    }
  }
  absl::StatusOr<std::string> id = SendEvent(case_id, event);
  if (!id.ok()) return id.status();
  return p->proposal_id();
}

absl::StatusOr<std::string> App::AnswerAppointment(std::string_view case_id,
                                                   std::string_view proposal_id,
                                                   uint32_t slot,
                                                   std::string_view note) {
  absl::StatusOr<std::vector<CaseMessage>> entries = Read(case_id);
  if (!entries.ok()) return entries.status();
  bool known = false;
  for (const CaseMessage& m : *entries) {
    known |= m.direction == Direction::kIncoming && m.event.has_value() &&
             m.event->has_appointment_proposal() &&
             m.event->appointment_proposal().proposal_id() == proposal_id;
  }
  if (!known) return absl::NotFoundError("unknown appointment proposal");
  const AppointmentState state = FoldAppointment(*entries);
  if (state.proposal.proposal_id() != proposal_id) {
    return absl::FailedPreconditionError(
        "a newer proposal replaced this one; answer that one");
  }
  if (state.answer != AppointmentState::Answer::kNone) {
    return absl::FailedPreconditionError("the proposal was answered already");
  }
  if (slot > static_cast<uint32_t>(state.proposal.slots_size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the proposal has ", state.proposal.slots_size(), " time slots"));
  }
  CaseEvent event;
  CaseEvent::AppointmentAnswer* a = event.mutable_appointment_answer();
  a->set_proposal_id(std::string(proposal_id));
  a->set_accepted_slot(slot);
  a->set_note(std::string(note));
  return SendEvent(case_id, event);
}

absl::StatusOr<AppointmentState> App::Appointment(std::string_view case_id) {
  absl::StatusOr<std::vector<CaseMessage>> entries = Read(case_id);
  if (!entries.ok()) return entries.status();
  return FoldAppointment(*entries);
}

absl::StatusOr<std::string> App::AppointmentICalendar(
    std::string_view case_id, std::string_view summary) {
  absl::StatusOr<AppointmentState> state = Appointment(case_id);
  if (!state.ok()) return state.status();
  return client::AppointmentICalendar(*state, summary, Now());
}

absl::StatusOr<std::string> App::ProposeHandover(
    std::string_view case_id, std::string_view colleague_account_id,
    CaseEvent::HandoverReason reason, std::string_view note) {
  if (absl::Status s = MayKeepCaseFiles(kind()); !s.ok()) {
    return absl::PermissionDeniedError(
        "only the trust person of a case can do that");
  }
  if (colleague_account_id == account_id()) {
    return absl::InvalidArgumentError(
        "a hand-over goes to another trust person");
  }
  absl::StatusOr<v1::CaseFile> file = CaseFile(case_id);
  if (!file.ok()) return file.status();
  absl::StatusOr<TrustPersonList> directory =
      TrustPersons(file->organisation_id().empty() ? std::string()
                                                   : file->organisation_id());
  if (!directory.ok()) return directory.status();
  const DirectoryEntry* colleague = nullptr;
  for (const DirectoryEntry& tp : directory->trust_persons) {
    if (tp.account_id == colleague_account_id) colleague = &tp;
  }
  if (colleague == nullptr) {
    return absl::InvalidArgumentError(
        "a hand-over goes to a trust person of the case's organisation");
  }
  CaseEvent event;
  CaseEvent::HandoverProposal* p = event.mutable_handover_proposal();
  p->set_handover_id(NewId(Random()));
  p->set_trust_person_account_id(colleague->account_id);
  p->set_trust_person_name(colleague->profile.display_name);
  p->set_reason(reason);
  p->set_note(std::string(note));
  absl::StatusOr<std::string> id = SendEvent(case_id, event);
  if (!id.ok()) return id.status();
  return p->handover_id();
}

absl::StatusOr<std::string> App::AnswerHandover(
    std::string_view case_id, std::string_view handover_id, bool consent,
    const std::vector<std::string>& forward) {
  if (kind() != AccountKind::kEmployee) {
    return absl::PermissionDeniedError(
        "only the employee of a case can do that");
  }
  absl::StatusOr<std::vector<CaseMessage>> entries = Read(case_id);
  if (!entries.ok()) return entries.status();
  const HandoverState state = FoldHandover(*entries);
  if (!state.proposed || state.proposal.handover_id() != handover_id) {
    return absl::NotFoundError("unknown hand-over proposal");
  }
  if (state.answer != HandoverState::Answer::kPending) {
    return absl::FailedPreconditionError("the hand-over was answered already");
  }
  CaseEvent answer;
  answer.mutable_handover_answer()->set_handover_id(std::string(handover_id));
  answer.mutable_handover_answer()->set_consent(consent);
  if (!consent) {
    absl::StatusOr<std::string> id = SendEvent(case_id, answer);
    if (!id.ok()) return id.status();
    return std::string();
  }
  // The colleague must be in our organisation's directory: a trust person
  // cannot hand an employee to just anyone.
  const std::string& to = state.proposal.trust_person_account_id();
  absl::StatusOr<TrustPersonList> directory = TrustPersons("");
  if (!directory.ok()) return directory.status();
  const bool listed = std::any_of(
      directory->trust_persons.begin(), directory->trust_persons.end(),
      [&](const DirectoryEntry& tp) { return tp.account_id == to; });
  if (!listed) {
    return absl::FailedPreconditionError(
        "the proposed trust person is not in your organisation's directory");
  }
  // What the employee chose to forward, in the case's order.
  std::set<std::string> wanted(forward.begin(), forward.end());
  std::vector<CaseEvent> events(1);
  events[0].mutable_handover_intro()->set_reason(state.proposal.reason());
  for (const CaseMessage& m : *entries) {
    if (wanted.erase(m.message_id) == 0) continue;
    if (m.event.has_value()) {
      return absl::InvalidArgumentError("only messages can be forwarded");
    }
    CaseEvent f;
    f.mutable_forwarded()->set_from_employee(m.direction ==
                                             Direction::kOutgoing);
    f.mutable_forwarded()->set_client_hour(m.client_hour);
    f.mutable_forwarded()->set_body(m.body);
    events.push_back(std::move(f));
  }
  if (!wanted.empty()) {
    return absl::InvalidArgumentError(
        "a message to forward is not in the case");
  }
  events[0].mutable_handover_intro()->set_forwarded(
      static_cast<uint32_t>(events.size() - 1));
  // The new case and this one's consent (which closes it): both or neither.
  absl::StatusOr<std::string> new_case;
  {
    ProfileStore::Transaction txn(*stack_->profile);
    new_case = stack_->messenger->OpenCaseWithEvents(to, events, Now());
    if (!new_case.ok()) return new_case.status();
    absl::StatusOr<std::string> id =
        stack_->messenger->SendEvent(case_id, answer, Now());
    if (!id.ok()) return id.status();
    if (absl::Status s = txn.Commit(); !s.ok()) return s;
  }
  OutboxChanged();
  std::string old_case(case_id);
  std::string opened = *new_case;
  Emit([old_case, opened](AppObserver& o) {
    o.OnCaseChanged(old_case);
    o.OnCaseChanged(opened);
  });
  return new_case;
}

absl::StatusOr<HandoverState> App::Handover(std::string_view case_id) {
  absl::StatusOr<std::vector<CaseMessage>> entries = Read(case_id);
  if (!entries.ok()) return entries.status();
  return FoldHandover(*entries);
}

absl::Status App::Block(std::string_view case_id) {
  absl::StatusOr<CaseSummary> c = Case(case_id);
  if (!c.ok()) return c.status();
  return stack_->messenger->Block(c->peer_account_id, Now());
}

absl::Status App::Unblock(std::string_view case_id) {
  absl::StatusOr<CaseSummary> c = Case(case_id);
  if (!c.ok()) return c.status();
  return stack_->messenger->Unblock(c->peer_account_id);
}

absl::StatusOr<std::optional<v1::BlockedSender>> App::Blocked(
    std::string_view case_id) {
  absl::StatusOr<CaseSummary> c = Case(case_id);
  if (!c.ok()) return c.status();
  return stack_->messenger->Blocked(c->peer_account_id);
}

}  // namespace confidant::client
