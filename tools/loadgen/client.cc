#include "tools/loadgen/client.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "confidant/v1/wire.h"
#include "tools/loadgen/payload.h"

namespace confidant::loadgen {
namespace {

// A loop that fails this many calls in a row stops instead of spinning.
constexpr int kMaxConsecutiveFailures = 1000;
// Calls completing inline may start the next one this deep before the
// hand-off thread takes over.
constexpr int kMaxInlineDepth = 8;

thread_local int tl_issue_depth = 0;

}  // namespace

void Abandon(const std::string& what) {
  std::fprintf(stderr, "confidant-loadgen: giving up: %s\n", what.c_str());
  std::fflush(stderr);
  std::_Exit(3);
}

std::unique_ptr<Endpoint> Connect(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  args.SetMaxReceiveMessageSize(1 << 20);
  auto ep = std::make_unique<Endpoint>();
  ep->channel = grpc::CreateCustomChannel(
      target, grpc::InsecureChannelCredentials(), args);
  ep->accounts = v1::Accounts::NewStub(ep->channel);
  ep->keys = v1::Keys::NewStub(ep->channel);
  ep->directory = v1::Directory::NewStub(ep->channel);
  ep->mailbox = v1::Mailbox::NewStub(ep->channel);
  ep->health = grpc::health::v1::Health::NewStub(ep->channel);
  return ep;
}

absl::Status WaitConnected(const std::vector<std::unique_ptr<Endpoint>>& eps,
                           absl::Time deadline) {
  for (const auto& ep : eps) ep->channel->GetState(/*try_to_connect=*/true);
  for (size_t i = 0; i < eps.size(); ++i) {
    if (!eps[i]->channel->WaitForConnected(absl::ToChronoTime(deadline))) {
      return absl::DeadlineExceededError(
          absl::StrCat("connection ", i + 1, " of ", eps.size(),
                       " to the relay was not established in time"));
    }
  }
  return absl::OkStatus();
}

void PrepareCall(grpc::ClientContext* ctx, const Account* account,
                 absl::Duration timeout) {
  if (account != nullptr) {
    ctx->AddMetadata(wire::kAccountHeader, account->id);
    ctx->AddMetadata(wire::kSecretHeader, account->secret);
  }
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

// ---- ErrorCounter ----

void ErrorCounter::Add(const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  auto& [count, message] = by_code_[static_cast<int>(status.error_code())];
  if (count++ == 0) message = status.error_message();
}

uint64_t ErrorCounter::total() const {
  absl::MutexLock lock(&mu_);
  uint64_t n = 0;
  for (const auto& [code, entry] : by_code_) n += entry.first;
  return n;
}

std::string ErrorCounter::Describe() const {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  absl::MutexLock lock(&mu_);
  if (by_code_.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& [code, entry] : by_code_) {
    const char* name = code >= 0 && code <= 16 ? kNames[code] : "?";
    parts.push_back(
        absl::StrCat(name, " x", entry.first, " (", entry.second, ")"));
  }
  return absl::StrJoin(parts, "; ");
}

// ---- CallLoop ----

CallLoop::CallLoop(int concurrency, uint64_t total, Issue issue)
    : concurrency_(std::max(1, concurrency)),
      total_(total),
      issue_(std::move(issue)),
      handoff_thread_([this] { HandOffLoop(); }) {}

CallLoop::~CallLoop() {
  Stop();
  Wait(absl::InfiniteFuture());  // every call has a deadline
  {
    absl::MutexLock lock(&mu_);
    quit_handoff_ = true;
  }
  handoff_thread_.join();
}

void CallLoop::Start() {
  {
    absl::MutexLock lock(&mu_);
    active_slots_ = concurrency_;
  }
  for (int slot = 0; slot < concurrency_; ++slot) Next(slot);
}

void CallLoop::Stop() { stopping_.store(true); }

bool CallLoop::Wait(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(
      absl::Condition(
          +[](int* n) { return *n == 0; }, &active_slots_),
      deadline);
}

void CallLoop::Next(int slot) {
  uint64_t index = 0;
  if (!stopping_.load()) {
    index = next_index_.fetch_add(1);
  }
  if (stopping_.load() || (total_ != 0 && index >= total_)) {
    absl::MutexLock lock(&mu_);
    --active_slots_;
    return;
  }
  ++tl_issue_depth;
  issue_(index, slot,
         [this, slot](const grpc::Status& status) { Finished(slot, status); });
  --tl_issue_depth;
}

void CallLoop::Finished(int slot, const grpc::Status& status) {
  if (status.ok()) {
    ok_.fetch_add(1);
    consecutive_failures_.store(0);
  } else {
    errors_.Add(status);
    if (consecutive_failures_.fetch_add(1) + 1 >= kMaxConsecutiveFailures) {
      aborted_.store(true);
      stopping_.store(true);
    }
  }
  if (tl_issue_depth >= kMaxInlineDepth) {
    HandOff(slot);
  } else {
    Next(slot);
  }
}

void CallLoop::HandOff(int slot) {
  absl::MutexLock lock(&mu_);
  handed_off_.push_back(slot);
}

void CallLoop::HandOffLoop() {
  for (;;) {
    std::vector<int> slots;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](CallLoop* l) ABSL_EXCLUSIVE_LOCKS_REQUIRED(l->mu_) {
            return l->quit_handoff_ || !l->handed_off_.empty();
          },
          this));
      if (handed_off_.empty()) return;
      slots.swap(handed_off_);
    }
    for (int slot : slots) Next(slot);
  }
}

// ---- Tracker ----

void Tracker::SetWindow(int64_t start_nanos, int64_t end_nanos) {
  window_start_.store(start_nanos);
  window_end_.store(end_nanos);
}

bool Tracker::InWindow(int64_t nanos) const {
  return nanos >= window_start_.load() && nanos < window_end_.load();
}

void Tracker::OnEnvelope(const std::string& content, int64_t now_nanos) {
  std::optional<Stamp> stamp = ReadStamp(content);
  if (!stamp.has_value()) {
    foreign_.fetch_add(1);
    return;
  }
  received_.fetch_add(1);
  received_bytes_.fetch_add(content.size());
  bool fresh;
  {
    absl::MutexLock lock(&mu_);
    fresh = seen_.insert(stamp->seq).second;
  }
  if (!fresh) {
    duplicates_.fetch_add(1);
    return;
  }
  if (InWindow(stamp->send_nanos)) e2e_.Record(now_nanos - stamp->send_nanos);
}

uint64_t Tracker::unique() const {
  absl::MutexLock lock(&mu_);
  return seen_.size();
}

bool Tracker::Seen(uint64_t seq) const {
  absl::MutexLock lock(&mu_);
  return seen_.contains(seq);
}

// ---- ReceiveStream ----

ReceiveStream::ReceiveStream(Endpoint& endpoint, const Account& account,
                             Tracker* tracker, Mode mode,
                             absl::Duration deadline,
                             absl::Duration ack_timeout)
    : endpoint_(endpoint),
      account_(account),
      tracker_(tracker),
      mode_(mode),
      ack_timeout_(ack_timeout) {
  PrepareCall(&context_, &account_, deadline);
  request_.set_device_id(1);
}

void ReceiveStream::Start() {
  started_nanos_ = MonotonicNanos();
  endpoint_.mailbox->async()->Receive(&context_, &request_, this);
  StartRead(&response_);
  StartCall();
}

void ReceiveStream::Cancel() {
  {
    absl::MutexLock lock(&mu_);
    if (done_) return;
    cancelled_ = true;
  }
  context_.TryCancel();
}

void ReceiveStream::OnReadDone(bool ok) {
  if (!ok) return;  // OnDone follows with the status
  const int64_t now = MonotonicNanos();
  if (response_.has_envelope()) {
    envelopes_.fetch_add(1);
    int64_t unset = -1;
    first_envelope_nanos_.compare_exchange_strong(unset, now - started_nanos_);
    if (mode_ == Mode::kFirstEnvelope) {
      Cancel();
      return;
    }
    if (tracker_ != nullptr)
      tracker_->OnEnvelope(response_.envelope().content(), now);
    bool start_ack = false;
    {
      absl::MutexLock lock(&mu_);
      pending_acks_.push_back(response_.envelope().seq());
      if (!ack_in_flight_) {
        ack_in_flight_ = true;
        start_ack = true;
      }
    }
    if (start_ack) {
      AddHold();  // released when the chain of Ack calls ends
      SendAck();
    }
  } else if (response_.has_queue_empty()) {
    bool finish = false;
    {
      absl::MutexLock lock(&mu_);
      queue_empty_ = true;
      finish = DrainFinishedLocked();
    }
    if (mode_ == Mode::kDrain) {
      if (finish) context_.TryCancel();
      return;  // nothing more to read
    }
  }
  StartRead(&response_);
}

bool ReceiveStream::DrainFinishedLocked() {
  if (mode_ != Mode::kDrain || !queue_empty_ || ack_in_flight_ ||
      !pending_acks_.empty() || cancelled_) {
    return false;
  }
  cancelled_ = true;
  return true;
}

void ReceiveStream::SendAck() {
  {
    absl::MutexLock lock(&mu_);
    const size_t n = std::min(wire::kMaxAcksPerCall, pending_acks_.size());
    ack_request_.Clear();
    ack_request_.set_device_id(1);
    for (size_t i = 0; i < n; ++i) ack_request_.add_seqs(pending_acks_[i]);
    pending_acks_.erase(pending_acks_.begin(), pending_acks_.begin() + n);
    ack_context_ = std::make_unique<grpc::ClientContext>();
    PrepareCall(ack_context_.get(), &account_, ack_timeout_);
  }
  // Started outside mu_: the callback may run inline.
  endpoint_.mailbox->async()->Ack(
      ack_context_.get(), &ack_request_, &ack_response_,
      [this](grpc::Status status) { OnAckDone(status); });
}

void ReceiveStream::OnAckDone(const grpc::Status& status) {
  if (status.ok()) {
    acked_.fetch_add(ack_response_.deleted());
  } else {
    ack_errors_.Add(status);
  }
  bool more = false, finish = false;
  {
    absl::MutexLock lock(&mu_);
    if (!pending_acks_.empty()) {
      more = true;
    } else {
      ack_in_flight_ = false;
      finish = DrainFinishedLocked();
    }
  }
  if (more) {
    SendAck();
    return;
  }
  if (finish) context_.TryCancel();
  RemoveHold();
}

void ReceiveStream::OnDone(const grpc::Status& status) {
  grpc::Status final_status;
  std::function<void(const grpc::Status&)> on_done = std::move(on_done_);
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
    const bool goal =
        cancelled_ && status.error_code() == grpc::StatusCode::CANCELLED;
    status_ = goal ? grpc::Status::OK : status;
    final_status = status_;
  }
  if (on_done) on_done(final_status);  // may delete this
}

bool ReceiveStream::WaitQueueEmpty(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(
             absl::Condition(
                 +[](ReceiveStream* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
                   return s->queue_empty_ || s->done_;
                 },
                 this),
             deadline) &&
         queue_empty_;
}

bool ReceiveStream::WaitDone(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(absl::Condition(&done_), deadline);
}

bool ReceiveStream::done() const {
  absl::MutexLock lock(&mu_);
  return done_;
}

bool ReceiveStream::saw_queue_empty() const {
  absl::MutexLock lock(&mu_);
  return queue_empty_;
}

grpc::Status ReceiveStream::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

int64_t ReceiveStream::first_envelope_nanos() const {
  return first_envelope_nanos_.load();
}

// ---- StreamSet ----

StreamSet::~StreamSet() {
  if (!CancelAll(absl::Now() + absl::Seconds(60))) {
    Abandon("a Receive stream did not end after cancellation");
  }
}

ReceiveStream& StreamSet::Add(std::unique_ptr<ReceiveStream> stream) {
  streams_.push_back(std::move(stream));
  return *streams_.back();
}

bool StreamSet::CancelAll(absl::Time deadline) {
  for (auto& s : streams_) s->Cancel();
  for (auto& s : streams_) {
    if (!s->WaitDone(deadline)) return false;
  }
  return true;
}

}  // namespace confidant::loadgen
