#include "tests/client/report_audit.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace confidant::testing {
namespace {

constexpr int64_t kInfinity = int64_t{1} << 40;
// A ">=k" figure whose total is itself unbounded is searched this far above
// its lower bound: nothing in the report is unbounded that way, the cap only
// keeps a broken report from hanging the audit.
constexpr int64_t kSearchSpan = 200;

// What the reader knows of one figure from how it is shown.
struct Box {
  int64_t lo = 0;
  int64_t hi = kInfinity;
  bool hidden = false;
};

std::optional<Box> ParseValue(const std::string& value, int64_t k) {
  int64_t v = 0;
  if (absl::SimpleAtoi(value, &v) && v >= 0) return Box{v, v, false};
  if (value == absl::StrCat("<", k)) return Box{0, k - 1, true};
  if (value == absl::StrCat(">=", k)) return Box{k, kInfinity, true};
  return std::nullopt;
}

// reach[s]: the cells given can add up to s (0 <= s <= total).
std::vector<char> ReachableSums(const std::vector<Box>& boxes, size_t skip,
                                int64_t total) {
  std::vector<char> reach(total + 1, 0);
  reach[0] = 1;
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (i == skip) continue;
    std::vector<int64_t> prefix(total + 2, 0);
    for (int64_t s = 0; s <= total; ++s) prefix[s + 1] = prefix[s] + reach[s];
    std::vector<char> next(total + 1, 0);
    const int64_t hi = std::min(boxes[i].hi, total);
    for (int64_t s = boxes[i].lo; s <= total; ++s) {
      const int64_t from = std::max<int64_t>(0, s - hi);
      const int64_t to = s - boxes[i].lo;  // inclusive
      next[s] = prefix[to + 1] - prefix[from] > 0;
    }
    reach = std::move(next);
  }
  return reach;
}

// For cells adding up to `total`: the values each can take, or nullopt if
// no assignment exists.
std::optional<std::vector<std::vector<int64_t>>> PartitionSolutions(
    const std::vector<Box>& boxes, int64_t total) {
  std::vector<std::vector<int64_t>> out(boxes.size());
  for (size_t i = 0; i < boxes.size(); ++i) {
    const std::vector<char> others = ReachableSums(boxes, i, total);
    for (int64_t v = boxes[i].lo; v <= std::min(boxes[i].hi, total); ++v) {
      if (others[total - v]) out[i].push_back(v);
    }
    if (out[i].empty()) return std::nullopt;
  }
  if (boxes.empty() && total != 0) return std::nullopt;
  return out;
}

class Auditor {
 public:
  absl::Status Load(const std::vector<CsvRecord>& records) {
    std::map<FigureId, std::string> values;
    for (size_t i = 1; i < records.size(); ++i) {
      const CsvRecord& r = records[i];
      if (r.size() != 4) {
        return absl::InvalidArgumentError(
            absl::StrCat("record ", i, " has ", r.size(), " fields"));
      }
      values[{r[0], r[1]}] = r[3];
      order_[r[0]].push_back(r[1]);
    }
    if (!absl::SimpleAtoi(values[{"report", "threshold"}], &k_) || k_ < 2) {
      return absl::InvalidArgumentError("no threshold");
    }
    for (const auto& [id, value] : values) {
      if (id.first == "report" || id.first == "trends" || value.empty() ||
          id.second == "share_met" || id.second == "withheld") {
        continue;
      }
      if (id.first == "figures" &&
          (id.second == "conversations" || id.second == "hours" ||
           id.second == "median_days_to_first_response")) {
        continue;  // sums and a median, not counts of cases
      }
      std::optional<Box> box = ParseValue(value, k_);
      if (!box) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bad value ", value, " of ", id.first, "/", id.second));
      }
      boxes_[id] = *box;
    }
    return absl::OkStatus();
  }

  AuditResult Run() {
    // The reader knows which figures are one and the same.
    Link({"figures", "cases"},
         {{"quarter", "total"}, {"outcome", "total"}, {"role", "total"}});
    Link({"figures", "whistleblower_reports"},
         {{"support", "WHISTLEBLOWER_REPORT"}});
    ApplyCrossTable();

    const Box n_box = BoxOf({"figures", "cases"});
    const Box w_box = BoxOf({"figures", "whistleblower_reports"});
    for (int64_t n = n_box.lo; n <= Cap(n_box); ++n) {
      for (int64_t w = w_box.lo; w <= std::min(Cap(w_box), n); ++w) {
        std::map<FigureId, std::set<int64_t>> found;
        if (!Feasible(n, w, found)) continue;
        found[{"figures", "cases"}].insert(n);
        found[{"figures", "whistleblower_reports"}].insert(w);
        for (auto& [id, vals] : found)
          feasible_[id].insert(vals.begin(), vals.end());
      }
    }
    AuditResult result;
    for (const auto& [id, box] : boxes_) {
      if (!box.hidden) continue;
      const std::set<int64_t>& vals = feasible_[id];
      result.feasible[id] = vals;
      if (vals.empty()) result.contradictory.push_back(id);
      if (vals.size() == 1) result.pinned.push_back(id);
    }
    // Shown figures must be consistent too.
    for (const auto& [id, box] : boxes_) {
      if (!box.hidden && !feasible_[id].count(box.lo) && Tracked(id)) {
        result.contradictory.push_back(id);
      }
    }
    return result;
  }

 private:
  static int64_t Cap(const Box& box) {
    return box.hi >= kInfinity ? box.lo + kSearchSpan : box.hi;
  }

  bool Tracked(const FigureId& id) const {
    return id.first != "category_by_quarter";
  }

  Box BoxOf(const FigureId& id) const {
    auto it = boxes_.find(id);
    return it == boxes_.end() ? Box{0, kInfinity, true} : it->second;
  }

  void Link(const FigureId& main, const std::vector<FigureId>& same) {
    if (!boxes_.count(main)) return;
    Box box = BoxOf(main);
    for (const FigureId& id : same) {
      auto it = boxes_.find(id);
      if (it == boxes_.end()) continue;
      box.lo = std::max(box.lo, it->second.lo);
      box.hi = std::min(box.hi, it->second.hi);
      boxes_.erase(it);
      aliases_[id] = main;
    }
    boxes_[main] = box;
  }

  // A published subject-by-quarter table: each subject's row adds up to
  // its count, and no cell exceeds its quarter's count.
  void ApplyCrossTable() {
    std::map<std::string, int64_t> row_sums;
    std::map<std::string, int64_t> column_max;
    for (const std::string& key : order_["category_by_quarter"]) {
      const std::vector<std::string> parts = absl::StrSplit(key, '/');
      const int64_t v = boxes_[{"category_by_quarter", key}].lo;
      row_sums[parts[0]] += v;
      column_max[parts[1]] = std::max(column_max[parts[1]], v);
    }
    for (const auto& [cat, sum] : row_sums) {
      Box& b = boxes_[{"category", cat}];
      b.lo = std::max(b.lo, sum);
      b.hi = std::min(b.hi, sum);
    }
    for (const auto& [quarter, max] : column_max) {
      Box& b = boxes_[{"quarter", quarter}];
      b.lo = std::max(b.lo, max);
    }
  }

  std::vector<FigureId> Rows(const std::string& section) const {
    std::vector<FigureId> out;
    auto it = order_.find(section);
    if (it == order_.end()) return out;
    for (const std::string& key : it->second) {
      const FigureId id{section, key};
      if (key == "total" || key == "withheld" || key == "share_met") continue;
      if (aliases_.count(id)) continue;
      if (!boxes_.count(id)) continue;
      out.push_back(id);
    }
    return out;
  }

  // Given n cases and w whistleblower reports: can everything shown hold,
  // and with which values of the hidden figures?
  bool Feasible(int64_t n, int64_t w,
                std::map<FigureId, std::set<int64_t>>& found) const {
    for (const char* section : {"quarter", "outcome", "role"}) {
      const std::vector<FigureId> rows = Rows(section);
      if (rows.empty()) continue;  // withheld
      if (!Partition(rows, n, found)) return false;
    }
    for (const char* section : {"category", "support"}) {
      for (const FigureId& id : Rows(section)) {
        const Box b = BoxOf(id);
        if (b.lo > n) return false;
        for (int64_t v = b.lo; v <= std::min(Cap(b), n); ++v) {
          found[id].insert(v);
        }
      }
    }
    const std::vector<FigureId> deadline_rows = Rows("deadlines");
    if (boxes_.count({"deadlines", "total"})) {
      const Box due = BoxOf({"deadlines", "total"});
      bool any = false;
      for (int64_t d = due.lo; d <= std::min(Cap(due), 2 * w); ++d) {
        std::map<FigureId, std::set<int64_t>> local;
        if (!deadline_rows.empty() && !Partition(deadline_rows, d, local)) {
          continue;
        }
        any = true;
        local[{"deadlines", "total"}].insert(d);
        for (auto& [id, vals] : local)
          found[id].insert(vals.begin(), vals.end());
      }
      if (!any) return false;
    }
    return true;
  }

  bool Partition(const std::vector<FigureId>& rows, int64_t total,
                 std::map<FigureId, std::set<int64_t>>& found) const {
    std::vector<Box> boxes;
    for (const FigureId& id : rows) boxes.push_back(BoxOf(id));
    const auto solutions = PartitionSolutions(boxes, total);
    if (!solutions) return false;
    for (size_t i = 0; i < rows.size(); ++i) {
      found[rows[i]].insert((*solutions)[i].begin(), (*solutions)[i].end());
    }
    return true;
  }

  int64_t k_ = 0;
  std::map<FigureId, Box> boxes_;
  std::map<FigureId, FigureId> aliases_;
  std::map<std::string, std::vector<std::string>> order_;
  std::map<FigureId, std::set<int64_t>> feasible_;
};

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(const std::string& text) {
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      if (field_started) {
        return absl::InvalidArgumentError("quote inside an unquoted field");
      }
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
      records.push_back(std::move(record));
      record.clear();
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (quoted) return absl::InvalidArgumentError("unterminated quote");
  if (field_started || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

absl::StatusOr<AuditResult> AuditReportCsv(const std::string& csv) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(csv);
  if (!records.ok()) return records.status();
  Auditor auditor;
  if (absl::Status s = auditor.Load(*records); !s.ok()) return s;
  return auditor.Run();
}

}  // namespace confidant::testing
