// The App's observers: events emitted by the App's threads are told on the
// event thread (live) or on the caller's thread (not live), with no lock of
// the App held; an observer's own events are told after it returns (app.h).
#include <cassert>
#include <deque>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "client/app/app.h"

namespace confidant::client {

void App::Emit(std::function<void(AppObserver&)> event) {
  {
    absl::MutexLock lock(&events_mu_);
    if (events_running_) {
      pending_events_.push_back(std::move(event));
      return;
    }
  }
  // Not live: the caller's thread (SyncOnce, a user action) tells them.
  Tell(std::move(event));
}

namespace {

// The events of the App that this thread is telling its observers now, and
// those its observers emitted meanwhile (told after the current one, so an
// observer never runs inside another).
struct Telling {
  const App* app = nullptr;
  std::deque<std::function<void(AppObserver&)>>* later = nullptr;
};
thread_local Telling telling;

}  // namespace

void App::Tell(std::function<void(AppObserver&)> event) {
  if (telling.app == this) {
    telling.later->push_back(std::move(event));
    return;
  }
  std::deque<std::function<void(AppObserver&)>> queue;
  queue.push_back(std::move(event));
  const Telling outer = telling;  // another App's, if one of its observers
                                  // called us
  telling = Telling{this, &queue};
  const std::thread::id self = std::this_thread::get_id();
  while (!queue.empty()) {
    const std::function<void(AppObserver&)> next = std::move(queue.front());
    queue.pop_front();
    std::vector<AppObserver*> observers;
    {
      absl::MutexLock lock(&observers_mu_);
      observers = observers_;
    }
    for (AppObserver* o : observers) {
      {
        absl::MutexLock lock(&observers_mu_);
        // Removed since the list was copied: not called again.
        if (std::find(observers_.begin(), observers_.end(), o) ==
            observers_.end()) {
          continue;
        }
        running_calls_.push_back(ObserverCall{o, self});
      }
      next(*o);
      absl::MutexLock lock(&observers_mu_);
      running_calls_.erase(std::find(
          running_calls_.begin(), running_calls_.end(), ObserverCall{o, self}));
    }
  }
  telling = outer;
}

void App::EventLoop() {
  while (true) {
    std::vector<std::function<void(AppObserver&)>> batch;
    {
      absl::MutexLock lock(&events_mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(events_mu_) {
        return events_stopping_ || !pending_events_.empty();
      };
      events_mu_.Await(absl::Condition(&ready));
      if (pending_events_.empty() && events_stopping_) {
        events_running_ = false;
        return;
      }
      batch.swap(pending_events_);
    }
    for (auto& event : batch) Tell(std::move(event));
  }
}

void App::AddObserver(AppObserver* observer) {
  absl::MutexLock lock(&observers_mu_);
  observers_.push_back(observer);
}

void App::RemoveObserver(AppObserver* observer) {
  absl::MutexLock lock(&observers_mu_);
  observers_.erase(std::remove(observers_.begin(), observers_.end(), observer),
                   observers_.end());
  // Calls on other threads finish first; one on this thread is the caller
  // itself and ends after we return.
  const std::thread::id self = std::this_thread::get_id();
  auto idle = [this, observer,
               self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(observers_mu_) {
    return std::none_of(running_calls_.begin(), running_calls_.end(),
                        [&](const ObserverCall& c) {
                          return c.observer == observer && c.thread != self;
                        });
  };
  observers_mu_.Await(absl::Condition(&idle));
}

}  // namespace confidant::client
