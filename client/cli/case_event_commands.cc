// What a case's two sides tell each other besides text, from the command
// line: case share-status, ack, propose-appointment, accept-appointment,
// appointment, handover, accept-handover, refuse-handover, block, unblock.
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "client/app/case_events.h"
#include "client/cli/cli.h"

namespace confidant::cli {
namespace {

using client::v1::CaseEvent;

// Sends what was queued now if the relay can be reached; it stays queued
// otherwise.
std::string TrySend(client::App& app) {
  absl::StatusOr<int> sent = app.SendQueued();
  return sent.ok() ? "sent / verzonden"
                   : "queued / in de wachtrij (" +
                         std::string(sent.status().message()) + ")";
}

int Queued(const Request& req, client::App& app, const std::string& case_id,
           const absl::StatusOr<std::string>& id, const char* words,
           const char* key = nullptr, const std::string& value = "") {
  if (!id.ok()) return Fail(id.status());
  const std::string delivery = TrySend(app);
  if (req.json) {
    JsonObject o;
    o.Str("case", Hex(case_id));
    if (key != nullptr) o.Str(key, value);
    o.Bool("sent", delivery.rfind("sent", 0) == 0);
    Print(o.Build() + "\n");
  } else {
    Print(absl::StrCat(words, key != nullptr ? absl::StrCat(" ", value) : "",
                       " — ", delivery, "\n"));
  }
  return kExitOk;
}

// "2026-12-07 14:00,45,online" or "...,45,location,Kantoor Utrecht"; the
// time is local in `zone`.
absl::StatusOr<CaseEvent::Slot> ParseSlot(const std::string& text,
                                          absl::TimeZone zone) {
  std::vector<std::string> parts =
      absl::StrSplit(text, absl::MaxSplits(',', 3));
  if (parts.size() < 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("a slot is \"YYYY-MM-DD "
                     "HH:MM,MINUTES,online|phone|location[,PLACE]\": ",
                     text));
  }
  absl::Time start;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d %H:%M",
                       std::string(absl::StripAsciiWhitespace(parts[0])), zone,
                       &start, &err)) {
    return absl::InvalidArgumentError(
        absl::StrCat("a slot's time is YYYY-MM-DD HH:MM: ", parts[0]));
  }
  uint32_t minutes = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(parts[1]), &minutes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("a slot's length is whole minutes: ", parts[1]));
  }
  absl::StatusOr<CaseEvent::Mode> mode =
      ParseMode(std::string(absl::StripAsciiWhitespace(parts[2])));
  if (!mode.ok()) return mode.status();
  CaseEvent::Slot slot;
  slot.set_start_unix(absl::ToUnixSeconds(start));
  slot.set_duration_minutes(minutes);
  slot.set_mode(*mode);
  if (parts.size() == 4) {
    slot.set_place(std::string(absl::StripAsciiWhitespace(parts[3])));
  }
  return slot;
}

absl::StatusOr<std::string> Id16(const std::string& hex, const char* what) {
  std::optional<std::string> id = Unhex(hex);
  if (!id.has_value() || id->size() != 16) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is 32 hex digits: ", hex));
  }
  return *id;
}

}  // namespace

int CaseShareStatus(const Request& req) {
  absl::StatusOr<CaseEvent::SharedStatus> status = ParseShared(req.value);
  if (!status.ok()) return Fail(status.status());
  return WithCase(req, [&](client::App& app, const std::string& id) {
    return Queued(req, app, id, app.ShareStatus(id, *status),
                  "status shared / status gedeeld:", "status", Name(*status));
  });
}

int CaseAck(const Request& req) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    return Queued(req, app, id, app.Acknowledge(id, req.text),
                  "acknowledgement of receipt / ontvangstbevestiging");
  });
}

int CaseProposeAppointment(const Request& req) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    std::vector<CaseEvent::Slot> slots;
    for (const std::string& text : req.slots) {
      absl::StatusOr<CaseEvent::Slot> slot = ParseSlot(text, app.time_zone());
      if (!slot.ok()) return Fail(slot.status());
      slots.push_back(*slot);
    }
    absl::StatusOr<std::string> proposal =
        app.ProposeAppointment(id, slots, req.note);
    return Queued(req, app, id, proposal,
                  "appointment proposed / afspraak voorgesteld:", "proposal",
                  proposal.ok() ? Hex(*proposal) : "");
  });
}

int CaseAnswerAppointment(const Request& req) {
  absl::StatusOr<std::string> proposal = Id16(req.proposal, "a proposal id");
  if (!proposal.ok()) return Fail(proposal.status());
  if (req.other_times == (req.slot != 0)) {
    PrintError("give --slot N to accept a time, or --other to ask for others");
    return kExitUsage;
  }
  return WithCase(req, [&](client::App& app, const std::string& id) {
    return Queued(
        req, app, id, app.AnswerAppointment(id, *proposal, req.slot, req.note),
        req.other_times ? "other times asked / andere tijden gevraagd"
                        : "appointment accepted / afspraak geaccepteerd");
  });
}

int CaseAppointment(const Request& req) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    absl::StatusOr<client::AppointmentState> state = app.Appointment(id);
    if (!state.ok()) return Fail(state.status());
    if (!req.ics.empty()) {
      absl::StatusOr<std::string> ics =
          app.AppointmentICalendar(id, req.summary);
      if (!ics.ok()) return Fail(ics.status());
      std::ofstream out(req.ics, std::ios::binary | std::ios::trunc);
      out << *ics;
      out.close();
      if (!out) return Fail(absl::UnavailableError("cannot write " + req.ics));
    }
    const char* answer =
        state->answer == client::AppointmentState::Answer::kAccepted
            ? "accepted"
        : state->answer == client::AppointmentState::Answer::kOtherTimesAsked
            ? "other-times-asked"
        : state->proposed ? "pending"
                          : "none";
    if (req.json) {
      JsonObject o;
      o.Str("case", Hex(id)).Str("state", answer);
      if (state->proposed) {
        CaseEvent e;
        *e.mutable_appointment_proposal() = state->proposal;
        o.Raw("proposal", EventJson(e));
      }
      if (state->answer == client::AppointmentState::Answer::kAccepted) {
        o.Str("start",
              TimeText(absl::FromUnixSeconds(state->agreed.start_unix())))
            .Int("minutes", state->agreed.duration_minutes())
            .Str("mode", Name(state->agreed.mode()))
            .Str("place", state->agreed.place());
      }
      if (!req.ics.empty()) o.Str("ics", req.ics);
      Print(o.Build() + "\n");
      return kExitOk;
    }
    std::string text;
    if (!state->proposed) {
      text = "no appointment proposed / geen afspraak voorgesteld\n";
    } else {
      CaseEvent e;
      *e.mutable_appointment_proposal() = state->proposal;
      text = EventText(e, app.time_zone()) + "\n";
      if (state->answer == client::AppointmentState::Answer::kAccepted) {
        absl::StrAppend(
            &text, "agreed / afgesproken: ",
            LocalTimeText(absl::FromUnixSeconds(state->agreed.start_unix()),
                          app.time_zone()),
            ", ", state->agreed.duration_minutes(), " min, ",
            Name(state->agreed.mode()),
            state->agreed.place().empty() ? "" : ", " + state->agreed.place(),
            "\n");
      } else if (state->answer ==
                 client::AppointmentState::Answer::kOtherTimesAsked) {
        absl::StrAppend(
            &text, "other times asked / andere tijden gevraagd",
            state->answer_note.empty() ? "" : ": " + state->answer_note, "\n");
      } else {
        absl::StrAppend(&text, "waiting for an answer / wacht op antwoord\n");
      }
    }
    if (!req.ics.empty())
      absl::StrAppend(&text, "written / geschreven: ", req.ics, "\n");
    Print(text);
    return kExitOk;
  });
}

int CaseHandover(const Request& req) {
  absl::StatusOr<std::string> to = Id16(req.to, "a trust person's id");
  if (!to.ok()) return Fail(to.status());
  absl::StatusOr<CaseEvent::HandoverReason> reason = ParseReason(req.reason);
  if (!reason.ok()) return Fail(reason.status());
  return WithCase(req, [&](client::App& app, const std::string& id) {
    absl::StatusOr<std::string> handover =
        app.ProposeHandover(id, *to, *reason, req.note);
    return Queued(req, app, id, handover,
                  "hand-over proposed / overdracht voorgesteld:", "handover",
                  handover.ok() ? Hex(*handover) : "");
  });
}

int CaseAnswerHandover(const Request& req, bool consent) {
  absl::StatusOr<std::string> handover = Id16(req.handover, "a hand-over id");
  if (!handover.ok()) return Fail(handover.status());
  return WithCase(req, [&](client::App& app, const std::string& id) {
    std::vector<std::string> forward;
    if (consent && req.forward == "all") {
      absl::StatusOr<std::vector<client::CaseMessage>> messages = app.Read(id);
      if (!messages.ok()) return Fail(messages.status());
      for (const client::CaseMessage& m : *messages) {
        if (!m.event.has_value()) forward.push_back(m.message_id);
      }
    } else if (consent && req.forward != "none") {
      for (absl::string_view hex :
           absl::StrSplit(req.forward, ',', absl::SkipWhitespace())) {
        absl::StatusOr<std::string> m =
            Id16(std::string(absl::StripAsciiWhitespace(hex)), "a message id");
        if (!m.ok()) return Fail(m.status());
        forward.push_back(*m);
      }
    }
    absl::StatusOr<std::string> moved =
        app.AnswerHandover(id, *handover, consent, forward);
    if (!moved.ok()) return Fail(moved.status());
    const std::string delivery = TrySend(app);
    if (req.json) {
      JsonObject o;
      o.Str("case", Hex(id)).Bool("consent", consent);
      if (consent) {
        o.Str("new_case", Hex(*moved)).Int("forwarded", forward.size());
      }
      o.Bool("sent", delivery.rfind("sent", 0) == 0);
      Print(o.Build() + "\n");
    } else if (consent) {
      Print(absl::StrCat(
          "handed over / overgedragen: new case / nieuwe melding ", Hex(*moved),
          " with ", forward.size(), " forwarded messages — ", delivery, "\n"));
    } else {
      Print(absl::StrCat("hand-over refused / overdracht geweigerd — ",
                         delivery, "\n"));
    }
    return kExitOk;
  });
}

int CaseBlock(const Request& req, bool block) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    absl::Status s = block ? app.Block(id) : app.Unblock(id);
    if (!s.ok()) return Fail(s);
    if (req.json) {
      Print(JsonObject().Str("case", Hex(id)).Bool("blocked", block).Build() +
            "\n");
    } else {
      Print(block ? "sender blocked / afzender geblokkeerd\n"
                  : "sender unblocked / afzender gedeblokkeerd\n");
    }
    return kExitOk;
  });
}

}  // namespace confidant::cli
