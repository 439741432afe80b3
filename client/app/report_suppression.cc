#include "client/app/report_suppression.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace confidant::client {
namespace {

// a + b, never beyond kUnbounded (both are in [0, kUnbounded]).
int64_t SaturatingAdd(int64_t a, int64_t b) {
  return std::min(kUnbounded, a + b);
}

}  // namespace

Cell PrimaryCell(int64_t value, int k) {
  return {value, value < k ? Disclosure::kBelowK : Disclosure::kShown};
}

FeasibleRange DisplayRange(const Cell& cell, int k) {
  switch (cell.disclosure) {
    case Disclosure::kShown:
      return {cell.value, cell.value};
    case Disclosure::kBelowK:
      return {0, k - 1};
    case Disclosure::kProtective:
      return {k, kUnbounded};
  }
  return {0, kUnbounded};
}

std::vector<FeasibleRange> PartitionRanges(const PartitionTable& table, int k) {
  FeasibleRange total = DisplayRange(table.total, k);
  total.hi = std::min(total.hi, table.total_upper_bound);
  std::vector<FeasibleRange> boxes;
  boxes.reserve(table.cells.size());
  int64_t sum_lo = 0;
  int64_t sum_hi = 0;
  for (const Cell& cell : table.cells) {
    FeasibleRange box = DisplayRange(cell, k);
    // No cell exceeds the total.
    box.hi = std::min(box.hi, total.hi);
    boxes.push_back(box);
    sum_lo = SaturatingAdd(sum_lo, box.lo);
    sum_hi = SaturatingAdd(sum_hi, box.hi);
  }
  // Cell i takes x exactly when the others can make up total - x for some
  // total in its range: the others reach every sum in [their lo sum, their
  // hi sum], since each is an integer interval.
  std::vector<FeasibleRange> out;
  out.reserve(boxes.size() + 1);
  for (const FeasibleRange& box : boxes) {
    // Subtracting saturated sums is only exact below kUnbounded; above it
    // the bound is kUnbounded anyway.
    const int64_t others_lo = sum_lo - box.lo;
    const int64_t others_hi =
        sum_hi >= kUnbounded ? kUnbounded : sum_hi - box.hi;
    const int64_t lo = std::max(box.lo, total.lo - others_hi);
    const int64_t hi = total.hi >= kUnbounded
                           ? box.hi
                           : std::min(box.hi, total.hi - others_lo);
    out.push_back({lo, hi});
  }
  out.push_back({std::max(total.lo, sum_lo), std::min(total.hi, sum_hi)});
  return out;
}

bool HasPinnedFigure(const PartitionTable& table, int k) {
  const std::vector<FeasibleRange> ranges = PartitionRanges(table, k);
  for (size_t i = 0; i < table.cells.size(); ++i) {
    if (table.cells[i].suppressed() && ranges[i].pinned()) return true;
  }
  return table.total.suppressed() && ranges.back().pinned();
}

bool ProtectPartition(PartitionTable& table, int k) {
  for (Cell& cell : table.cells) cell = PrimaryCell(cell.value, k);
  table.total = PrimaryCell(table.total.value, k);
  while (HasPinnedFigure(table, k)) {
    std::optional<size_t> smallest;
    for (size_t i = 0; i < table.cells.size(); ++i) {
      if (table.cells[i].suppressed()) continue;
      if (!smallest || table.cells[i].value < table.cells[*smallest].value) {
        smallest = i;
      }
    }
    if (!smallest) return false;
    table.cells[*smallest].disclosure = Disclosure::kProtective;
  }
  return true;
}

}  // namespace confidant::client
