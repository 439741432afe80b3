// What the two sides of a case tell each other besides text, over the real
// relay: a shared status, the acknowledgement of receipt, the appointment
// flow, the hand-over (consent, refusal, a relay restart between proposal
// and consent), blocking, and events an older client or the wrong side
// sends.
#include "client/app/case_events.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "client/case_policy.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/messenger_fixture.h"

namespace confidant::client::messenger_testing {
namespace {

using ::testing::HasSubstr;
using v1::CaseEvent;
using v1::CaseFile;

// What an entry is, for comparing conversations: the body, or the event's
// name.
std::vector<std::string> Entries(const std::vector<CaseMessage>& messages) {
  std::vector<std::string> out;
  for (const CaseMessage& m : messages) {
    const std::string who =
        m.direction == Direction::kOutgoing ? "out:" : "in:";
    if (!m.event.has_value()) {
      out.push_back(who + m.body);
      continue;
    }
    switch (m.event->event_case()) {
      case CaseEvent::kStatusShared:
        out.push_back(
            absl::StrCat(who, "status ", m.event->status_shared().status()));
        break;
      case CaseEvent::kAcknowledgement:
        out.push_back(who + "acknowledgement");
        break;
      case CaseEvent::kAppointmentProposal:
        out.push_back(absl::StrCat(
            who, "proposal ", m.event->appointment_proposal().slots_size()));
        break;
      case CaseEvent::kAppointmentAnswer:
        out.push_back(absl::StrCat(
            who, "answer ", m.event->appointment_answer().accepted_slot()));
        break;
      case CaseEvent::kHandoverProposal:
        out.push_back(who + "handover proposal");
        break;
      case CaseEvent::kHandoverAnswer:
        out.push_back(absl::StrCat(
            who, "handover ",
            m.event->handover_answer().consent() ? "consent" : "refusal"));
        break;
      case CaseEvent::kHandoverIntro:
        out.push_back(
            absl::StrCat(who, "intro ", m.event->handover_intro().forwarded()));
        break;
      case CaseEvent::kForwarded:
        out.push_back(absl::StrCat(
            who, "forwarded ",
            m.event->forwarded().from_employee() ? "employee: " : "tp: ",
            m.event->forwarded().body()));
        break;
      case CaseEvent::EVENT_NOT_SET:
        out.push_back(who + "?");
    }
  }
  return out;
}

CaseEvent::Slot Slot(absl::Time start, CaseEvent::Mode mode,
                     std::string place = "") {
  CaseEvent::Slot s;
  s.set_start_unix(absl::ToUnixSeconds(start));
  s.set_duration_minutes(45);
  s.set_mode(mode);
  s.set_place(std::move(place));
  return s;
}

class CaseEventsTest : public MessengerTest {
 protected:
  // Employee `emp` writes to `tp`; both synced. Returns the case id.
  std::string Open(Party& emp, Party& tp, const std::string& text) {
    absl::StatusOr<std::string> id =
        emp.messenger->OpenCase(tp.id(), text, t0_);
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(tp.Sync(t0_).received, 1);
    return id.value_or("");
  }
  // Sends what `who` queued and lets `to` receive it.
  void Deliver(Party& who, Party& to) {
    absl::StatusOr<int> sent = who.app->SendQueued();
    EXPECT_TRUE(sent.ok()) << sent.status();
    to.Sync(t0_);
  }
};

TEST_F(CaseEventsTest, SharedStatusAndAcknowledgementReachTheEmployee) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_TRUE(tp && emp);
  const std::string c = Open(*emp, *tp, "Ik wil iets melden.");

  // The employee cannot share a status or acknowledge; nothing is queued.
  EXPECT_EQ(emp->app->ShareStatus(c, CaseEvent::IN_PROGRESS).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(emp->app->Acknowledge(c).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(emp->Read(c).size(), 1u);
  EXPECT_EQ(tp->app->ShareStatus(c, CaseEvent::SHARED_STATUS_UNSPECIFIED)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  for (CaseEvent::SharedStatus s :
       {CaseEvent::RECEIVED, CaseEvent::IN_PROGRESS, CaseEvent::CLOSED}) {
    ASSERT_TRUE(tp->app->ShareStatus(c, s).ok());
    Deliver(*tp, *emp);
    absl::StatusOr<CaseSummary> seen = emp->app->Case(c);
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen->shared_status, s);
    EXPECT_EQ(tp->app->Case(c)->shared_status, s);
  }
  ASSERT_TRUE(tp->app->Acknowledge(c).ok());
  Deliver(*tp, *emp);
  std::vector<CaseMessage> got = emp->Read(c);
  EXPECT_EQ(Entries(got),
            (std::vector<std::string>{"out:Ik wil iets melden.", "in:status 1",
                                      "in:status 2", "in:status 3",
                                      "in:acknowledgement"}));
  // The default text, Dutch then English.
  EXPECT_THAT(got.back().event->acknowledgement().text(),
              HasSubstr("Ik bevestig dat ik je melding heb ontvangen."));
  EXPECT_THAT(got.back().event->acknowledgement().text(),
              HasSubstr("I confirm that I have received your report."));
  EXPECT_EQ(emp->app->Case(c)->unread_count, 4u);
  // Receipts come back for events as for text.
  EXPECT_GE(tp->Sync(t0_).receipts, 1);
  for (const CaseMessage& m : tp->Read(c)) {
    if (m.direction == Direction::kOutgoing) {
      EXPECT_EQ(m.delivery, DeliveryState::kDelivered);
    }
  }

  // An edited acknowledgement text.
  absl::StatusOr<v1::CaseworkSettings> settings = tp->app->CaseworkSettings();
  ASSERT_TRUE(settings.ok());
  settings->set_acknowledgement_nl("Ontvangen, dank je.");
  settings->set_acknowledgement_en("Received, thank you.");
  ASSERT_TRUE(tp->app->SaveCaseworkSettings(*settings).ok());
  ASSERT_TRUE(tp->app->Acknowledge(c).ok());
  Deliver(*tp, *emp);
  EXPECT_EQ(emp->Read(c).back().event->acknowledgement().text(),
            "Ontvangen, dank je.\n\nReceived, thank you.");
}

TEST_F(CaseEventsTest, AppointmentFlowEndToEnd) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_TRUE(tp && emp);
  const std::string c = Open(*emp, *tp, "Kunnen we praten?");
  const absl::Time monday = t0_ + absl::Hours(72);

  // Bad proposals change nothing.
  EXPECT_EQ(tp->app->ProposeAppointment(c, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      tp->app->ProposeAppointment(c, {Slot(monday, CaseEvent::ON_LOCATION)})
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);  // no place
  EXPECT_EQ(tp->app
                ->ProposeAppointment(
                    c, {Slot(t0_ - absl::Hours(1), CaseEvent::PHONE)})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);  // in the past
  EXPECT_EQ(emp->app->ProposeAppointment(c, {Slot(monday, CaseEvent::PHONE)})
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(tp->Read(c).size(), 1u);

  // Three slots; the employee asks for other times.
  absl::StatusOr<std::string> first = tp->app->ProposeAppointment(
      c,
      {Slot(monday, CaseEvent::ONLINE),
       Slot(monday + absl::Hours(2), CaseEvent::PHONE),
       Slot(monday + absl::Hours(24), CaseEvent::ON_LOCATION,
            "Kantoor Utrecht, kamer 2.14")},
      "Het gesprek duurt ongeveer drie kwartier.");
  ASSERT_TRUE(first.ok()) << first.status();
  Deliver(*tp, *emp);
  absl::StatusOr<AppointmentState> seen = emp->app->Appointment(c);
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(seen->proposed);
  EXPECT_EQ(seen->proposal.slots_size(), 3);
  EXPECT_EQ(seen->proposal.slots(2).place(), "Kantoor Utrecht, kamer 2.14");
  EXPECT_EQ(
      emp->app->AnswerAppointment(c, std::string(16, 'x'), 1).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(emp->app->AnswerAppointment(c, *first, 4).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(
      emp->app->AnswerAppointment(c, *first, 0, "Liever 's avonds").ok());
  EXPECT_EQ(emp->app->AnswerAppointment(c, *first, 1).status().code(),
            absl::StatusCode::kFailedPrecondition);  // answered
  Deliver(*emp, *tp);
  absl::StatusOr<AppointmentState> asked = tp->app->Appointment(c);
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(asked->answer, AppointmentState::Answer::kOtherTimesAsked);
  EXPECT_EQ(asked->answer_note, "Liever 's avonds");
  EXPECT_EQ(tp->app->AppointmentICalendar(c, "Gesprek").status().code(),
            absl::StatusCode::kFailedPrecondition);

  // A new proposal replaces the first; the employee accepts its slot 2.
  absl::StatusOr<std::string> second = tp->app->ProposeAppointment(
      c, {Slot(monday + absl::Hours(10), CaseEvent::ONLINE),
          Slot(monday + absl::Hours(11), CaseEvent::ON_LOCATION,
               "Stationsplein 1, Utrecht; ingang B")});
  ASSERT_TRUE(second.ok());
  Deliver(*tp, *emp);
  EXPECT_EQ(emp->app->AnswerAppointment(c, *first, 1).status().code(),
            absl::StatusCode::kFailedPrecondition);  // replaced
  ASSERT_TRUE(emp->app->AnswerAppointment(c, *second, 2).ok());
  Deliver(*emp, *tp);
  for (Party* side : {tp.get(), emp.get()}) {
    absl::StatusOr<AppointmentState> agreed = side->app->Appointment(c);
    ASSERT_TRUE(agreed.ok());
    EXPECT_EQ(agreed->answer, AppointmentState::Answer::kAccepted);
    EXPECT_EQ(agreed->agreed.start_unix(),
              absl::ToUnixSeconds(monday + absl::Hours(11)));
    EXPECT_EQ(agreed->agreed.place(), "Stationsplein 1, Utrecht; ingang B");
  }
  absl::StatusOr<std::string> ics =
      tp->app->AppointmentICalendar(c, "Gesprek vertrouwenspersoon");
  ASSERT_TRUE(ics.ok()) << ics.status();
  const absl::Time start = monday + absl::Hours(11);
  EXPECT_THAT(*ics, HasSubstr("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  EXPECT_THAT(
      *ics, HasSubstr(absl::StrCat(
                "DTSTART:",
                absl::FormatTime("%Y%m%dT%H%M%SZ", start, absl::UTCTimeZone()),
                "\r\n")));
  EXPECT_THAT(*ics,
              HasSubstr(absl::StrCat(
                  "DTEND:",
                  absl::FormatTime("%Y%m%dT%H%M%SZ", start + absl::Minutes(45),
                                   absl::UTCTimeZone()),
                  "\r\n")));
  EXPECT_THAT(*ics,
              HasSubstr("LOCATION:Stationsplein 1\\, Utrecht\\; ingang B"));
  EXPECT_THAT(*ics, HasSubstr("SUMMARY:Gesprek vertrouwenspersoon\r\n"));
  for (absl::string_view line : absl::StrSplit(*ics, "\r\n")) {
    EXPECT_LE(line.size(), 75u) << line;
  }
  EXPECT_EQ(Entries(emp->Read(c)),
            (std::vector<std::string>{"out:Kunnen we praten?", "in:proposal 3",
                                      "out:answer 0", "in:proposal 2",
                                      "out:answer 2"}));
}

TEST_F(CaseEventsTest, HandOverWithConsentRefusalAndARelayRestart) {
  std::unique_ptr<Party> anna = NewTrustPerson("anna", "Anna de Vries");
  std::unique_ptr<Party> bram = NewTrustPerson("bram", "Bram Jansen");
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_TRUE(anna && bram && emp);
  const std::string c = Open(*emp, *anna, "Mijn leidinggevende pest mij.");
  ASSERT_TRUE(
      anna->messenger->SendText(c, "Dat is vervelend. Vertel.", t0_).ok());
  emp->Sync(t0_);
  ASSERT_TRUE(emp->messenger->SendText(c, "Het gaat al maanden zo.", t0_).ok());
  anna->Sync(t0_);
  ASSERT_TRUE(
      anna->app->AddNote(c, "privé: collega kent de leidinggevende").ok());
  CaseFileUpdate wbk;
  wbk.categories = std::vector<std::string>{"pesten"};
  ASSERT_TRUE(anna->app->UpdateCaseFile(c, wbk).ok());

  // Not to oneself, nor to someone outside the organisation.
  EXPECT_EQ(
      anna->app->ProposeHandover(c, anna->id(), CaseEvent::CONFLICT_OF_INTEREST)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      anna->app->ProposeHandover(c, emp->id(), CaseEvent::CONFLICT_OF_INTEREST)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(anna->app
                ->ProposeHandover(c, std::string(16, 'z'),
                                  CaseEvent::CONFLICT_OF_INTEREST)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      emp->app->ProposeHandover(c, bram->id(), CaseEvent::CONFLICT_OF_INTEREST)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);

  // A first proposal, refused: nothing moves, Anna sees the answer.
  absl::StatusOr<std::string> refused =
      anna->app->ProposeHandover(c, bram->id(), CaseEvent::ABSENCE);
  ASSERT_TRUE(refused.ok()) << refused.status();
  Deliver(*anna, *emp);
  EXPECT_EQ(
      emp->app->AnswerHandover(c, std::string(16, 'q'), true).status().code(),
      absl::StatusCode::kNotFound);
  absl::StatusOr<std::string> none =
      emp->app->AnswerHandover(c, *refused, false);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
  Deliver(*emp, *anna);
  EXPECT_EQ(anna->app->Handover(c)->answer, HandoverState::Answer::kRefused);
  EXPECT_EQ(anna->app->Case(c)->status, CaseStatus::kOpen);
  EXPECT_EQ(emp->Cases().size(), 1u);
  EXPECT_TRUE(bram->Cases().empty());

  // A second proposal; the relay restarts before the employee answers.
  absl::StatusOr<std::string> proposal = anna->app->ProposeHandover(
      c, bram->id(), CaseEvent::CONFLICT_OF_INTEREST, "Ik ken de betrokkene.");
  ASSERT_TRUE(proposal.ok()) << proposal.status();
  ASSERT_TRUE(anna->app->SendQueued().ok());
  const int port = relay_->port();
  ASSERT_EQ(relay_->Stop(), 0);
  relay_->set_listen(absl::StrCat("127.0.0.1:", port));
  ASSERT_TRUE(relay_->Start()) << relay_->Log();
  // A connection from before the restart may fail once, as it would for a
  // live app that then reconnects.
  absl::StatusOr<SyncReport> after_restart = emp->messenger->Sync(t0_);
  if (!after_restart.ok()) after_restart = emp->messenger->Sync(t0_);
  ASSERT_TRUE(after_restart.ok()) << after_restart.status();
  absl::StatusOr<HandoverState> asked = emp->app->Handover(c);
  ASSERT_TRUE(asked.ok());
  ASSERT_TRUE(asked->proposed);
  EXPECT_EQ(asked->proposal.trust_person_name(), "Bram Jansen");
  EXPECT_EQ(asked->proposal.reason(), CaseEvent::CONFLICT_OF_INTEREST);
  EXPECT_EQ(asked->answer, HandoverState::Answer::kPending);

  // Consent, forwarding the employee's first message and Anna's reply.
  std::vector<CaseMessage> history = emp->Read(c);
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(emp->app
                ->AnswerHandover(c, *proposal, true,
                                 {history[0].message_id, std::string(16, 'n')})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);  // not in the case
  absl::StatusOr<std::string> moved = emp->app->AnswerHandover(
      c, *proposal, true, {history[0].message_id, history[1].message_id});
  ASSERT_TRUE(moved.ok()) << moved.status();
  ASSERT_FALSE(moved->empty());
  EXPECT_EQ(emp->app->Case(c)->status, CaseStatus::kClosed);
  EXPECT_TRUE(emp->app->Case(c)->handed_over);
  EXPECT_EQ(emp->app->Send(c, "nog iets").status().code(),
            absl::StatusCode::kFailedPrecondition);  // handed over
  absl::StatusOr<int> left_now = emp->app->SendQueued();
  ASSERT_TRUE(left_now.ok()) << left_now.status();
  for (const CaseMessage& m : emp->Read(*moved)) {
    EXPECT_EQ(m.delivery, DeliveryState::kSent) << Entries({m})[0];
  }

  // Bram gets a new case with the forwarded history, and none of Anna's
  // notes or registration.
  EXPECT_EQ(bram->Sync(t0_).received, 3);
  EXPECT_EQ(
      Entries(bram->Read(*moved)),
      (std::vector<std::string>{
          "in:intro 2", "in:forwarded employee: Mijn leidinggevende pest mij.",
          "in:forwarded tp: Dat is vervelend. Vertel."}));
  absl::StatusOr<CaseFile> bram_file = bram->app->CaseFile(*moved);
  ASSERT_TRUE(bram_file.ok());
  EXPECT_TRUE(bram_file->notes().empty());
  EXPECT_TRUE(bram_file->categories().empty());
  EXPECT_EQ(bram_file->status(), CaseFile::NEW);

  // Anna's side closes with an entry saying so; her notes stay hers.
  anna->Sync(t0_);
  EXPECT_EQ(anna->app->Handover(c)->answer, HandoverState::Answer::kConsented);
  EXPECT_EQ(anna->app->Case(c)->status, CaseStatus::kClosed);
  absl::StatusOr<CaseFile> anna_file = anna->app->CaseFile(c);
  ASSERT_TRUE(anna_file.ok());
  EXPECT_EQ(anna_file->status(), CaseFile::CLOSED);
  EXPECT_TRUE(anna_file->handed_over());
  EXPECT_EQ(anna_file->notes_size(), 1);
  EXPECT_EQ(anna->app->Handover(c)->answer, HandoverState::Answer::kConsented);
  EXPECT_EQ(emp->app->AnswerHandover(c, *proposal, true).status().code(),
            absl::StatusCode::kFailedPrecondition);  // answered

  // The conversation goes on with Bram.
  ASSERT_TRUE(bram->messenger->SendText(*moved, "Ik neem het over.", t0_).ok());
  emp->Sync(t0_);
  EXPECT_EQ(emp->Read(*moved).back().body, "Ik neem het over.");
}

TEST_F(CaseEventsTest, ABlockedSenderIsDroppedAckedAndCounted) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  std::unique_ptr<Party> other = NewEmployee("other");
  ASSERT_TRUE(tp && emp && other);
  const std::string c = Open(*emp, *tp, "Eerste bericht");
  const std::string d = Open(*other, *tp, "Ander bericht");
  EXPECT_EQ(emp->app->Block(c).code(), absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(tp->app->Block(c).ok());
  ASSERT_TRUE(tp->app->Block(c).ok());  // again: no change
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        emp->messenger->SendText(c, absl::StrCat("scheldwoord ", i), t0_).ok());
  }
  ASSERT_TRUE(other->messenger->SendText(d, "Nog een vraag", t0_).ok());
  SyncReport r = tp->Sync(t0_);
  EXPECT_EQ(r.blocked, 3);
  EXPECT_EQ(r.received, 1);
  EXPECT_EQ(tp->Read(c).size(), 1u);
  EXPECT_EQ(tp->Read(d).size(), 2u);
  absl::StatusOr<std::optional<v1::BlockedSender>> blocked =
      tp->app->Blocked(c);
  ASSERT_TRUE(blocked.ok());
  ASSERT_TRUE(blocked->has_value());
  EXPECT_EQ((*blocked)->dropped(), 3u);
  // Acked like any other envelope: the relay holds none of them.
  absl::StatusOr<std::vector<Envelope>> left = DrainMailbox(*tp->transport);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
  // Unblocked, the sender is heard again.
  ASSERT_TRUE(tp->app->Unblock(c).ok());
  ASSERT_TRUE(emp->messenger->SendText(c, "Sorry.", t0_).ok());
  EXPECT_EQ(tp->Sync(t0_).received, 1);
  EXPECT_EQ(tp->Read(c).back().body, "Sorry.");
}

TEST_F(CaseEventsTest, UnknownKindsAndWrongSideEventsAreDroppedAndAcked) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_TRUE(tp && emp);
  const std::string c = Open(*emp, *tp, "Hallo");
  ASSERT_TRUE(tp->messenger->SendText(c, "Hallo terug", t0_).ok());
  emp->Sync(t0_);
  tp->Sync(t0_);  // the receipt
  char next_id = 'a';
  auto base = [&](v1::AppMessage::Kind kind) {
    v1::AppMessage m;
    m.set_message_id(std::string(16, next_id++));
    m.set_case_id(c);
    m.set_kind(kind);
    return m;
  };
  // A kind from a newer client.
  v1::AppMessage newer = base(v1::AppMessage::TEXT);
  newer.set_kind(static_cast<v1::AppMessage::Kind>(42));
  newer.set_body("iets nieuws");
  // An event a newer client knows: an unknown field inside CaseEvent.
  v1::AppMessage newer_event = base(v1::AppMessage::CASE_EVENT);
  newer_event.mutable_event()
      ->GetReflection()
      ->MutableUnknownFields(newer_event.mutable_event())
      ->AddVarint(99, 1);
  // The trust person's event sent by the employee.
  v1::AppMessage wrong = base(v1::AppMessage::CASE_EVENT);
  wrong.mutable_event()->mutable_status_shared()->set_status(CaseEvent::CLOSED);
  // A malformed event: a proposal without slots.
  v1::AppMessage malformed = base(v1::AppMessage::CASE_EVENT);
  malformed.mutable_event()->mutable_appointment_proposal()->set_proposal_id(
      std::string(16, 'p'));
  for (const v1::AppMessage* m : {&newer, &newer_event, &wrong, &malformed}) {
    ASSERT_TRUE(
        emp->transport->Send(tp->id(), emp->Envelope(tp->id(), *m)).ok());
  }
  SyncReport r = tp->Sync(t0_);
  EXPECT_EQ(r.dropped, 4);
  EXPECT_EQ(r.received, 0);
  EXPECT_EQ(r.warnings,
            (std::vector<std::string>{
                "unknown message kind", "unknown case event",
                "case event from the wrong side", "malformed case event"}));
  EXPECT_EQ(tp->Read(c).size(), 2u);
  EXPECT_EQ(tp->app->Case(c)->shared_status,
            CaseEvent::SHARED_STATUS_UNSPECIFIED);
  absl::StatusOr<std::vector<Envelope>> left = DrainMailbox(*tp->transport);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
  // The conversation goes on.
  ASSERT_TRUE(emp->messenger->SendText(c, "Nog steeds hier", t0_).ok());
  EXPECT_EQ(tp->Sync(t0_).received, 1);
}

}  // namespace
}  // namespace confidant::client::messenger_testing
