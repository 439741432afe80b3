// Statistical disclosure control for the trust person's report
// (docs/report.md, "Suppression"): which counts a published table may show,
// and which it must hide so that no hidden count can be worked out from the
// shown ones. Pure functions; no I/O, thread-compatible.
//
// The reader is assumed to know these rules, the threshold k and which
// tables add up to which totals. Then:
//   - a count below k, 0 included, is shown as "<k" (primary suppression):
//     the reader knows only that it lies in [0, k-1];
//   - a count hidden to protect another is shown as ">=k" (secondary
//     suppression): the reader knows it lies in [k, total];
//   - a table whose cells add up to a known total gets secondary
//     suppression until every hidden cell has at least two values
//     consistent with everything shown.
#ifndef CONFIDANT_CLIENT_APP_REPORT_SUPPRESSION_H_
#define CONFIDANT_CLIENT_APP_REPORT_SUPPRESSION_H_

#include <cstdint>
#include <limits>
#include <vector>

namespace confidant::client {

// How a count appears in a published report.
enum class Disclosure {
  kShown,       // the exact value
  kBelowK,      // primary suppression: "<k", a value in [0, k-1]
  kProtective,  // secondary suppression: ">=k", hidden to protect another
};

// One published count: its true value (never shown unless kShown) and how
// it appears.
struct Cell {
  int64_t value = 0;
  Disclosure disclosure = Disclosure::kShown;

  bool suppressed() const { return disclosure != Disclosure::kShown; }
  friend bool operator==(const Cell&, const Cell&) = default;
};

// An upper bound nothing shown imposes.
inline constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max() / 4;

// The integers a reader can derive a count to lie in, both ends included.
struct FeasibleRange {
  int64_t lo = 0;
  int64_t hi = kUnbounded;

  bool pinned() const { return lo == hi; }
  friend bool operator==(const FeasibleRange&, const FeasibleRange&) = default;
};

// Primary suppression: `value` as shown with threshold `k` (>= 2): kShown
// from k on, kBelowK below (0 included: a shown 0 would tell the reader that
// every "<k" is at least 1, which for k = 2 pins it to 1).
Cell PrimaryCell(int64_t value, int k);

// What a reader derives from how `cell` appears alone, before any sums.
FeasibleRange DisplayRange(const Cell& cell, int k);

// A table whose cells add up to `total` (every case in exactly one row: the
// quarters, the outcomes, the reporter roles). The reader may also know that
// the total is at most `total_upper_bound`.
struct PartitionTable {
  std::vector<Cell> cells;
  Cell total;
  int64_t total_upper_bound = kUnbounded;
};

// The ranges a reader derives for each cell, and for the total as the last
// element, from what is shown and the sum. Exact: every integer in a range
// is the value of that figure in some table that looks the same. Empty
// (lo > hi) only for a table inconsistent with its own values.
std::vector<FeasibleRange> PartitionRanges(const PartitionTable& table, int k);

// True if some suppressed figure of `table` (a cell or the total) has a
// pinned range.
bool HasPinnedFigure(const PartitionTable& table, int k);

// Primary suppression of every cell and the total, then secondary
// suppression: the smallest shown cell (the first of equals) becomes
// kProtective until no suppressed figure is pinned. Returns false if even
// with every cell suppressed one stays pinned; the table must then not be
// published at all (the caller withholds it).
bool ProtectPartition(PartitionTable& table, int k);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_REPORT_SUPPRESSION_H_
