// Mailbox.Receive (relay.proto): the server-streaming reactor that writes a
// mailbox's envelopes in sequence order, then queue_empty, then each envelope
// as it arrives, until the client leaves, a read fails or the relay shuts
// down.
#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "confidant/v1/relay.pb.h"
#include "server/mailbox_hub.h"
#include "server/relay_service_internal.h"
#include "server/status_util.h"

namespace confidant::server {
namespace {

using Shared = RelayServices::Shared;

// What one Receive stream reads from storage at a time, and so at most holds
// in memory besides the envelope being written: a client that never reads
// pins this much, however long its queue.
constexpr size_t kReadBatchCount = 64;
constexpr size_t kReadBatchBytes = 256 * 1024;

// One Receive stream. Reads envelopes from storage in batches after a cursor
// (storage makes them visible in sequence order), writes one at a time, and
// sleeps until the hub says the mailbox changed. At most one pool task and one
// write are outstanding, and Finish is called only when neither is, so no task
// can outlive the reactor. gRPC operations are started outside mu_ (gRPC may
// run a completion inline) and never from hub callbacks.
class ReceiveReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                             public MailboxHub::Listener {
 public:
  ReceiveReactor(Shared& s, grpc::CallbackServerContext* ctx,
                 const grpc::ByteBuffer* in)
      : s_(s), connection_key_(ConnectionKey(*ctx)) {
    if (!s_.CallStarted()) {
      {
        absl::MutexLock lock(&mu_);
        finished_ = true;
      }
      Finish(ShuttingDown());
      return;
    }
    {
      absl::MutexLock lock(&mu_);
      task_running_ = true;
    }
    s_.pool.Schedule([this, ctx, in] { Start(*ctx, *in); }, connection_key_);
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) finish_requested_ = true;  // the client went away
    }
    Step();
  }

  void OnCancel() override {
    {
      absl::MutexLock lock(&mu_);
      finish_requested_ = true;
      finish_status_ = grpc::Status::CANCELLED;
    }
    Step();
  }

  void OnDone() override {
    if (subscribed_) s_.hub.Unsubscribe(mailbox_key_, this);
    Shared& shared = s_;
    delete this;
    shared.CallEnded();
  }

  void OnMailboxChanged() override {
    absl::MutexLock lock(&mu_);
    dirty_ = true;
    WakeLocked();
  }

  void OnShutdown() override {
    absl::MutexLock lock(&mu_);
    finish_requested_ = true;
    finish_status_ = ShuttingDown();
    WakeLocked();
  }

 private:
  // From hub callbacks: if idle, let a pool task take the next step.
  void WakeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || writing_ || task_running_) return;
    task_running_ = true;
    s_.pool.Schedule(
        [this] {
          Decision next;
          {
            absl::MutexLock lock(&mu_);
            task_running_ = false;
            next = DecideLocked();
          }
          Run(next);
        },
        connection_key_);
  }

  void Start(const grpc::CallbackServerContext& ctx,
             const grpc::ByteBuffer& in) {
    v1::ReceiveRequest req;
    absl::Status st = ParseRequest(in, &req);
    if (st.ok()) st = Setup(ctx, req);
    Decision next;
    {
      absl::MutexLock lock(&mu_);
      task_running_ = false;
      if (!st.ok()) {
        finish_requested_ = true;
        finish_status_ = ToGrpcStatus(st);
      } else {
        dirty_ = true;  // read the queue
      }
      next = DecideLocked();
    }
    Run(next);
  }

  absl::Status Setup(const grpc::CallbackServerContext& ctx,
                     const v1::ReceiveRequest& req) {
    absl::StatusOr<MailboxId> mailbox =
        s_.OwnMailbox(ctx, req.account_id(), req.device_id());
    if (!mailbox.ok()) return mailbox.status();
    mailbox_ = *std::move(mailbox);
    mailbox_key_ = MailboxKey(mailbox_);
    absl::Status subscribed = s_.hub.Subscribe(mailbox_key_, this);
    if (!subscribed.ok()) return subscribed;  // full, or shutting down
    subscribed_ = true;
    return absl::OkStatus();
  }

  void ReadTask() {
    absl::StatusOr<std::vector<StoredEnvelope>> batch =
        s_.storage.mailboxes().Read(mailbox_, cursor_, kReadBatchCount,
                                    kReadBatchBytes);
    Decision next;
    {
      absl::MutexLock lock(&mu_);
      task_running_ = false;
      if (!batch.ok()) {
        finish_requested_ = true;
        finish_status_ = ToGrpcStatus(batch.status());
      } else {
        if (!batch->empty()) {
          cursor_ = batch->back().seq;
          dirty_ = true;  // there may be more behind this batch
        } else if (!sent_queue_empty_) {
          queue_empty_due_ = true;
        }
        for (StoredEnvelope& e : *batch) pending_.push_back(std::move(e));
      }
      next = DecideLocked();
    }
    Run(next);
  }

  // What to do next, decided under mu_ and started outside it.
  enum class Next { kNothing, kWrite, kFinish, kRead };
  struct Decision {
    Next next = Next::kNothing;
    grpc::Status status;
  };

  // Decides the next operation and starts it outside mu_.
  void Step() {
    Decision next;
    {
      absl::MutexLock lock(&mu_);
      next = DecideLocked();
    }
    Run(next);
  }

  // A task clears task_running_ and decides in one critical section: were
  // the two apart, another thread could finish the call in between and the
  // reactor be deleted under the task.
  Decision DecideLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Decision d;
    if (finished_ || writing_ || task_running_) return d;
    if (finish_requested_) {
      finished_ = true;
      d.status = finish_status_;
      d.next = Next::kFinish;
    } else if (!pending_.empty()) {
      StoredEnvelope e = std::move(pending_.front());
      pending_.pop_front();
      v1::ReceiveResponse response;
      v1::Envelope* out = response.mutable_envelope();
      out->set_seq(e.seq);
      out->set_content(std::move(e.content));
      out->set_stored_hour(e.stored_hour);
      (void)SerializeResponse(response, &out_);
      writing_ = true;
      d.next = Next::kWrite;
    } else if (queue_empty_due_) {
      queue_empty_due_ = false;
      sent_queue_empty_ = true;
      v1::ReceiveResponse response;
      response.mutable_queue_empty();
      (void)SerializeResponse(response, &out_);
      writing_ = true;
      d.next = Next::kWrite;
    } else if (dirty_) {
      dirty_ = false;
      task_running_ = true;
      d.next = Next::kRead;
    }
    return d;
  }

  // Starts what DecideLocked chose. After Finish the reactor may already be
  // gone, so nothing here touches it afterwards.
  void Run(const Decision& d) {
    switch (d.next) {
      case Next::kWrite:
        StartWrite(&out_);  // untouched until OnWriteDone
        break;
      case Next::kFinish:
        Finish(d.status);
        break;
      case Next::kRead:
        s_.pool.Schedule([this] { ReadTask(); }, connection_key_);
        break;
      case Next::kNothing:
        break;
    }
  }

  Shared& s_;
  const uint64_t connection_key_;
  // Written by Setup before the first read, read-only afterwards.
  MailboxId mailbox_;
  std::string mailbox_key_;
  bool subscribed_ = false;
  // Touched only by the single outstanding ReadTask.
  uint64_t cursor_ = 0;
  // Owned by the outstanding write while writing_ is set.
  grpc::ByteBuffer out_;

  absl::Mutex mu_;
  std::deque<StoredEnvelope> pending_ ABSL_GUARDED_BY(mu_);
  bool task_running_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;
  bool queue_empty_due_ ABSL_GUARDED_BY(mu_) = false;
  bool sent_queue_empty_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status finish_status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* NewReceiveReactor(
    Shared& shared, grpc::CallbackServerContext* ctx,
    const grpc::ByteBuffer* in) {
  return new ReceiveReactor(shared, ctx, in);
}

}  // namespace confidant::server
