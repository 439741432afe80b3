// A latency histogram that any thread may record into without locking.
#ifndef CONFIDANT_TOOLS_LOADGEN_HISTOGRAM_H_
#define CONFIDANT_TOOLS_LOADGEN_HISTOGRAM_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace confidant::loadgen {

// Log-linear buckets: exact below 64, then 64 buckets per power of two, so a
// reported percentile is within 1.6% of the recorded value. Thread-safe.
class Histogram {
 public:
  Histogram();
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Records one value (nanoseconds, or any non-negative count); negative
  // values count as 0.
  void Record(int64_t value);

  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  int64_t max() const { return max_.load(std::memory_order_relaxed); }
  // 0 when empty.
  double mean() const;
  // The smallest recorded bucket bound at or above the p-quantile (p in
  // [0, 1]), capped at max(); 0 when empty.
  int64_t Percentile(double p) const;

  // "p50 1.23 ms, p99 4.56 ms, p99.9 7.89 ms, max 9.99 ms (n=1234)" for
  // nanosecond values.
  std::string SummaryMillis() const;

  // Bucket arithmetic, exposed for tests.
  static size_t BucketOf(int64_t value);
  static int64_t BucketUpperBound(size_t bucket);

  static constexpr size_t kBuckets = 64 * 58;

 private:
  std::array<std::atomic<uint64_t>, kBuckets> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<int64_t> sum_{0};
  std::atomic<int64_t> max_{0};
};

// Formats nanoseconds as milliseconds with three significant decimals.
std::string Millis(int64_t nanos);

}  // namespace confidant::loadgen

#endif  // CONFIDANT_TOOLS_LOADGEN_HISTOGRAM_H_
