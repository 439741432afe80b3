// Keeps the relay's files forgetting: runs Storage::Forget() so that no write
// stays unforgotten (storage.h, "What the files hold") for longer than the
// forgetting window.
#ifndef CONFIDANT_SERVER_FORGETTER_H_
#define CONFIDANT_SERVER_FORGETTER_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "server/storage/storage.h"

namespace confidant::server {

// When the next pass must start. Pure policy, so it can be tested alone.
class ForgetSchedule {
 public:
  explicit ForgetSchedule(absl::Duration window) : window_(window) {}

  // How often the storage is asked whether anything is left to forget.
  absl::Duration PollInterval() const;
  // Whether a pass must start now, given the last moment at which nothing
  // was left to forget (InfinitePast() when unknown, as after a start).
  bool Due(absl::Time now, absl::Time clean_at) const;
  // Records how long the last pass took; longer passes start earlier.
  void PassTook(absl::Duration d) { last_pass_ = d; }
  absl::Duration Window() const { return window_; }

 private:
  absl::Duration window_;
  absl::Duration last_pass_ = absl::ZeroDuration();
};

// A thread that forgets on schedule. The first pass runs at once, since what
// an earlier run left is of unknown age. `storage` and `clock` must outlive
// it. Failures are logged and retried.
class Forgetter {
 public:
  Forgetter(Storage& storage, base::Clock& clock, absl::Duration window);
  ~Forgetter();  // Stop()
  Forgetter(const Forgetter&) = delete;
  Forgetter& operator=(const Forgetter&) = delete;

  // Stops the thread; a pass under way finishes first. Idempotent.
  void Stop();

 private:
  void Run();
  void WaitForNextPoll() ABSL_LOCKS_EXCLUDED(mu_);
  bool Stopping() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_; }

  Storage& storage_;
  base::Clock& clock_;
  ForgetSchedule schedule_;  // used by the thread only
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts once the rest is constructed
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_FORGETTER_H_
