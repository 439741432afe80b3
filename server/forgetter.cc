#include "server/forgetter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/log.h"

namespace confidant::server {

absl::Duration ForgetSchedule::PollInterval() const {
  return std::clamp(window_ / 20, absl::Milliseconds(50), absl::Seconds(5));
}

// A pass covers the writes made before it began, so it must begin early
// enough to end within the window: a tenth of the window, or twice the last
// pass (passes grow with the data) plus two polls, whichever is more.
bool ForgetSchedule::Due(absl::Time now, absl::Time clean_at) const {
  const absl::Duration margin =
      std::max(window_ / 10, 2 * last_pass_ + 2 * PollInterval());
  return now - clean_at >= window_ - margin;
}

Forgetter::Forgetter(Storage& storage, base::Clock& clock,
                     absl::Duration window)
    : storage_(storage),
      clock_(clock),
      schedule_(window),
      thread_([this] { Run(); }) {}

Forgetter::~Forgetter() { Stop(); }

void Forgetter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Forgetter::WaitForNextPoll() {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(this, &Forgetter::Stopping),
                       schedule_.PollInterval());
}

void Forgetter::Run() {
  absl::Time clean_at = absl::InfinitePast();
  bool failing = false;
  for (;; WaitForNextPoll()) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const absl::Time now = clock_.Now();
    if (!storage_.HasUnforgottenWrites()) {
      clean_at = now;
      continue;
    }
    if (!schedule_.Due(now, clean_at)) continue;
    const absl::Time start = clock_.Now();
    absl::Status forgotten = storage_.Forget();
    const absl::Time end = clock_.Now();
    if (!forgotten.ok()) {
      if (!failing) {
        Log(LogLevel::kError,
            absl::StrCat("storage: forgetting failed: ", forgotten.message()));
      }
      failing = true;
      continue;  // retried at the next poll
    }
    if (failing) Log(LogLevel::kInfo, "storage: forgetting works again");
    failing = false;
    schedule_.PassTook(end - start);
    if (clean_at != absl::InfinitePast() &&
        end - clean_at > schedule_.Window()) {
      Log(LogLevel::kWarning,
          "storage: a forgetting pass ended after the forgetting window");
    }
    clean_at = start;
  }
}

}  // namespace confidant::server
