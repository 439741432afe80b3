// The trust person's case file from the command line: case show, status,
// category, set, note, time, feedback, extend, purge; due; casework-settings.
#include <fstream>
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
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "client/app/deadlines.h"
#include "client/app/invoice.h"
#include "client/cli/cli.h"

namespace confidant::cli {
namespace {

using client::CaseFileUpdate;
using client::v1::CaseFile;

std::vector<std::string> Words(const std::string& list) {
  std::vector<std::string> out;
  for (absl::string_view w :
       absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(w));
  }
  return out;
}

template <typename Enum, typename ParseFn>
absl::StatusOr<std::vector<Enum>> ParseList(const std::string& list,
                                            ParseFn parse) {
  std::vector<Enum> out;
  for (const std::string& w : Words(list)) {
    if (w == "none") continue;
    absl::StatusOr<Enum> v = parse(w);
    if (!v.ok()) return v.status();
    out.push_back(*v);
  }
  return out;
}

std::string DayText(absl::CivilDay d) { return absl::FormatCivilTime(d); }

std::string FileJson(const std::string& case_id, const CaseFile& f,
                     absl::TimeZone zone) {
  std::vector<std::string> support, referrals, notes;
  for (int s : f.support()) support.push_back(Name(CaseFile::Support(s)));
  for (int r : f.referrals()) referrals.push_back(Name(CaseFile::Referral(r)));
  for (const CaseFile::Note& n : f.notes()) {
    notes.push_back(
        JsonObject()
            .Str("time", TimeText(absl::FromUnixSeconds(n.written_unix())))
            .Str("text", n.text())
            .Build());
  }
  JsonObject o;
  o.Str("case", Hex(case_id))
      .Str("number", f.number())
      .Str("status", Name(f.status()))
      .Str("organisation", f.organisation_id())
      .Raw("categories",
           JsonStrings({f.categories().begin(), f.categories().end()}))
      .Str("role", Name(f.reporter_role()))
      .Raw("support", JsonStrings(support))
      .Raw("referrals", JsonStrings(referrals))
      .Str("outcome", Name(f.outcome()))
      .Int("conversations", f.conversations())
      .Int("minutes", f.minutes())
      .Str("registered", TimeText(absl::FromUnixSeconds(f.registered_unix())))
      .Bool("handed_over", f.handed_over());
  if (f.closed_unix() != 0) {
    o.Str("closed", TimeText(absl::FromUnixSeconds(f.closed_unix())));
  }
  if (f.has_wbk()) {
    const client::WbkDeadlines d = client::ComputeDeadlines(f.wbk(), zone);
    JsonObject w;
    w.Str("received", DayText(d.received))
        .Str("acknowledge_by", DayText(d.acknowledge_by))
        .Str("feedback_by", DayText(d.feedback_by))
        .Bool("extended", d.extended);
    if (d.acknowledged) w.Str("acknowledged", DayText(*d.acknowledged));
    if (d.feedback_given) w.Str("feedback_given", DayText(*d.feedback_given));
    if (d.extended) w.Str("extension_reason", f.wbk().extension_reason());
    o.Raw("whistleblower", w.Build());
  }
  o.Raw("notes", JsonArray(notes));
  return o.Build();
}

std::string FileText(const std::string& case_id, const CaseFile& f,
                     const std::vector<client::v1::Category>& categories,
                     absl::TimeZone zone) {
  std::vector<std::string> cats, support, referrals;
  for (const std::string& key : f.categories()) {
    std::string name = key;
    for (const client::v1::Category& c : categories) {
      if (c.key() == key) name = absl::StrCat(c.name_nl(), " / ", c.name_en());
    }
    cats.push_back(name);
  }
  for (int s : f.support()) support.push_back(Name(CaseFile::Support(s)));
  for (int r : f.referrals()) referrals.push_back(Name(CaseFile::Referral(r)));
  std::string out = absl::StrCat(
      "case / melding ", f.number(), "  (", Hex(case_id), ")\n",
      "status:          ", Name(f.status()),
      f.handed_over() ? " (handed over / overgedragen)" : "", "\n",
      "organisation:    ",
      f.organisation_id().empty() ? "-" : f.organisation_id(), "\n",
      "categories:      ", cats.empty() ? "-" : absl::StrJoin(cats, ", "), "\n",
      "reporter role:   ", Name(f.reporter_role()), "\n",
      "support:         ", support.empty() ? "-" : absl::StrJoin(support, ", "),
      "\n", "referrals:       ",
      referrals.empty() ? "-" : absl::StrJoin(referrals, ", "), "\n",
      "outcome:         ", Name(f.outcome()), "\n",
      "conversations:   ", f.conversations(), "\n",
      "time spent:      ", f.minutes(), " min\n");
  if (f.has_wbk()) {
    const client::WbkDeadlines d = client::ComputeDeadlines(f.wbk(), zone);
    absl::StrAppend(
        &out, "whistleblower report / melding Wbk:\n",
        "  received:        ", DayText(d.received), "\n",
        "  acknowledge by:  ", DayText(d.acknowledge_by),
        d.acknowledged ? absl::StrCat("  (done ", DayText(*d.acknowledged), ")")
                       : "",
        "\n", "  feedback by:     ", DayText(d.feedback_by),
        d.extended
            ? absl::StrCat("  (extended: ", f.wbk().extension_reason(), ")")
            : "",
        d.feedback_given
            ? absl::StrCat("  (done ", DayText(*d.feedback_given), ")")
            : "",
        "\n");
  }
  if (f.notes_size() > 0) absl::StrAppend(&out, "private notes / notities:\n");
  for (const CaseFile::Note& n : f.notes()) {
    absl::StrAppend(
        &out, "  ",
        LocalTimeText(absl::FromUnixSeconds(n.written_unix()), zone), "  ",
        n.text(), "\n");
  }
  return out;
}

// Prints the file after a change.
int PrintFile(const Request& req, client::App& app, const std::string& id,
              const absl::StatusOr<CaseFile>& f) {
  if (!f.ok()) return Fail(f.status());
  if (req.json) {
    Print(FileJson(id, *f, app.time_zone()) + "\n");
    return kExitOk;
  }
  absl::StatusOr<std::vector<client::v1::Category>> categories =
      app.Categories();
  if (!categories.ok()) return Fail(categories.status());
  Print(FileText(id, *f, *categories, app.time_zone()));
  return kExitOk;
}

int Update(const Request& req, const CaseFileUpdate& u) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    return PrintFile(req, app, id, app.UpdateCaseFile(id, u));
  });
}

absl::StatusOr<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  StripNewline(text);
  return text;
}

}  // namespace

int CaseShow(const Request& req) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    return PrintFile(req, app, id, app.CaseFile(id));
  });
}

int CaseStatus(const Request& req) {
  absl::StatusOr<CaseFile::Status> status = ParseStatus(req.value);
  if (!status.ok()) return Fail(status.status());
  CaseFileUpdate u;
  u.status = *status;
  return Update(req, u);
}

int CaseCategory(const Request& req) {
  CaseFileUpdate u;
  std::vector<std::string> keys = Words(req.value);
  if (keys.size() == 1 && keys[0] == "none") keys.clear();
  u.categories = keys;
  return Update(req, u);
}

int CaseSet(const Request& req) {
  CaseFileUpdate u;
  if (!req.org.empty()) u.organisation_id = req.org == "none" ? "" : req.org;
  if (!req.role.empty()) {
    absl::StatusOr<CaseFile::ReporterRole> role = ParseRole(req.role);
    if (!role.ok()) return Fail(role.status());
    u.reporter_role = *role;
  }
  if (!req.support.empty()) {
    auto support = ParseList<CaseFile::Support>(req.support, ParseSupport);
    if (!support.ok()) return Fail(support.status());
    u.support = *support;
  }
  if (!req.referral.empty()) {
    auto referrals = ParseList<CaseFile::Referral>(req.referral, ParseReferral);
    if (!referrals.ok()) return Fail(referrals.status());
    u.referrals = *referrals;
  }
  if (!req.outcome.empty()) {
    absl::StatusOr<CaseFile::Outcome> outcome = ParseOutcome(req.outcome);
    if (!outcome.ok()) return Fail(outcome.status());
    u.outcome = *outcome;
  }
  if (req.conversations.has_value()) u.conversations = req.conversations;
  return Update(req, u);
}

int CaseNote(const Request& req) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    return PrintFile(req, app, id, app.AddNote(id, req.text));
  });
}

int CaseTime(const Request& req) {
  CaseFileUpdate u;
  u.add_minutes = req.minutes;
  if (req.conversations.has_value()) u.conversations = req.conversations;
  return Update(req, u);
}

int CaseFeedback(const Request& req) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    return PrintFile(req, app, id, app.RecordFeedback(id));
  });
}

int CaseExtend(const Request& req) {
  return WithCase(req, [&](client::App& app, const std::string& id) {
    return PrintFile(req, app, id, app.ExtendDeadline(id, req.reason));
  });
}

int CasePurge(const Request& req) {
  if (!req.yes) {
    PrintError(
        "purging removes the case, its messages and notes for good; add "
        "--yes / verwijderen is definitief; voeg --yes toe");
    return kExitUsage;
  }
  return WithCase(req, [&](client::App& app, const std::string& id) {
    if (absl::Status s = app.Purge(id); !s.ok()) return Fail(s);
    Print(req.json
              ? JsonObject().Str("case", Hex(id)).Bool("purged", true).Build() +
                    "\n"
              : "purged / verwijderd\n");
    return kExitOk;
  });
}

int Due(const Request& req) {
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<std::vector<client::DueItem>> due = (*app)->Due();
  if (!due.ok()) return Fail(due.status());
  std::vector<std::string> json;
  std::string text;
  int shown = 0;
  for (const client::DueItem& item : *due) {
    if (!req.all && item.state == client::DueItem::State::kUpcoming) continue;
    ++shown;
    const char* kind =
        item.kind == client::DueItem::Kind::kAcknowledgement ? "acknowledgement"
        : item.kind == client::DueItem::Kind::kFeedback      ? "feedback"
                                                             : "purge";
    const char* words =
        item.kind == client::DueItem::Kind::kAcknowledgement
            ? "ontvangstbevestiging / acknowledgement of receipt"
        : item.kind == client::DueItem::Kind::kFeedback
            ? "terugkoppeling / feedback"
            : "wordt verwijderd / will be purged";
    const char* state =
        item.state == client::DueItem::State::kOverdue   ? "overdue"
        : item.state == client::DueItem::State::kToday   ? "today"
        : item.state == client::DueItem::State::kWarning ? "soon"
                                                         : "upcoming";
    const char* state_words =
        item.state == client::DueItem::State::kOverdue   ? "TE LAAT / OVERDUE"
        : item.state == client::DueItem::State::kToday   ? "VANDAAG / TODAY"
        : item.state == client::DueItem::State::kWarning ? "binnenkort / soon"
                                                         : "gepland / upcoming";
    if (req.json) {
      json.push_back(JsonObject()
                         .Str("case", Hex(item.case_id))
                         .Str("number", item.case_number)
                         .Str("kind", kind)
                         .Str("due", DayText(item.due))
                         .Int("days_left", item.days_left)
                         .Str("state", state)
                         .Build());
    } else {
      absl::StrAppend(
          &text, DayText(item.due), "  ", item.case_number, "  ", words, "  ",
          state_words, " (", item.days_left,
          item.days_left == 1 || item.days_left == -1 ? " day" : " days",
          ")\n");
    }
  }
  if (req.json) {
    Print(JsonObject().Raw("due", JsonArray(json)).Build() + "\n");
  } else {
    Print(shown == 0 ? "nothing due / niets te doen\n" : text);
  }
  return kExitOk;
}

int CaseworkSettings(const Request& req) {
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  absl::StatusOr<client::v1::CaseworkSettings> s = (*app)->CaseworkSettings();
  if (!s.ok()) return Fail(s.status());
  bool changed = false;
  if (req.warning_days) {
    s->set_warning_days(*req.warning_days);
    changed = true;
  }
  if (req.retention_days) {
    s->set_retention_days(*req.retention_days);
    changed = true;
  }
  if (req.reminder_days) {
    s->set_retention_reminder_days(*req.reminder_days);
    changed = true;
  }
  if (!req.acknowledgement_nl_file.empty()) {
    absl::StatusOr<std::string> text = ReadText(req.acknowledgement_nl_file);
    if (!text.ok()) return Fail(text.status());
    s->set_acknowledgement_nl(*text);
    changed = true;
  }
  if (!req.acknowledgement_en_file.empty()) {
    absl::StatusOr<std::string> text = ReadText(req.acknowledgement_en_file);
    if (!text.ok()) return Fail(text.status());
    s->set_acknowledgement_en(*text);
    changed = true;
  }
  client::v1::Invoicing* inv = s->mutable_invoicing();
  auto set = [&](const std::optional<std::string>& value,
                 void (client::v1::Invoicing::*setter)(const std::string&)) {
    if (!value.has_value()) return;
    (inv->*setter)(*value);
    changed = true;
  };
  set(req.invoice_name, &client::v1::Invoicing::set_name);
  set(req.invoice_practice, &client::v1::Invoicing::set_practice);
  set(req.kvk, &client::v1::Invoicing::set_kvk_number);
  set(req.vat_number, &client::v1::Invoicing::set_vat_number);
  set(req.iban, &client::v1::Invoicing::set_iban);
  set(req.invoice_email, &client::v1::Invoicing::set_email);
  if (!req.invoice_address.empty()) {
    inv->clear_address_lines();
    for (const std::string& line : req.invoice_address) {
      inv->add_address_lines(line);
    }
    changed = true;
  }
  if (req.default_rate.has_value()) {
    absl::StatusOr<int64_t> rate = client::ParseEuros(*req.default_rate);
    if (!rate.ok()) return Fail(rate.status());
    inv->set_hourly_rate_cents(*rate);
    changed = true;
  }
  if (req.vat_percent.has_value()) {
    if (*req.vat_percent < 0 || *req.vat_percent > 100) {
      return Fail(absl::InvalidArgumentError("VAT is 0 to 100 percent"));
    }
    inv->set_vat_basis_points(
        static_cast<int32_t>(*req.vat_percent * 100 + 0.5));
    changed = true;
  }
  if (req.payment_days.has_value()) {
    inv->set_payment_term_days(*req.payment_days);
    changed = true;
  }
  if (changed) {
    if (absl::Status saved = (*app)->SaveCaseworkSettings(*s); !saved.ok()) {
      return Fail(saved);
    }
  }
  if (req.json) {
    Print(
        JsonObject()
            .Int("warning_days", s->warning_days())
            .Int("retention_days", s->retention_days())
            .Int("retention_reminder_days", s->retention_reminder_days())
            .Str("acknowledgement_nl", s->acknowledgement_nl())
            .Str("acknowledgement_en", s->acknowledgement_en())
            .Raw("invoicing",
                 JsonObject()
                     .Str("name", inv->name())
                     .Str("practice", inv->practice())
                     .Raw("address", JsonStrings({inv->address_lines().begin(),
                                                  inv->address_lines().end()}))
                     .Str("kvk", inv->kvk_number())
                     .Str("vat_number", inv->vat_number())
                     .Str("iban", inv->iban())
                     .Str("email", inv->email())
                     .Int("hourly_rate_cents", inv->hourly_rate_cents())
                     .Int("vat_basis_points", inv->has_vat_basis_points()
                                                  ? inv->vat_basis_points()
                                                  : 2100)
                     .Int("payment_term_days", inv->has_payment_term_days()
                                                   ? inv->payment_term_days()
                                                   : 30)
                     .Build())
            .Build() +
        "\n");
  } else {
    Print(absl::StrCat(
        "warnings start / waarschuwing vanaf: ", s->warning_days(),
        " days before\n", "retention / bewaartermijn: ",
        s->retention_days() == 0
            ? std::string("off / uit")
            : absl::StrCat(s->retention_days(), " days after closing"),
        "\n", "purge reminder / herinnering: ", s->retention_reminder_days(),
        " days before\n", "acknowledgement (nl):\n  ", s->acknowledgement_nl(),
        "\n", "acknowledgement (en):\n  ", s->acknowledgement_en(), "\n"));
  }
  return kExitOk;
}

}  // namespace confidant::cli
