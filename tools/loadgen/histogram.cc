#include "tools/loadgen/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "absl/strings/str_format.h"

namespace confidant::loadgen {

Histogram::Histogram() {
  for (auto& b : buckets_) b.store(0, std::memory_order_relaxed);
}

size_t Histogram::BucketOf(int64_t value) {
  if (value < 64) return value < 0 ? 0 : static_cast<size_t>(value);
  const uint64_t v = static_cast<uint64_t>(value);
  const int shift = std::bit_width(v) - 7;  // leaves a mantissa in [64, 128)
  const uint64_t mantissa = v >> shift;
  return static_cast<size_t>(shift + 1) * 64 + (mantissa - 64);
}

int64_t Histogram::BucketUpperBound(size_t bucket) {
  if (bucket < 64) return static_cast<int64_t>(bucket);
  const int shift = static_cast<int>(bucket / 64) - 1;
  const uint64_t mantissa = 64 + bucket % 64;
  const uint64_t upper = ((mantissa + 1) << shift) - 1;
  return static_cast<int64_t>(
      std::min<uint64_t>(upper, static_cast<uint64_t>(INT64_MAX)));
}

void Histogram::Record(int64_t value) {
  if (value < 0) value = 0;
  buckets_[BucketOf(value)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  int64_t seen = max_.load(std::memory_order_relaxed);
  while (value > seen &&
         !max_.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

double Histogram::mean() const {
  const uint64_t n = count();
  if (n == 0) return 0;
  return static_cast<double>(sum_.load(std::memory_order_relaxed)) /
         static_cast<double>(n);
}

int64_t Histogram::Percentile(double p) const {
  uint64_t total = 0;
  for (const auto& b : buckets_) total += b.load(std::memory_order_relaxed);
  if (total == 0) return 0;
  p = std::clamp(p, 0.0, 1.0);
  const uint64_t rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(p * static_cast<double>(total))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i].load(std::memory_order_relaxed);
    if (seen >= rank) return std::min(BucketUpperBound(i), max());
  }
  return max();
}

std::string Millis(int64_t nanos) {
  return absl::StrFormat("%.3f ms", static_cast<double>(nanos) / 1e6);
}

std::string Histogram::SummaryMillis() const {
  if (count() == 0) return "no samples";
  return absl::StrFormat("p50 %s, p99 %s, p99.9 %s, max %s (n=%d)",
                         Millis(Percentile(0.5)), Millis(Percentile(0.99)),
                         Millis(Percentile(0.999)), Millis(max()), count());
}

}  // namespace confidant::loadgen
