// A fixed set of threads that runs blocking work (storage, fsync) so that gRPC
// reactor threads never block.
#ifndef CONFIDANT_SERVER_WORKER_POOL_H_
#define CONFIDANT_SERVER_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace confidant::server {

class WorkerPool {
 public:
  // Starts `threads` threads (at least 1).
  explicit WorkerPool(int threads);
  // Runs every task already scheduled, then joins the threads.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` to run on a worker thread. Thread-safe. Tasks scheduled
  // after destruction began are still run before the destructor returns.
  void Schedule(std::function<void()> task);

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_WORKER_POOL_H_
