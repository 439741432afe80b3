// Printing: hex, JSON and the words the CLI shows.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "base/hex.h"
#include "client/cli/cli.h"

namespace confidant::cli {

void PrintError(const std::string& message) {
  std::string line = absl::StrReplaceAll(message, {{"\r", " "}, {"\n", " "}});
  std::fprintf(stderr, "confidant: %s\n", line.c_str());
}

std::string Hex(std::string_view bytes) { return base::HexEncode(bytes); }

std::optional<std::string> Unhex(std::string_view hex) {
  return base::HexDecode(hex);
}

// A JSON string literal for `s` (UTF-8 passed through, controls escaped).
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          const char byte = static_cast<char>(c);
          absl::StrAppend(&out, "\\u00",
                          base::HexEncode(std::string_view(&byte, 1)));
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

JsonObject& JsonObject::Str(std::string_view key, std::string_view value) {
  return Raw(key, JsonString(value));
}
JsonObject& JsonObject::Int(std::string_view key, int64_t value) {
  return Raw(key, absl::StrCat(value));
}
JsonObject& JsonObject::Bool(std::string_view key, bool value) {
  return Raw(key, value ? "true" : "false");
}
JsonObject& JsonObject::Raw(std::string_view key, std::string_view json) {
  if (!body_.empty()) body_ += ",";
  absl::StrAppend(&body_, JsonString(key), ":", std::string(json));
  return *this;
}
std::string JsonObject::Build() const { return absl::StrCat("{", body_, "}"); }

std::string JsonArray(const std::vector<std::string>& items) {
  return absl::StrCat("[", absl::StrJoin(items, ","), "]");
}

std::string JsonStrings(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& s : items) quoted.push_back(JsonString(s));
  return JsonArray(quoted);
}

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string KindName(client::AccountKind kind) {
  switch (kind) {
    case client::AccountKind::kEmployee:
      return "employee";
    case client::AccountKind::kTrustPerson:
      return "trust-person";
    default:
      return "unknown";
  }
}

std::string AffiliationName(client::Affiliation a) {
  switch (a) {
    case client::Affiliation::kInternal:
      return "internal";
    case client::Affiliation::kExternal:
      return "external";
    default:
      return "unspecified";
  }
}

std::string DirectionName(client::Direction d) {
  return d == client::Direction::kIncoming ? "incoming" : "outgoing";
}

std::string DeliveryName(client::DeliveryState d) {
  switch (d) {
    case client::DeliveryState::kSent:
      return "sent";
    case client::DeliveryState::kDelivered:
      return "delivered";
    case client::DeliveryState::kQueued:
      return "queued";
    case client::DeliveryState::kFailed:
      return "failed";
    default:
      return "received";
  }
}

std::string StatusName(client::CaseStatus s) {
  return s == client::CaseStatus::kClosed ? "closed" : "open";
}

void Print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

std::string MessageJson(const std::string& case_id,
                        const client::CaseMessage& m) {
  JsonObject o;
  if (!case_id.empty()) o.Str("case", Hex(case_id));
  o.Str("id", Hex(m.message_id))
      .Str("direction", DirectionName(m.direction))
      .Str("delivery", DeliveryName(m.delivery))
      .Str("time", TimeText(m.time));
  if (m.event.has_value()) {
    o.Raw("event", EventJson(*m.event));
  } else {
    o.Str("body", m.body);
  }
  return o.Build();
}

std::string MessageText(const client::CaseMessage& m, absl::TimeZone zone) {
  const bool in = m.direction == client::Direction::kIncoming;
  return absl::StrCat(TimeText(m.time), "  ", in ? "them -> me" : "me -> them",
                      "  [", DeliveryName(m.delivery), "]  ",
                      m.event.has_value() ? EventText(*m.event, zone) : m.body,
                      "\n");
}

std::string LocalTimeText(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", t, zone);
}

namespace {

using client::v1::CaseEvent;

std::string SlotText(const CaseEvent::Slot& slot, absl::TimeZone zone) {
  std::string mode;
  switch (slot.mode()) {
    case CaseEvent::ONLINE:
      mode = "online";
      break;
    case CaseEvent::PHONE:
      mode = "telefonisch / by phone";
      break;
    default:
      mode = absl::StrCat("op locatie / on location: ", slot.place());
  }
  return absl::StrCat(
      LocalTimeText(absl::FromUnixSeconds(slot.start_unix()), zone), ", ",
      slot.duration_minutes(), " min, ", mode);
}

std::string SlotJson(const CaseEvent::Slot& slot) {
  JsonObject o;
  o.Str("start", TimeText(absl::FromUnixSeconds(slot.start_unix())))
      .Int("minutes", slot.duration_minutes())
      .Str("mode", Name(slot.mode()));
  if (!slot.place().empty()) o.Str("place", slot.place());
  return o.Build();
}

}  // namespace

std::string EventText(const CaseEvent& e, absl::TimeZone zone) {
  switch (e.event_case()) {
    case CaseEvent::kStatusShared:
      return absl::StrCat("status: ", SharedText(e.status_shared().status()));
    case CaseEvent::kAcknowledgement:
      return absl::StrCat(
          "ontvangstbevestiging / acknowledgement of receipt:\n",
          e.acknowledgement().text());
    case CaseEvent::kAppointmentProposal: {
      const CaseEvent::AppointmentProposal& p = e.appointment_proposal();
      std::string out = absl::StrCat("afspraakvoorstel / appointment proposal ",
                                     Hex(p.proposal_id()), ":");
      for (int i = 0; i < p.slots_size(); ++i) {
        absl::StrAppend(&out, "\n  ", i + 1, ") ", SlotText(p.slots(i), zone));
      }
      if (!p.note().empty()) absl::StrAppend(&out, "\n  ", p.note());
      return out;
    }
    case CaseEvent::kAppointmentAnswer: {
      const CaseEvent::AppointmentAnswer& a = e.appointment_answer();
      std::string out =
          a.accepted_slot() == 0
              ? std::string("andere tijden gevraagd / other times asked")
              : absl::StrCat("afspraak geaccepteerd / appointment accepted: ",
                             "tijd / slot ", a.accepted_slot());
      if (!a.note().empty()) absl::StrAppend(&out, " — ", a.note());
      return out;
    }
    case CaseEvent::kHandoverProposal: {
      const CaseEvent::HandoverProposal& p = e.handover_proposal();
      std::string out = absl::StrCat(
          "overdrachtsvoorstel / hand-over proposal ", Hex(p.handover_id()),
          ": ", p.trust_person_name(), " (", Name(p.reason()), ")");
      if (!p.note().empty()) absl::StrAppend(&out, " — ", p.note());
      return out;
    }
    case CaseEvent::kHandoverAnswer:
      return e.handover_answer().consent()
                 ? "overgedragen met toestemming; deze melding is gesloten / "
                   "handed over with consent; this case is closed"
                 : "overdracht geweigerd / hand-over refused";
    case CaseEvent::kHandoverIntro:
      return absl::StrCat(
          "overgedragen door een collega (", Name(e.handover_intro().reason()),
          "), ", e.handover_intro().forwarded(),
          " doorgestuurde berichten / handed over by a colleague, ",
          e.handover_intro().forwarded(), " forwarded messages");
    case CaseEvent::kForwarded:
      return absl::StrCat("doorgestuurd / forwarded (",
                          e.forwarded().from_employee()
                              ? "medewerker / employee"
                              : "vorige vertrouwenspersoon / previous trust "
                                "person",
                          ", ",
                          TimeText(absl::FromUnixSeconds(
                              int64_t{e.forwarded().client_hour()} * 3600)),
                          "): ", e.forwarded().body());
    case CaseEvent::EVENT_NOT_SET:
      break;
  }
  return "?";
}

std::string EventJson(const CaseEvent& e) {
  JsonObject o;
  switch (e.event_case()) {
    case CaseEvent::kStatusShared:
      o.Str("kind", "status").Str("status", Name(e.status_shared().status()));
      break;
    case CaseEvent::kAcknowledgement:
      o.Str("kind", "acknowledgement").Str("text", e.acknowledgement().text());
      break;
    case CaseEvent::kAppointmentProposal: {
      std::vector<std::string> slots;
      for (const CaseEvent::Slot& s : e.appointment_proposal().slots()) {
        slots.push_back(SlotJson(s));
      }
      o.Str("kind", "appointment-proposal")
          .Str("proposal", Hex(e.appointment_proposal().proposal_id()))
          .Raw("slots", JsonArray(slots))
          .Str("note", e.appointment_proposal().note());
      break;
    }
    case CaseEvent::kAppointmentAnswer:
      o.Str("kind", "appointment-answer")
          .Str("proposal", Hex(e.appointment_answer().proposal_id()))
          .Int("slot", e.appointment_answer().accepted_slot())
          .Str("note", e.appointment_answer().note());
      break;
    case CaseEvent::kHandoverProposal:
      o.Str("kind", "handover-proposal")
          .Str("handover", Hex(e.handover_proposal().handover_id()))
          .Str("to", Hex(e.handover_proposal().trust_person_account_id()))
          .Str("name", e.handover_proposal().trust_person_name())
          .Str("reason", Name(e.handover_proposal().reason()))
          .Str("note", e.handover_proposal().note());
      break;
    case CaseEvent::kHandoverAnswer:
      o.Str("kind", "handover-answer")
          .Str("handover", Hex(e.handover_answer().handover_id()))
          .Bool("consent", e.handover_answer().consent());
      break;
    case CaseEvent::kHandoverIntro:
      o.Str("kind", "handover-intro")
          .Str("reason", Name(e.handover_intro().reason()))
          .Int("forwarded", e.handover_intro().forwarded());
      break;
    case CaseEvent::kForwarded:
      o.Str("kind", "forwarded")
          .Bool("from_employee", e.forwarded().from_employee())
          .Str("time", TimeText(absl::FromUnixSeconds(
                           int64_t{e.forwarded().client_hour()} * 3600)))
          .Str("body", e.forwarded().body());
      break;
    case CaseEvent::EVENT_NOT_SET:
      o.Str("kind", "unknown");
  }
  return o.Build();
}

int Fail(const absl::Status& status) {
  PrintError(status.message().empty() ? status.ToString()
                                      : std::string(status.message()));
  return kExitFailure;
}

}  // namespace confidant::cli
