// Case commands: trust-persons, open, send, cases, read.
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/cli.h"
#include "crypto/safety_number.h"

namespace confidant::cli {
namespace {

// Tries to send what was just queued. The message is safe in the outbox
// either way; the result says whether it left.
client::DeliveryState Deliver(client::App& app, const std::string& case_id,
                              const std::string& message_id) {
  absl::StatusOr<int> sent = app.SendQueued();
  if (!sent.ok()) {
    PrintError(absl::StrCat(
        sent.status().message(),
        " — the message is queued and leaves with the next `confidant sync` "
        "/ het bericht staat in de wachtrij"));
  }
  absl::StatusOr<std::vector<client::CaseMessage>> messages = app.Read(case_id);
  if (messages.ok()) {
    for (const client::CaseMessage& m : *messages) {
      if (m.message_id == message_id) return m.delivery;
    }
  }
  return client::DeliveryState::kQueued;
}

std::string DeliveryText(client::DeliveryState d) {
  switch (d) {
    case client::DeliveryState::kQueued:
      return "queued / in de wachtrij\n";
    case client::DeliveryState::kFailed:
      return "refused by the relay / geweigerd door de relay\n";
    default:
      return "sent / verzonden\n";
  }
}

}  // namespace

int TrustPersons(const Request& req) {
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<client::TrustPersonList> list = (*app)->TrustPersons("");
  if (!list.ok()) return Fail(list.status());
  std::vector<std::string> json;
  std::string text = absl::StrCat("Trust persons of / vertrouwenspersonen van ",
                                  list->organisation.name, "\n");
  for (const client::DirectoryEntry& e : list->trust_persons) {
    absl::StatusOr<crypto::SafetyNumber> number = crypto::ComputeSafetyNumber(
        Hex((*app)->account_id()), (*app)->identity_key(), Hex(e.account_id),
        e.identity_key);
    if (!number.ok()) return Fail(number.status());
    const std::string kind = AffiliationName(e.profile.affiliation);
    if (req.json) {
      json.push_back(JsonObject()
                         .Str("id", Hex(e.account_id))
                         .Str("name", e.profile.display_name)
                         .Str("kind", kind)
                         .Raw("languages", JsonStrings(e.profile.languages))
                         .Str("intro", e.profile.intro)
                         .Str("safety_number", number->Grouped())
                         .Build());
    } else {
      absl::StrAppend(
          &text, "\n", Hex(e.account_id),
          "\n  name:      ", e.profile.display_name, "\n  kind:      ", kind,
          "\n  languages: ", absl::StrJoin(e.profile.languages, ","), "\n");
      if (!e.profile.intro.empty()) {
        absl::StrAppend(&text, "  intro:     ", e.profile.intro, "\n");
      }
      absl::StrAppend(&text, "  safety number: ", number->Grouped(), "\n");
    }
  }
  if (req.json) {
    Print(JsonObject()
              .Str("organisation", list->organisation.name)
              .Raw("trust_persons", JsonArray(json))
              .Build() +
          "\n");
  } else {
    Print(text);
  }
  return kExitOk;
}

int Open(const Request& req) {
  std::optional<std::string> to = Unhex(req.to);
  if (!to.has_value() || to->size() != 16) {
    PrintError(absl::StrCat("invalid trust person id ", req.to,
                            " (expected 32 hex characters)"));
    return kExitFailure;
  }
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  const std::string text = req.message.value_or(kDefaultOpening);
  absl::StatusOr<std::string> case_id = (*app)->OpenCase(*to, text);
  if (!case_id.ok()) return Fail(case_id.status());
  absl::StatusOr<std::vector<client::CaseMessage>> first =
      (*app)->Read(*case_id);
  if (!first.ok()) return Fail(first.status());
  const client::DeliveryState state =
      first->empty() ? client::DeliveryState::kQueued
                     : Deliver(**app, *case_id, first->front().message_id);
  if (req.json) {
    Print(JsonObject()
              .Str("case", Hex(*case_id))
              .Str("delivery", DeliveryName(state))
              .Build() +
          "\n");
  } else {
    Print(Hex(*case_id) + "\n");
    if (state != client::DeliveryState::kSent) {
      std::fputs(DeliveryText(state).c_str(), stderr);
    }
  }
  return kExitOk;
}

int Send(const Request& req) {
  std::string text = req.text;
  if (text == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
    StripNewline(text);
  }
  if (text.empty()) {
    PrintError("empty message");
    return kExitFailure;
  }
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<client::CaseSummary> s = FindCase(**app, req.case_id);
  if (!s.ok()) return Fail(s.status());
  if (s->identity_changed) {
    PrintError(absl::StrCat(
        "the safety number of case ", req.case_id,
        " changed; compare it (`confidant safety-number`) and run `confidant "
        "verify --number ...` before sending"));
    return kExitFailure;
  }
  absl::StatusOr<std::string> id = (*app)->Send(s->case_id, text);
  if (!id.ok()) return Fail(id.status());
  const client::DeliveryState state = Deliver(**app, s->case_id, *id);
  if (req.json) {
    Print(JsonObject()
              .Str("case", req.case_id)
              .Str("id", Hex(*id))
              .Str("delivery", DeliveryName(state))
              .Build() +
          "\n");
  } else {
    Print(DeliveryText(state));
  }
  return kExitOk;
}

int Cases(const Request& req) {
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<std::vector<client::CaseSummary>> cases = (*app)->Cases();
  if (!cases.ok()) return Fail(cases.status());
  std::vector<std::string> json;
  std::string text;
  for (const client::CaseSummary& s : *cases) {
    if (req.json) {
      json.push_back(
          JsonObject()
              .Str("case", Hex(s.case_id))
              .Str("peer", Hex(s.peer_account_id))
              .Str("status", StatusName(s.status))
              .Int("unread", s.unread_count)
              .Str("last_activity", TimeText(s.last_activity))
              .Bool("opened_by_me", s.opened_by_us)
              .Bool("safety_number_changed", s.identity_changed)
              .Int("held", s.held_messages)
              .Bool("unsolicited", s.unsolicited)
              .Str("shared_status",
                   s.shared_status ==
                           client::v1::CaseEvent::SHARED_STATUS_UNSPECIFIED
                       ? ""
                       : Name(s.shared_status))
              .Bool("handed_over", s.handed_over)
              .Build());
    } else {
      absl::StrAppend(
          &text, Hex(s.case_id), "  peer ", Hex(s.peer_account_id), "  ",
          StatusName(s.status), "  unread ", s.unread_count, "  last ",
          TimeText(s.last_activity),
          s.identity_changed ? absl::StrCat("  SAFETY NUMBER CHANGED (",
                                            s.held_messages, " waiting)")
                             : "",
          s.unsolicited ? "  FIRST CONTACT BY TRUST PERSON" : "",
          s.shared_status == client::v1::CaseEvent::SHARED_STATUS_UNSPECIFIED
              ? ""
              : "  status: " + SharedText(s.shared_status),
          s.handed_over ? "  handed over / overgedragen" : "", "\n");
    }
  }
  if (req.json) {
    Print(JsonObject().Raw("cases", JsonArray(json)).Build() + "\n");
  } else {
    Print(cases->empty() ? "no cases / geen meldingen\n" : text);
  }
  return kExitOk;
}

int Read(const Request& req) {
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<client::CaseSummary> s = FindCase(**app, req.case_id);
  if (!s.ok()) return Fail(s.status());
  absl::StatusOr<std::vector<client::CaseMessage>> messages =
      (*app)->Read(s->case_id);
  if (!messages.ok()) return Fail(messages.status());
  if (absl::Status marked = (*app)->MarkRead(s->case_id); !marked.ok()) {
    return Fail(marked);
  }
  if (req.json) {
    std::vector<std::string> items;
    for (const client::CaseMessage& m : *messages) {
      items.push_back(MessageJson("", m));
    }
    Print(JsonObject()
              .Str("case", Hex(s->case_id))
              .Raw("messages", JsonArray(items))
              .Build() +
          "\n");
  } else {
    std::string text;
    for (const client::CaseMessage& m : *messages) {
      text += MessageText(m, (*app)->time_zone());
    }
    Print(text);
  }
  return kExitOk;
}

}  // namespace confidant::cli
