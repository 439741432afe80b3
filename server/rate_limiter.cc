#include "server/rate_limiter.h"

#include <algorithm>

namespace confidant::server {
namespace {

// Buckets that have refilled are forgotten once this many keys are tracked.
constexpr size_t kPruneThreshold = 100000;

}  // namespace

RateLimiter::RateLimiter(double per_second, double burst, base::Clock& clock)
    : per_second_(per_second), burst_(std::max(burst, 1.0)), clock_(clock) {}

bool RateLimiter::TryAcquire(std::string_view key, double cost) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  if (buckets_.size() >= kPruneThreshold) PruneFullBuckets(now);
  auto [it, inserted] =
      buckets_.try_emplace(std::string(key), Bucket{burst_, now});
  Bucket& b = it->second;
  if (!inserted) {
    const double elapsed = absl::ToDoubleSeconds(now - b.updated);
    if (elapsed > 0)
      b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
    b.updated = now;
  }
  if (b.tokens < cost) return false;
  b.tokens -= cost;
  return true;
}

void RateLimiter::PruneFullBuckets(absl::Time now) {
  absl::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& b = entry.second;
    return b.tokens + absl::ToDoubleSeconds(now - b.updated) * per_second_ >=
           burst_;
  });
}

}  // namespace confidant::server
