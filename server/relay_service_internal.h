// Call plumbing shared by the relay's public services (relay_service.cc and
// one file per service: accounts_service.cc, keys_service.cc,
// directory_service.cc, certificates_service.cc, mailbox_service.cc with
// receive_reactor.cc): the state they share, authentication, the request
// checks several services make, and the unary reactor that parses raw
// requests and runs handlers on the worker pool. Internal to server/: only
// the relay's service files include it.
#ifndef CONFIDANT_SERVER_RELAY_SERVICE_INTERNAL_H_
#define CONFIDANT_SERVER_RELAY_SERVICE_INTERNAL_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "base/random.h"
#include "confidant/v1/common.pb.h"
#include "confidant/v1/wire.h"
#include "server/mailbox_hub.h"
#include "server/rate_limiter.h"
#include "server/relay_keys.h"
#include "server/relay_service.h"
#include "server/status_util.h"
#include "server/storage/storage.h"
#include "server/worker_pool.h"

namespace confidant::server {

namespace v1 = ::confidant::v1;

// What a call that begins after shutdown started gets, and open streams too.
grpc::Status ShuttingDown();

// Parses `in` into `out`; INVALID_ARGUMENT naming the type if it does not
// parse.
absl::Status ParseRequest(const grpc::ByteBuffer& in,
                          google::protobuf::MessageLite* out);

// Serializes `message` into `out`; INTERNAL if it cannot.
absl::Status SerializeResponse(const google::protobuf::MessageLite& message,
                               grpc::ByteBuffer* out);

// The worker pool's fairness key for a call: one per client connection, so a
// connection flooding the relay with calls waits behind itself, not others.
// Only a hash of the peer is kept (in memory, while tasks are queued).
uint64_t ConnectionKey(const grpc::CallbackServerContext& ctx);

// Request checks shared by the services (relay_service.cc).

// INVALID_ARGUMENT naming `field` unless `id` has an account id's size.
absl::Status ValidateAccountId(std::string_view id, absl::string_view field);

// Device ids: v1 has one device per account; 0 (unset) reads as 1.
absl::StatusOr<uint32_t> ValidateDevice(uint32_t device_id);

// Only an employee and a trust person of a common organisation talk.
bool MayTalk(const AccountRecord& a, const AccountRecord& b);

// The hub's key for a mailbox: the account id, then the device id in four
// bytes big-endian.
std::string MailboxKey(const MailboxId& m);

// What the services share. Thread-safe where its members are.
struct RelayServices::Shared {
  Shared(Storage& s, base::Clock& c, base::Random& r, WorkerPool& p,
         RelayKeys& k, const RelayLimits& l)
      : storage(s),
        clock(c),
        random(r),
        pool(p),
        keys(k),
        limits(l),
        send_limiter(l.send_per_second, l.send_burst, c),
        send_bytes_limiter(l.send_bytes_per_second, l.send_bytes_burst, c),
        bundle_limiter(l.bundle_per_second, l.bundle_burst, c),
        register_limiter(l.register_per_second, l.register_burst, c),
        certificate_limiter(l.certificate_per_second, l.certificate_burst, c),
        hub(l.max_streams_per_account) {}

  // The account named by the call's credentials, or UNAUTHENTICATED.
  absl::StatusOr<AccountRecord> Authenticate(
      const grpc::CallbackServerContext& ctx);

  // The caller's own mailbox on `device_id`, for Receive and Ack.
  // `account_id` may be empty or must name the caller.
  absl::StatusOr<MailboxId> OwnMailbox(const grpc::CallbackServerContext& ctx,
                                       std::string_view account_id,
                                       uint32_t device_id);

  absl::StatusOr<std::vector<v1::OrganisationRef>> OrganisationRefs(
      const std::vector<std::string>& ids);

  // Parses the raw request, runs `fn(ctx, request, done)` on the pool, and
  // finishes the call with the status (and the serialized response) that
  // `fn` passes to `done`, exactly once and from any thread: Send and Ack
  // pass it on to the storage writer, so no worker waits for the fsync.
  // Requests are parsed here rather than by gRPC so that undecodable bytes
  // get INVALID_ARGUMENT with a message instead of gRPC's bare INTERNAL.
  template <typename Response>
  using Done = absl::AnyInvocable<void(absl::StatusOr<Response>) &&>;
  template <typename Request, typename Response, typename Fn>
  grpc::ServerUnaryReactor* UnaryAsync(grpc::CallbackServerContext* ctx,
                                       const grpc::ByteBuffer* in,
                                       grpc::ByteBuffer* out, Fn fn) {
    auto* reactor = new CountedUnaryReactor(*this);
    if (!reactor->admitted()) {
      reactor->Finish(ShuttingDown());
      return reactor;
    }
    pool.Schedule(
        [reactor, ctx, in, out, fn = std::move(fn)]() mutable {
          Done<Response> done = [reactor,
                                 out](absl::StatusOr<Response> response) {
            absl::Status st = response.status();
            if (st.ok()) st = SerializeResponse(*response, out);
            reactor->Finish(ToGrpcStatus(st));
          };
          Request request;
          absl::Status st = ParseRequest(*in, &request);
          if (!st.ok()) {
            std::move(done)(st);
            return;
          }
          fn(*ctx, request, std::move(done));
        },
        ConnectionKey(*ctx));
    return reactor;
  }

  // UnaryAsync() for handlers that finish on the worker:
  // `fn(ctx, request, &response)` returns the call's status.
  template <typename Request, typename Response, typename Fn>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx,
                                  const grpc::ByteBuffer* in,
                                  grpc::ByteBuffer* out, Fn fn) {
    return UnaryAsync<Request, Response>(
        ctx, in, out,
        [fn = std::move(fn)](const grpc::CallbackServerContext& context,
                             const Request& request,
                             Done<Response> done) mutable {
          Response response;
          absl::Status st = fn(context, request, &response);
          if (!st.ok()) {
            std::move(done)(st);
          } else {
            std::move(done)(std::move(response));
          }
        });
  }

  // A unary call that counts as in flight until gRPC is done with it.
  // Not admitted (to be refused at once) if it began after BeginShutdown.
  class CountedUnaryReactor final : public grpc::ServerUnaryReactor {
   public:
    explicit CountedUnaryReactor(Shared& shared)
        : shared_(shared), admitted_(shared_.CallStarted()) {}
    bool admitted() const { return admitted_; }
    void OnDone() override {
      Shared& shared = shared_;
      delete this;
      shared.CallEnded();
    }

   private:
    Shared& shared_;
    const bool admitted_;
  };

  // Counts a call as in flight until CallEnded(), so shutdown can wait for
  // the calls themselves rather than for idle connections. False if shutdown
  // has begun: the caller must refuse the call with ShuttingDown().
  bool CallStarted() {
    absl::MutexLock lock(&calls_mu);
    ++calls_in_flight;
    return !shutting_down;
  }
  void BeginShutdown() {
    {
      absl::MutexLock lock(&calls_mu);
      shutting_down = true;
    }
    hub.Shutdown();
  }
  void CallEnded() {
    absl::MutexLock lock(&calls_mu);
    --calls_in_flight;
  }
  bool WaitForCalls(absl::Duration timeout) {
    absl::MutexLock lock(&calls_mu);
    return calls_mu.AwaitWithTimeout(
        absl::Condition(
            +[](int* n) { return *n == 0; }, &calls_in_flight),
        timeout);
  }

  Storage& storage;
  base::Clock& clock;
  base::Random& random;
  WorkerPool& pool;
  RelayKeys& keys;
  const RelayLimits limits;
  RateLimiter send_limiter;
  RateLimiter send_bytes_limiter;
  RateLimiter bundle_limiter;
  RateLimiter register_limiter;
  RateLimiter certificate_limiter;
  MailboxHub hub;
  absl::Mutex calls_mu;
  int calls_in_flight ABSL_GUARDED_BY(calls_mu) = 0;
  bool shutting_down ABSL_GUARDED_BY(calls_mu) = false;
};

// The services, in the order RelayServices registers them; one file each.
std::unique_ptr<grpc::Service> NewAccountsService(
    RelayServices::Shared& shared);  // accounts_service.cc
std::unique_ptr<grpc::Service> NewKeysService(
    RelayServices::Shared& shared);  // keys_service.cc
std::unique_ptr<grpc::Service> NewDirectoryService(
    RelayServices::Shared& shared);  // directory_service.cc
std::unique_ptr<grpc::Service> NewCertificatesService(
    RelayServices::Shared& shared);  // certificates_service.cc
std::unique_ptr<grpc::Service> NewMailboxService(
    RelayServices::Shared& shared);  // mailbox_service.cc

// One Mailbox.Receive stream (receive_reactor.cc). Counts as a call in
// flight until gRPC is done with it, then deletes itself.
grpc::ServerWriteReactor<grpc::ByteBuffer>* NewReceiveReactor(
    RelayServices::Shared& shared, grpc::CallbackServerContext* ctx,
    const grpc::ByteBuffer* in);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_RELAY_SERVICE_INTERNAL_H_
