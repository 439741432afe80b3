// The fake relay's plumbing: streams, client transports, the call
// wrapper with its faults, and the control the tests use. Its rules (what
// each call checks and does) are in fake_rules.cc.
#include "client/testing/fake_relay.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "confidant/v1/wire.h"
#include "crypto/keys.h"
#include "server/codes.h"

namespace confidant::client {
namespace {

// Codes as server/codes.h makes and reads them.
constexpr int kAccessCodeGroups = 4;
constexpr int kInviteGroups = 5;
using ::confidant::server::NormaliseCode;

size_t Index(RelayMethod method) { return static_cast<size_t>(method); }

}  // namespace

// ---------------------------------------------------------------------------

// One Receive stream. All state is guarded by the relay's lock, so a Send
// (which changes a mailbox under that lock) wakes a blocked Read().
class FakeRelay::Stream final : public ReceiveStream {
 public:
  // `status` not OK: the stream failed to open and says so on Read().
  Stream(FakeRelay& relay, std::string account_id, absl::Status status)
      : relay_(relay), account_id_(std::move(account_id)) {
    absl::MutexLock lock(&relay_.mu_);
    final_ = std::move(status);
    relay_.streams_.insert(this);
  }

  ~Stream() override {
    absl::MutexLock lock(&relay_.mu_);
    relay_.streams_.erase(this);
  }

  absl::StatusOr<ReceiveEvent> Read() override {
    absl::MutexLock lock(&relay_.mu_);
    relay_.mu_.Await(absl::Condition(this, &Stream::Ready));
    if (!final_.ok()) return final_;
    const Envelope* next = NextLocked();
    ReceiveEvent event;
    if (next != nullptr) {
      cursor_ = next->seq;
      event.envelope = *next;
      return event;
    }
    sent_queue_empty_ = true;
    event.queue_empty = true;
    return event;
  }

  void Cancel() override {
    absl::MutexLock lock(&relay_.mu_);
    Break(absl::CancelledError("the mailbox stream was cancelled"));
  }

  // Ends the stream with `status` unless it has ended already.
  // Both with the relay's lock held (which the analysis cannot name through
  // a stream pointer, hence the assertion).
  void Break(absl::Status status) {
    relay_.mu_.AssertHeld();
    if (final_.ok()) final_ = std::move(status);
  }
  bool open() const {
    relay_.mu_.AssertHeld();
    return final_.ok();
  }
  const std::string& account_id() const { return account_id_; }

 private:
  // The first envelope after the cursor, or null.
  const Envelope* NextLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(relay_.mu_) {
    auto box = relay_.mailboxes_.find(account_id_);
    if (box == relay_.mailboxes_.end()) return nullptr;
    auto it = box->second.envelopes.upper_bound(cursor_);
    return it == box->second.envelopes.end() ? nullptr : &it->second;
  }

  // Called by Await with the lock held.
  bool Ready() const ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return !final_.ok() || !sent_queue_empty_ || NextLocked() != nullptr;
  }

  FakeRelay& relay_;
  const std::string account_id_;  // empty if the stream failed to open
  absl::Status final_ ABSL_GUARDED_BY(relay_.mu_);
  uint64_t cursor_ ABSL_GUARDED_BY(relay_.mu_) = 0;
  bool sent_queue_empty_ ABSL_GUARDED_BY(relay_.mu_) = false;
};

// ---------------------------------------------------------------------------

// One client's view. Holds only its credentials; everything else is the
// relay's.
class FakeRelay::Transport final : public RelayTransport {
 public:
  explicit Transport(FakeRelay& relay) : relay_(relay) {}

  void SetCredentials(std::string account_id,
                      crypto::SecretBytes secret) override {
    absl::MutexLock lock(&mu_);
    account_id_ = std::move(account_id);
    secret_ = std::move(secret);
  }

  absl::StatusOr<Registration> RegisterEmployee(
      std::string_view access_code) override {
    return relay_.Call(RelayMethod::kRegisterEmployee, nullptr,
                       &FakeRelay::Register, access_code,
                       static_cast<const TrustPersonProfile*>(nullptr));
  }

  absl::StatusOr<Registration> RegisterTrustPerson(
      std::string_view invite_code,
      const TrustPersonProfile& profile) override {
    return relay_.Call(RelayMethod::kRegisterTrustPerson, nullptr,
                       &FakeRelay::Register, invite_code, &profile);
  }

  absl::StatusOr<uint32_t> UploadKeys(const KeyUpload& upload) override {
    const Credentials caller = Caller();
    return relay_.Call(RelayMethod::kUploadKeys, &caller,
                       &FakeRelay::UploadKeys, upload);
  }

  absl::StatusOr<PeerBundle> GetPreKeyBundle(
      std::string_view account_id) override {
    const Credentials caller = Caller();
    return relay_.Call(RelayMethod::kGetPreKeyBundle, &caller,
                       &FakeRelay::TakeBundle, account_id);
  }

  absl::StatusOr<uint32_t> GetPreKeyCount() override {
    const Credentials caller = Caller();
    return relay_.Call(RelayMethod::kGetPreKeyCount, &caller,
                       &FakeRelay::CountPreKeys);
  }

  absl::StatusOr<TrustPersonList> ListTrustPersons(
      std::string_view organisation_id) override {
    const Credentials caller = Caller();
    return relay_.Call(RelayMethod::kListTrustPersons, &caller,
                       &FakeRelay::ListTrustPersons, organisation_id);
  }

  absl::StatusOr<std::vector<crypto::RelayPublicKey>> GetRelayKeys() override {
    return relay_.Call(RelayMethod::kGetRelayKeys, nullptr,
                       &FakeRelay::PublishKeys);
  }

  absl::StatusOr<std::string> GetSenderCertificate() override {
    const Credentials caller = Caller();
    return relay_.Call(RelayMethod::kGetSenderCertificate, &caller,
                       &FakeRelay::IssueCertificate);
  }

  absl::StatusOr<uint64_t> Send(std::string_view recipient_account_id,
                                std::string_view content) override {
    const Credentials caller = Caller();
    return relay_.Call(RelayMethod::kSend, &caller, &FakeRelay::Send,
                       recipient_account_id, content);
  }

  absl::StatusOr<uint32_t> Ack(absl::Span<const uint64_t> seqs) override {
    const Credentials caller = Caller();
    return relay_.Call(RelayMethod::kAck, &caller, &FakeRelay::Ack, seqs);
  }

  absl::StatusOr<std::unique_ptr<ReceiveStream>> OpenReceive() override {
    absl::StatusOr<std::string> account = relay_.OpenCheck(Caller());
    if (!account.ok()) {
      return std::make_unique<Stream>(relay_, "", account.status());
    }
    return std::make_unique<Stream>(relay_, *std::move(account),
                                    absl::OkStatus());
  }

 private:
  Credentials Caller() {
    absl::MutexLock lock(&mu_);
    return Credentials{account_id_, secret_.Clone()};
  }

  FakeRelay& relay_;
  absl::Mutex mu_;
  std::string account_id_ ABSL_GUARDED_BY(mu_);
  crypto::SecretBytes secret_ ABSL_GUARDED_BY(mu_);
};

template <typename T, typename... Params, typename... Args>
absl::StatusOr<T> FakeRelay::Call(RelayMethod method, const Credentials* caller,
                                  absl::StatusOr<T> (FakeRelay::*op)(Account*,
                                                                     Params...),
                                  Args&&... args) {
  absl::MutexLock lock(&mu_);
  WaitWhileHeld(method);
  std::optional<Injection> after;
  if (absl::Status st = BeginCall(method, &after); !st.ok()) return st;
  Account* me = nullptr;
  if (caller != nullptr) {
    absl::StatusOr<Account*> found = Authenticate(*caller);
    if (!found.ok()) return found.status();
    me = *found;
  }
  // Through a member pointer: the analysis cannot see that `op` needs mu_,
  // which is held here.
  absl::StatusOr<T> result = (this->*op)(me, std::forward<Args>(args)...);
  if (after.has_value()) return after->error;
  return result;
}

absl::StatusOr<std::string> FakeRelay::OpenCheck(const Credentials& caller) {
  absl::MutexLock lock(&mu_);
  WaitWhileHeld(RelayMethod::kOpenReceive);
  std::optional<Injection> after;
  if (absl::Status st = BeginCall(RelayMethod::kOpenReceive, &after);
      !st.ok()) {
    return st;
  }
  if (after.has_value()) return after->error;
  absl::StatusOr<Account*> me = Authenticate(caller);
  if (!me.ok()) return me.status();
  if (OpenStreamCountLocked((*me)->id) >= options_.max_streams_per_account) {
    return absl::ResourceExhaustedError(
        "too many open Receive streams for this account");
  }
  return (*me)->id;
}

// ---------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<FakeRelay>> FakeRelay::Create(
    FakeRelayOptions options) {
  if (!options.clock) options.clock = [] { return absl::Now(); };
  const auto hour =
      static_cast<uint32_t>(absl::ToUnixSeconds(options.clock()) / 3600);
  absl::StatusOr<crypto::RelaySigningKey> key =
      crypto::RelaySigningKey::Generate(1, hour);
  if (!key.ok()) return key.status();
  return std::unique_ptr<FakeRelay>(
      new FakeRelay(std::move(options), *std::move(key)));
}

FakeRelay::FakeRelay(FakeRelayOptions options, crypto::RelaySigningKey key)
    : options_(std::move(options)),
      signing_key_(std::move(key)),
      public_key_(signing_key_.Published("")) {}

FakeRelay::~FakeRelay() = default;

absl::StatusOr<FakeRelay::CreatedOrganisation> FakeRelay::CreateOrganisation(
    std::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("organisation name is empty");
  }
  absl::MutexLock lock(&mu_);
  const std::string folded = absl::AsciiStrToLower(std::string(name));
  for (const auto& [id, entry] : organisations_) {
    if (absl::AsciiStrToLower(entry.organisation.name) == folded) {
      return absl::AlreadyExistsError("organisation name already exists");
    }
  }
  std::string id;
  do {
    id = absl::BytesToHexString(RandomBytes(8));
  } while (organisations_.contains(id));
  CreatedOrganisation out;
  out.organisation = Organisation{id, std::string(name)};
  out.access_code = NewCode(kAccessCodeGroups);
  organisations_[id] =
      OrganisationEntry{out.organisation, *NormaliseCode(out.access_code)};
  return out;
}

absl::StatusOr<std::string> FakeRelay::CreateInvite(
    const std::vector<std::string>& organisation_ids) {
  if (organisation_ids.empty()) {
    return absl::InvalidArgumentError("an invite needs an organisation");
  }
  absl::MutexLock lock(&mu_);
  for (const std::string& id : organisation_ids) {
    if (!organisations_.contains(id)) {
      return absl::NotFoundError(absl::StrCat("no organisation ", id));
    }
  }
  const std::string code = NewCode(kInviteGroups);
  invites_[*NormaliseCode(code)] = organisation_ids;
  return code;
}

std::unique_ptr<RelayTransport> FakeRelay::NewTransport() {
  return std::make_unique<Transport>(*this);
}

std::vector<crypto::RelayPublicKey> FakeRelay::RelayKeys() const {
  return {public_key_};
}

std::string FakeRelay::RootFingerprint() const {
  return crypto::RelayKeyFingerprint(public_key_.public_key);
}

void FakeRelay::SetReachable(bool reachable) {
  absl::MutexLock lock(&mu_);
  reachable_ = reachable;
  if (reachable) return;
  for (Stream* stream : streams_) stream->Break(Unreachable());
}

bool FakeRelay::reachable() const {
  absl::MutexLock lock(&mu_);
  return reachable_;
}

int64_t FakeRelay::CallCount(RelayMethod method) const {
  absl::MutexLock lock(&mu_);
  return calls_[Index(method)];
}

void FakeRelay::FailNextCall(RelayMethod method, absl::Status error,
                             bool after_effect) {
  absl::MutexLock lock(&mu_);
  injections_[Index(method)] = Injection{std::move(error), after_effect};
}

void FakeRelay::HoldCalls(RelayMethod method) {
  absl::MutexLock lock(&mu_);
  held_[Index(method)] = true;
}

void FakeRelay::ReleaseCalls(RelayMethod method) {
  absl::MutexLock lock(&mu_);
  held_[Index(method)] = false;
}

bool FakeRelay::WaitForHeldCall(RelayMethod method, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto waiting = [this, method]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return waiting_[Index(method)] > 0;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&waiting), timeout);
}

void FakeRelay::WaitWhileHeld(RelayMethod method) {
  const size_t i = Index(method);
  if (!held_[i]) return;
  ++waiting_[i];
  auto released = [this, i]()
                      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !held_[i]; };
  mu_.Await(absl::Condition(&released));
  --waiting_[i];
}

size_t FakeRelay::QueuedCount(std::string_view account_id) const {
  absl::MutexLock lock(&mu_);
  auto it = mailboxes_.find(std::string(account_id));
  return it == mailboxes_.end() ? 0 : it->second.envelopes.size();
}

int FakeRelay::OpenStreamCount(std::string_view account_id) const {
  absl::MutexLock lock(&mu_);
  return OpenStreamCountLocked(account_id);
}

int FakeRelay::OpenStreamCountLocked(std::string_view account_id) const {
  int n = 0;
  for (const Stream* stream : streams_) {
    if (stream->open() && stream->account_id() == account_id) ++n;
  }
  return n;
}

absl::Status FakeRelay::Unreachable() const {
  return absl::UnavailableError(
      absl::StrCat("relay not reachable at ", options_.address,
                   ": made unreachable by the test (FakeRelay)"));
}

absl::Status FakeRelay::BeginCall(RelayMethod method,
                                  std::optional<Injection>* out_after) {
  ++calls_[Index(method)];
  if (!reachable_) return Unreachable();
  std::optional<Injection>& injection = injections_[Index(method)];
  if (!injection.has_value()) return absl::OkStatus();
  Injection taken = *std::move(injection);
  injection.reset();
  if (!taken.after_effect) return taken.error;
  *out_after = std::move(taken);
  return absl::OkStatus();
}

}  // namespace confidant::client
