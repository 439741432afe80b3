// A scenario's results: a human summary, a markdown table (header and one
// row) for docs/benchmarks.md, and key=value lines for scripts.
#ifndef CONFIDANT_TOOLS_LOADGEN_REPORT_H_
#define CONFIDANT_TOOLS_LOADGEN_REPORT_H_

#include <string>
#include <vector>

namespace confidant::loadgen {

class Report {
 public:
  Report(std::string title, std::string command_line);

  // A figure: `key` for scripts, `label` for people and the markdown
  // header; `value` as shown. Only figures with `in_table` become columns.
  void Add(const std::string& key, const std::string& label,
           const std::string& value, bool in_table = true);
  // A number for scripts that people see through another figure.
  void AddHidden(const std::string& key, const std::string& value);
  // A line of explanation printed under the figures (not in the table).
  void Note(const std::string& line);
  // A target from the issue, met or not, with the figures behind it.
  void Target(const std::string& name, bool met, const std::string& detail);
  // Something went wrong (lost envelopes, errors, a dead relay): the run
  // fails, but the report is still printed.
  void Fail(const std::string& problem);

  bool failed() const { return !problems_.empty(); }

  std::string Human() const;
  std::string Markdown() const;
  std::string KeyValues() const;

 private:
  struct Figure {
    std::string key, label, value;
    bool in_table;
    bool hidden;
  };
  std::string title_;
  std::string command_line_;
  std::string started_utc_;
  std::vector<Figure> figures_;
  std::vector<std::string> notes_;
  std::vector<std::string> targets_;
  std::vector<std::string> problems_;
};

// A command line quoted so that a shell reproduces it.
std::string ShellQuote(const std::vector<std::string>& argv);

}  // namespace confidant::loadgen

#endif  // CONFIDANT_TOOLS_LOADGEN_REPORT_H_
