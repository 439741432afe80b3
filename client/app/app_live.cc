// The App with the relay: one round (SyncOnce) and the live receive and send
// threads. The event thread that calls the observers is in
// app_observers.cc.
#include <algorithm>
#include <cassert>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "client/app/app.h"
#include "client/app/app_stack.h"
#include "confidant/v1/wire.h"
#include "crypto/errors.h"

namespace confidant::client {
namespace {

// Envelopes acked in one call at most.
constexpr size_t kAckBatch = wire::kMaxAcksPerCall;
// Envelopes received in one atomic batch while catching up on a queue.
constexpr size_t kReceiveBatch = 256;
// Outbox items read per round.
constexpr size_t kOutboxRound = 500;

// A relay error that a retry later can cure (as opposed to a refusal).
bool IsTransient(const absl::Status& s) {
  return absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s) ||
         absl::IsResourceExhausted(s) || absl::IsAborted(s) ||
         absl::IsCancelled(s) || absl::IsInternal(s) || absl::IsUnknown(s);
}

// A wait drawn at random from the upper half of `backoff`.
absl::Duration Jittered(base::Random& random, absl::Duration backoff) {
  return random.UniformDuration(backoff / 2, backoff);
}

}  // namespace

base::Random& App::Random() const {
  return options_.random != nullptr ? *options_.random : base::SecureRandom();
}

absl::Status App::AckAll(absl::Span<const uint64_t> seqs) {
  absl::Status error;
  for (size_t start = 0; start < seqs.size(); start += kAckBatch) {
    const size_t n = std::min(kAckBatch, seqs.size() - start);
    absl::StatusOr<uint32_t> acked =
        stack_->transport->Ack(seqs.subspan(start, n));
    if (!acked.ok() && error.ok()) error = acked.status();
  }
  return error;
}

absl::Status App::HandleBatch(absl::Span<const Envelope> envelopes,
                              bool& relay_keys_fresh, SyncReport* report) {
  while (!envelopes.empty()) {
    absl::StatusOr<std::vector<Received>> received =
        stack_->messenger->ReceiveBatch(envelopes, Now(), relay_keys_fresh);
    if (!received.ok()) return received.status();
    size_t handled = received->size();
    const bool unknown_key =
        received->back().kind == Received::Kind::kUnknownRelayKey;
    if (unknown_key) --handled;
    for (size_t i = 0; i < handled; ++i) Publish((*received)[i], report);
    envelopes.remove_prefix(handled);
    if (!unknown_key) break;
    // The relay may have rotated its key: learn the chain (without any lock
    // held), once per round, and go on from that envelope.
    absl::Status refreshed = stack_->certificates->RefreshRelayKeys();
    if (!refreshed.ok() && !absl::IsPermissionDenied(refreshed)) {
      return refreshed;
    }
    relay_keys_fresh = true;
  }
  return absl::OkStatus();
}

void App::Publish(const Received& r, SyncReport* report) {
  if (report != nullptr) report->Add(r.report);
  {
    absl::MutexLock lock(&mu_);
    if (started_) {
      live_totals_.Add(r.report);
      live_totals_.warnings.clear();  // counts only, for as long as it runs
    }
  }
  switch (r.kind) {
    case Received::Kind::kMessage: {
      if (r.event == v1::CaseEvent::kHandoverAnswer &&
          r.event_content.handover_answer().consent() &&
          kind() == AccountKind::kTrustPerson) {
        // The employee took the case to a colleague: our file closes too
        // (CaseFiles closes it whenever it reads it, should this fail).
        (void)stack_->case_files->MarkHandedOver(r.case_id, Now());
      }
      absl::StatusOr<CaseMessage> message =
          stack_->messenger->ReadMessage(r.case_id, r.message_id);
      if (!message.ok()) break;
      const std::string case_id = r.case_id;
      const bool new_case = r.new_case;
      Emit([case_id, m = *std::move(message), new_case](AppObserver& o) {
        o.OnMessage(case_id, m, new_case);
        o.OnCaseChanged(case_id);
      });
      break;
    }
    case Received::Kind::kReceipt: {
      const std::string case_id = r.case_id;
      const std::vector<std::string> ids = r.delivered;
      Emit([case_id, ids](AppObserver& o) {
        for (const std::string& id : ids) {
          o.OnDeliveryChanged(case_id, id, DeliveryState::kDelivered);
        }
      });
      break;
    }
    case Received::Kind::kHeld: {
      const std::string peer = r.peer_account_id;
      Emit([peer](AppObserver& o) { o.OnIdentityChanged(peer); });
      break;
    }
    default:
      break;
  }
}

absl::StatusOr<SyncReport> App::ProcessHeld() {
  std::vector<Received> events;
  absl::StatusOr<SyncReport> report =
      stack_->messenger->ProcessHeld(Now(), false, &events);
  if (!report.ok()) return report;
  for (const Received& r : events) Publish(r, nullptr);
  return report;
}

absl::StatusOr<int> App::FlushOutbox() {
  Messenger& messenger = *stack_->messenger;
  RelayTransport& transport = *stack_->transport;
  int sent = 0;
  // Cases (and peers) that must wait: later items of theirs stay queued so
  // their order holds.
  std::set<std::string> stalled;
  while (true) {
    absl::StatusOr<std::vector<Outgoing>> items =
        messenger.ReadyToSend(Now(), kOutboxRound);
    if (!items.ok()) return items.status();
    bool progress = false;
    for (const Outgoing& item : *items) {
      if (stalled.count(item.case_id) > 0 ||
          stalled.count(item.peer_account_id) > 0) {
        continue;
      }
      if (!messenger.HasSession(item.peer_account_id)) {
        absl::StatusOr<PeerBundle> bundle =
            transport.GetPreKeyBundle(item.peer_account_id);
        if (!bundle.ok() && IsTransient(bundle.status())) {
          return bundle.status();
        }
        absl::Status started =
            !bundle.ok() ? bundle.status()
            : bundle->account_id != item.peer_account_id
                ? absl::InternalError(
                      "the relay returned another account's "
                      "keys")
                : messenger.StartSession(item.peer_account_id, bundle->bundle);
        if (absl::IsFailedPrecondition(started)) {
          // A key that is not the trusted one: the user must look first.
          stalled.insert(item.peer_account_id);
          Emit([started](AppObserver& o) { o.OnError(started); });
          continue;
        }
        if (!started.ok()) {
          if (absl::Status s = messenger.MarkFailed(item); !s.ok()) return s;
          progress = true;
          Emit([item, started](AppObserver& o) {
            if (!item.receipt) {
              o.OnDeliveryChanged(item.case_id, item.message_id,
                                  DeliveryState::kFailed);
            }
            o.OnError(started);
          });
          continue;
        }
      }
      absl::StatusOr<std::string> certificate =
          stack_->certificates->Current(Now());
      if (!certificate.ok()) return certificate.status();
      absl::StatusOr<std::string> envelope = messenger.Seal(item, *certificate);
      if (!envelope.ok()) {
        if (absl::IsFailedPrecondition(envelope.status())) {
          stalled.insert(item.peer_account_id);
          continue;
        }
        return envelope.status();
      }
      absl::StatusOr<uint64_t> seq =
          transport.Send(item.peer_account_id, *envelope);
      if (!seq.ok()) {
        if (IsTransient(seq.status())) return seq.status();
        // Refused for good (the account is gone, for example).
        if (absl::Status s = messenger.MarkFailed(item); !s.ok()) return s;
        progress = true;
        const absl::Status refused = seq.status();
        Emit([item, refused](AppObserver& o) {
          if (!item.receipt) {
            o.OnDeliveryChanged(item.case_id, item.message_id,
                                DeliveryState::kFailed);
          }
          o.OnError(refused);
        });
        continue;
      }
      if (absl::Status s = messenger.MarkSent(item); !s.ok()) return s;
      ++sent;
      progress = true;
      if (!item.receipt) {
        Emit([item](AppObserver& o) {
          o.OnDeliveryChanged(item.case_id, item.message_id,
                              DeliveryState::kSent);
        });
      }
    }
    if (!progress || items->size() < kOutboxRound) break;
  }
  if (sent > 0) {
    {
      absl::MutexLock lock(&mu_);
      if (started_) live_totals_.sent += sent;
    }
    PublishConnection();
  }
  return sent;
}

absl::StatusOr<int> App::SendQueued() {
  {
    absl::MutexLock lock(&mu_);
    if (started_) {
      return absl::FailedPreconditionError("the app is already live");
    }
  }
  return FlushOutbox();
}

SyncReport App::live_totals() const {
  absl::MutexLock lock(&mu_);
  return live_totals_;
}

absl::StatusOr<SyncReport> App::SyncOnce() {
  {
    absl::MutexLock lock(&mu_);
    if (started_) {
      return absl::FailedPreconditionError("the app is already live");
    }
  }
  absl::StatusOr<MaintenanceReport> maintained =
      stack_->account->Maintain(Now());
  if (!maintained.ok()) return maintained.status();
  absl::StatusOr<SyncReport> total = ProcessHeld();
  if (!total.ok()) return total;

  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      stack_->transport->OpenReceive();
  if (!stream.ok()) return stream.status();
  std::vector<uint64_t> acks;
  absl::Status error;
  bool relay_keys_fresh = false;
  std::vector<Envelope> batch;
  auto handle = [&]() -> absl::Status {
    if (batch.empty()) return absl::OkStatus();
    absl::Status s = HandleBatch(batch, relay_keys_fresh, &*total);
    if (s.ok()) {
      for (const Envelope& e : batch) acks.push_back(e.seq);
    }
    batch.clear();
    return s;
  };
  while (true) {
    absl::StatusOr<ReceiveEvent> event = (*stream)->Read();
    if (!event.ok()) {
      error = event.status();
      break;
    }
    if (event->queue_empty) break;
    batch.push_back(std::move(event->envelope));
    if (batch.size() >= kReceiveBatch) {
      error = handle();
      if (!error.ok()) break;
    }
  }
  // What was read before an error is still handled (and acked).
  if (absl::Status s = handle(); !s.ok() && error.ok()) error = s;
  (*stream)->Cancel();
  // Only what is stored, held or deliberately dropped is acked.
  if (absl::Status s = AckAll(acks); !s.ok() && error.ok()) error = s;
  if (!error.ok()) return error;
  absl::StatusOr<int> sent = FlushOutbox();
  if (!sent.ok()) return sent.status();
  total->sent += *sent;
  if (absl::Status s = stack_->messenger->PrepareForSending(); !s.ok()) {
    return s;
  }
  return total;
}

// Live.

void App::Start() {
  absl::MutexLock lock(&mu_);
  if (started_) return;
  started_ = true;
  stopping_ = false;
  live_totals_ = SyncReport();
  send_wanted_ = true;
  retry_now_ = false;
  {
    absl::MutexLock events_lock(&events_mu_);
    events_stopping_ = false;
    events_running_ = true;
  }
  events_ = std::thread([this] { EventLoop(); });
  receiver_ = std::thread([this] { ReceiveLoop(); });
  sender_ = std::thread([this] { SendLoop(); });
}

void App::Stop() {
  // From an observer on the event thread, the join below would wait for
  // itself (app.h forbids it).
  assert(std::this_thread::get_id() != events_.get_id());
  {
    absl::MutexLock lock(&mu_);
    if (!started_) return;
    stopping_ = true;
    if (stream_ != nullptr) stream_->Cancel();
  }
  receiver_.join();
  sender_.join();
  {
    absl::MutexLock lock(&events_mu_);
    events_stopping_ = true;
  }
  events_.join();
  absl::MutexLock lock(&mu_);
  started_ = false;
  status_.state = ConnectionState::kOffline;
}

ConnectionStatus App::connection() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

bool App::SleepUnlessStopped(absl::Duration delay, bool retry) {
  absl::MutexLock lock(&mu_);
  const absl::Time until = absl::Now() + delay;
  auto woken = [this, retry]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || (retry && retry_now_);
  };
  while (!woken() && absl::Now() < until) {
    mu_.AwaitWithDeadline(absl::Condition(&woken), until);
  }
  if (retry) retry_now_ = false;
  return !stopping_;
}

void App::RetryNow() {
  absl::MutexLock lock(&mu_);
  // Offline with a retry scheduled: the receiver waits (or is about to).
  if (started_ && status_.state == ConnectionState::kOffline &&
      status_.retry_in > absl::ZeroDuration()) {
    retry_now_ = true;
  }
}

void App::SetState(ConnectionState state, absl::Status error,
                   absl::Duration retry_in) {
  {
    absl::MutexLock lock(&mu_);
    status_.state = state;
    status_.error = std::move(error);
    status_.retry_in = retry_in;
    if (state == ConnectionState::kConnected) send_wanted_ = true;
  }
  PublishConnection();
}

void App::PublishConnection() {
  absl::StatusOr<uint32_t> queued = stack_->messenger->QueuedCount();
  ConnectionStatus status;
  {
    absl::MutexLock lock(&mu_);
    if (queued.ok()) status_.queued = *queued;
    status = status_;
  }
  Emit([status](AppObserver& o) { o.OnConnectionChanged(status); });
}

void App::ReceiveLoop() {
  absl::Duration backoff = options_.reconnect_min;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    SetState(ConnectionState::kConnecting, absl::OkStatus(),
             absl::ZeroDuration());
    absl::Status error;
    absl::StatusOr<MaintenanceReport> maintained =
        stack_->account->Maintain(Now());
    if (!maintained.ok()) error = maintained.status();
    absl::StatusOr<SyncReport> held =
        error.ok() ? ProcessHeld() : absl::StatusOr<SyncReport>(error);
    if (!held.ok()) error = held.status();
    std::unique_ptr<ReceiveStream> stream;
    if (error.ok()) {
      absl::StatusOr<std::unique_ptr<ReceiveStream>> opened =
          stack_->transport->OpenReceive();
      if (opened.ok()) {
        stream = *std::move(opened);
      } else {
        error = opened.status();
      }
    }
    if (stream != nullptr) {
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) return;
        stream_ = stream.get();
      }
      bool live = false;
      bool relay_keys_fresh = false;
      std::vector<uint64_t> acks;
      std::vector<Envelope> batch;
      auto flush_acks = [&]() -> absl::Status {
        absl::Status s = AckAll(acks);
        acks.clear();
        return s;
      };
      // Handles what was read; acks it when live or when enough piled up.
      auto handle = [&]() -> absl::Status {
        if (batch.empty()) return absl::OkStatus();
        absl::Status s = HandleBatch(batch, relay_keys_fresh, nullptr);
        if (!s.ok()) {
          // Not stored: not acked, so the relay delivers it again.
          batch.clear();
          Emit([s](AppObserver& o) { o.OnError(s); });
          return s;
        }
        for (const Envelope& e : batch) acks.push_back(e.seq);
        batch.clear();
        {
          absl::MutexLock lock(&mu_);
          send_wanted_ = true;  // receipts wait in the outbox
        }
        if (live || acks.size() >= kAckBatch) return flush_acks();
        return absl::OkStatus();
      };
      while (error.ok()) {
        absl::StatusOr<ReceiveEvent> event = stream->Read();
        if (!event.ok()) {
          error = event.status();
          break;
        }
        if (event->queue_empty) {
          error = handle();
          if (error.ok()) error = flush_acks();
          if (!error.ok()) break;
          live = true;
          backoff = options_.reconnect_min;
          relay_keys_fresh = false;
          SetState(ConnectionState::kConnected, absl::OkStatus(),
                   absl::ZeroDuration());
          if (absl::Status s = stack_->messenger->PrepareForSending();
              !s.ok()) {
            Emit([s](AppObserver& o) { o.OnError(s); });
          }
          continue;
        }
        batch.push_back(std::move(event->envelope));
        // Live, each envelope is handled the moment it arrives.
        if (live || batch.size() >= kReceiveBatch) error = handle();
      }
      // What was read before the stream broke is still stored.
      handle().IgnoreError();
      {
        absl::MutexLock lock(&mu_);
        stream_ = nullptr;
      }
      stream->Cancel();
      flush_acks().IgnoreError();
    }
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const absl::Duration wait = Jittered(Random(), backoff);
    SetState(ConnectionState::kOffline, error, wait);
    if (!SleepUnlessStopped(wait, /*retry=*/true)) return;
    backoff = std::min(backoff * 2, options_.reconnect_max);
  }
}

void App::SendLoop() {
  absl::Duration backoff = options_.reconnect_min;
  // Receipts become due with time: look again at least this often.
  constexpr absl::Duration kIdleCheck = absl::Seconds(1);
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ ||
               (send_wanted_ && status_.state == ConnectionState::kConnected);
      };
      mu_.AwaitWithTimeout(absl::Condition(&ready), kIdleCheck);
      if (stopping_) return;
      if (status_.state != ConnectionState::kConnected) continue;
      send_wanted_ = false;
    }
    absl::StatusOr<int> sent = FlushOutbox();
    if (sent.ok()) {
      backoff = options_.reconnect_min;
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      send_wanted_ = true;
    }
    if (!IsTransient(sent.status())) {
      const absl::Status failed = sent.status();
      Emit([failed](AppObserver& o) { o.OnError(failed); });
    }
    if (!SleepUnlessStopped(Jittered(Random(), backoff))) return;
    backoff = std::min(backoff * 2, options_.reconnect_max);
  }
}

}  // namespace confidant::client
