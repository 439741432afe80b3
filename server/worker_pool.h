// A fixed set of threads that runs blocking work (storage, fsync) so that gRPC
// reactor threads never block. Tasks carry a fairness key (the relay uses one
// per client connection): tasks of one key run in order, and keys take turns,
// so a connection with many queued calls cannot starve the others.
#ifndef CONFIDANT_SERVER_WORKER_POOL_H_
#define CONFIDANT_SERVER_WORKER_POOL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
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

  // Queues `task` to run on a worker thread, after the tasks queued earlier
  // with the same `key`; keys with queued tasks are served round-robin.
  // Thread-safe. Tasks scheduled after destruction began are still run before
  // the destructor returns.
  void Schedule(std::function<void()> task, uint64_t key = 0);

 private:
  void Loop();
  bool HasWorkOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, std::deque<std::function<void()>>> queues_
      ABSL_GUARDED_BY(mu_);
  // Keys with queued tasks, in the order of their next turn.
  std::deque<uint64_t> turns_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_WORKER_POOL_H_
