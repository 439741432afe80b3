// The relay fuzz harness (relay_fuzz_harness.h) in two files:
// relay_fuzz_harness.cc runs the in-process relay, places the calls and makes
// the checks every call gets; relay_fuzz_oracle.cc checks what a handler that
// succeeded must have done. Internal to tests/fuzz.
#ifndef CONFIDANT_TESTS_FUZZ_RELAY_FUZZ_HARNESS_INTERNAL_H_
#define CONFIDANT_TESTS_FUZZ_RELAY_FUZZ_HARNESS_INTERNAL_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/random.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "server/relay_keys.h"
#include "server/relay_service.h"
#include "server/storage/storage.h"
#include "server/worker_pool.h"
#include "tests/fuzz/relay_fuzz_harness.h"
#include "tests/fuzz/relay_world.h"

namespace confidant::fuzz::internal {

// Storage whose backing store is replaced between inputs, so that the
// services (and their gRPC server) live for the whole run while every input
// sees a fresh world. Swap only while no call is in flight.
class SwappableStorage final : public server::Storage {
 public:
  void Reset(std::unique_ptr<server::Storage> next) {
    current_ = std::move(next);
  }
  server::Storage& current() { return *current_; }

  server::OrganisationStore& organisations() override {
    return current_->organisations();
  }
  server::AccountStore& accounts() override { return current_->accounts(); }
  server::KeyStore& keys() override { return current_->keys(); }
  server::MailboxStore& mailboxes() override { return current_->mailboxes(); }
  absl::Status Checkpoint(const std::string& target_dir) override {
    return current_->Checkpoint(target_dir);
  }
  absl::StatusOr<uint64_t> BytesOnDisk() override {
    return current_->BytesOnDisk();
  }
  absl::Status Flush() override { return current_->Flush(); }
  absl::Status Forget() override { return current_->Forget(); }
  bool HasUnforgottenWrites() override {
    return current_->HasUnforgottenWrites();
  }

 private:
  std::unique_ptr<server::Storage> current_;
};

// base::FakeRandom restarted from the same seed for every input, so that ids
// and secrets handed out by Register repeat from run to run.
class ResettableRandom final : public base::Random {
 public:
  void Reset() {
    absl::MutexLock lock(&mu_);
    fake_ = std::make_unique<base::FakeRandom>(0x5eed);
  }
  std::string Bytes(size_t n) override {
    absl::MutexLock lock(&mu_);
    return fake_->Bytes(n);
  }

 private:
  absl::Mutex mu_;
  std::unique_ptr<base::FakeRandom> fake_ ABSL_GUARDED_BY(mu_) =
      std::make_unique<base::FakeRandom>(0x5eed);
};

// The outcome of one call.
struct CallResult {
  grpc::Status status;
  std::string response;               // unary calls
  std::vector<std::string> messages;  // Receive
};

// The relay and its client for the whole run; Run() places one call on a
// fresh world and checks it. Not thread-safe.
class Harness {
 public:
  Harness();

  void Run(RelayHandler handler, Caller caller, const std::string& request);

 private:
  [[noreturn]] void Abort(std::string_view where, std::string_view what);

  void Expect(bool condition, std::string_view what);

  // An oracle for a reported, not yet fixed finding: aborts like Expect
  // unless `finding` is listed in CONFIDANT_FUZZ_KNOWN (comma-separated), so
  // that fuzzing can go on past it; then it is reported once.
  void ExpectUnlessKnown(bool condition, std::string_view finding,
                         std::string_view what);

  void Authorise(grpc::ClientContext& ctx, Caller caller);

  // Waits for `tag` on the queue; a call stuck past the deadline is a hang.
  bool Await(void* tag);

  CallResult CallUnary(Caller caller, const std::string& request);

  // Receive: sends the request, reads until queue_empty (or a few messages),
  // then cancels, as a client that has caught up does.
  CallResult CallStreaming(Caller caller, const std::string& request);

  // What every call must satisfy: a status a client can act on, with a
  // message; INVALID_ARGUMENT for undecodable requests, UNAUTHENTICATED for
  // bad credentials.
  void CheckCommon(Caller caller, bool parsed, const CallResult& result);

  // What a call that succeeded (or any Receive) must have done, per handler
  // (relay_fuzz_oracle.cc).
  void CheckSuccess(Caller caller, const std::string& request,
                    const CallResult& result);
  void CheckReceive(const WorldAccount* me, const CallResult& result);

  // CONFIDANT_FUZZ_VERBOSE=1 prints each call's outcome (for corpus work).
  const bool verbose_ = std::getenv("CONFIDANT_FUZZ_VERBOSE") != nullptr;
  std::set<std::string> reported_;
  RelayHandler handler_ = RelayHandler::kRegister;
  uint32_t now_hour_ = 0;
  base::FakeClock clock_;
  SwappableStorage storage_;
  ResettableRandom random_;
  server::WorkerPool pool_;
  std::unique_ptr<server::RelayKeys> keys_;
  server::RelayServices services_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  grpc::CompletionQueue cq_;
};

}  // namespace confidant::fuzz::internal

#endif  // CONFIDANT_TESTS_FUZZ_RELAY_FUZZ_HARNESS_INTERNAL_H_
