// Runs the App's slower calls (unlocking with Argon2id, key generation,
// asking the relay, writing a PDF) off the window's thread, and hands the
// result back on it: the window never freezes. Work runs on a pool of its
// own; Wait() returns once nothing runs, so the App can be closed safely.
// The context object of Run() must own the Worker (its results are then
// dropped, never delivered to a destroyed object).
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_WORKER_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_WORKER_H_

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace confidant::desktop {

class Worker {
 public:
  Worker() { pool_.setMaxThreadCount(2); }
  ~Worker() { Wait(); }

  // Runs `work` on the pool, then `done(result)` on `context`'s thread,
  // unless `context` was destroyed meanwhile.
  template <typename Work, typename Done>
  void Run(QObject* context, Work work, Done done) {
    using Result = decltype(work());
    // Shared so that the pool's copyable task may hold move-only work (a
    // passphrase) and results (an App).
    struct Job {
      Work work;
      Done done;
      std::optional<Result> result;
    };
    auto job = std::make_shared<Job>(Job{std::move(work), std::move(done), {}});
    QPointer<QObject> guard(context);
    pool_.start([guard, job] {
      job->result.emplace(job->work());
      QObject* target = guard.data();
      if (target == nullptr) return;
      QMetaObject::invokeMethod(
          target, [job] { job->done(std::move(*job->result)); },
          Qt::QueuedConnection);
    });
  }

  // Returns once no work runs.
  void Wait() { pool_.waitForDone(); }

 private:
  QThreadPool pool_;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_WORKER_H_
