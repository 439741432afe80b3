#include "server/worker_pool.h"

#include <utility>

namespace confidant::server {

WorkerPool::WorkerPool(int threads) {
  if (threads < 1) threads = 1;
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& t : threads_) t.join();
}

void WorkerPool::Schedule(std::function<void()> task, uint64_t key) {
  absl::MutexLock lock(&mu_);
  std::deque<std::function<void()>>& queue = queues_[key];
  if (queue.empty()) turns_.push_back(key);
  queue.push_back(std::move(task));
}

bool WorkerPool::HasWorkOrStopping() const {
  return stopping_ || !turns_.empty();
}

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &WorkerPool::HasWorkOrStopping));
      if (turns_.empty()) return;  // stopping and drained
      const uint64_t key = turns_.front();
      turns_.pop_front();
      auto it = queues_.find(key);
      task = std::move(it->second.front());
      it->second.pop_front();
      if (it->second.empty()) {
        queues_.erase(it);
      } else {
        turns_.push_back(key);
      }
    }
    task();
  }
}

}  // namespace confidant::server
