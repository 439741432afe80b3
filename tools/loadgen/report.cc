#include "tools/loadgen/report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace confidant::loadgen {

Report::Report(std::string title, std::string command_line)
    : title_(std::move(title)),
      command_line_(std::move(command_line)),
      started_utc_(absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(),
                                    absl::UTCTimeZone())) {}

void Report::Add(const std::string& key, const std::string& label,
                 const std::string& value, bool in_table) {
  figures_.push_back({key, label, value, in_table, false});
}

void Report::AddHidden(const std::string& key, const std::string& value) {
  figures_.push_back({key, key, value, false, true});
}

void Report::Note(const std::string& line) { notes_.push_back(line); }

void Report::Target(const std::string& name, bool met,
                    const std::string& detail) {
  targets_.push_back(
      absl::StrCat(met ? "met" : "NOT MET", ": ", name, " (", detail, ")"));
  figures_.push_back({absl::StrCat("target_", targets_.size()), name,
                      met ? "met" : "NOT MET", false, true});
}

void Report::Fail(const std::string& problem) { problems_.push_back(problem); }

std::string Report::Human() const {
  std::string out = absl::StrCat("== ", title_, " (", started_utc_, ")\n",
                                 "command: ", command_line_, "\n");
  size_t width = 0;
  for (const Figure& f : figures_) {
    if (!f.hidden) width = std::max(width, f.label.size());
  }
  for (const Figure& f : figures_) {
    if (f.hidden) continue;
    absl::StrAppend(&out, "  ", f.label, ":",
                    std::string(width + 1 - f.label.size(), ' '), f.value,
                    "\n");
  }
  for (const std::string& n : notes_)
    absl::StrAppend(&out, "  note: ", n, "\n");
  for (const std::string& t : targets_) {
    absl::StrAppend(&out, "  target ", t, "\n");
  }
  for (const std::string& p : problems_) {
    absl::StrAppend(&out, "  PROBLEM: ", p, "\n");
  }
  return out;
}

std::string Report::Markdown() const {
  std::vector<std::string> header = {"date"}, rule = {"---"},
                           row = {started_utc_};
  for (const Figure& f : figures_) {
    if (!f.in_table || f.hidden) continue;
    header.push_back(absl::StrReplaceAll(f.label, {{"|", "/"}}));
    rule.push_back("---");
    row.push_back(absl::StrReplaceAll(f.value, {{"|", "/"}}));
  }
  std::string out = absl::StrCat("#### ", title_, "\n\n", "Command: `",
                                 command_line_, "`\n\n");
  absl::StrAppend(&out, "| ", absl::StrJoin(header, " | "), " |\n");
  absl::StrAppend(&out, "|", absl::StrJoin(rule, "|"), "|\n");
  absl::StrAppend(&out, "| ", absl::StrJoin(row, " | "), " |\n");
  if (!targets_.empty() || !notes_.empty() || !problems_.empty()) out += "\n";
  for (const std::string& t : targets_) {
    absl::StrAppend(&out, "- target ", t, "\n");
  }
  for (const std::string& n : notes_) absl::StrAppend(&out, "- ", n, "\n");
  for (const std::string& p : problems_) {
    absl::StrAppend(&out, "- PROBLEM: ", p, "\n");
  }
  return out;
}

std::string Report::KeyValues() const {
  std::string out = absl::StrCat("scenario=", title_, "\n");
  for (const Figure& f : figures_) {
    absl::StrAppend(&out, f.key, "=",
                    absl::StrReplaceAll(f.value, {{"\n", " "}}), "\n");
  }
  absl::StrAppend(&out, "failed=", failed() ? 1 : 0, "\n");
  return out;
}

std::string ShellQuote(const std::vector<std::string>& argv) {
  std::vector<std::string> parts;
  for (const std::string& a : argv) {
    const bool plain =
        !a.empty() && a.find_first_not_of(
                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                          "0123456789-_./:=,+@%") == std::string::npos;
    parts.push_back(
        plain
            ? a
            : absl::StrCat("'", absl::StrReplaceAll(a, {{"'", "'\\''"}}), "'"));
  }
  return absl::StrJoin(parts, " ");
}

}  // namespace confidant::loadgen
