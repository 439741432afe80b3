// Crash safety of the real confidant-relay: while employees and trust persons
// send and receive concurrently, the relay is killed with SIGKILL at random
// moments (under load, during heavy writes, while idle and while it starts)
// and restarted on the same data directory. Every Send that returned OK must
// be delivered, exactly once after de-duplication by id, uncorrupted; an Ack
// that returned OK must never be undone; sequence numbers are never reused.
//
// The random schedule is seeded from the clock and printed; set
// CONFIDANT_CRASH_SEED to replay one.
#include <grpcpp/grpcpp.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/openssl.h"
#include "confidant/v1/admin.pb.h"
#include "confidant/v1/relay.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant {
namespace {

using ::confidant::testing::RelayProcess;
using ::confidant::testing::TempDir;
using ::confidant::testing::XeddsaTestKey;
using Clock = std::chrono::steady_clock;

constexpr int kMinKills = 20;
constexpr int kTrustPersons = 2;
constexpr int kEmployees = 4;
// Whole sealed envelopes come in these sizes (SECURITY.md, "Sizes"), most of
// them small.
constexpr size_t kEnvelopeSizes[] = {1024, 4096, 16384, 65536, 262144};
constexpr int kSizeWeights[] = {60, 25, 10, 4, 1};
// Payload layout: id (8 bytes, big-endian) | SHA-256 of everything else (32)
// | filler.
constexpr size_t kIdBytes = 8;
constexpr size_t kDigestBytes = 32;
constexpr size_t kHeaderBytes = kIdBytes + kDigestBytes;

struct Account {
  std::string id;
  std::string secret;
  bool trust_person = false;
};

void Auth(grpc::ClientContext* ctx, const Account& a, int deadline_ms) {
  ctx->AddMetadata("x-confidant-account-bin", a.id);
  ctx->AddMetadata("x-confidant-secret-bin", a.secret);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(deadline_ms));
}

// SHA-256 of the payload without its digest field.
std::string Checksum(const std::string& payload) {
  base::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::string digest(kDigestBytes, '\0');
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx.get(), payload.data(), kIdBytes);
  EVP_DigestUpdate(ctx.get(), payload.data() + kHeaderBytes,
                   payload.size() - kHeaderBytes);
  EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(digest.data()),
                     &len);
  return digest;
}

std::string MakePayload(uint64_t id, size_t size, std::mt19937_64& rng) {
  std::string payload(size, '\0');
  for (size_t i = 0; i < kIdBytes; ++i) {
    payload[i] = static_cast<char>(id >> (56 - 8 * i));
  }
  for (size_t i = kHeaderBytes; i < size; i += 8) {
    const uint64_t r = rng();
    for (size_t k = 0; k < 8 && i + k < size; ++k) {
      payload[i + k] = static_cast<char>(r >> (8 * k));
    }
  }
  const std::string sum = Checksum(payload);
  std::copy(sum.begin(), sum.end(), payload.begin() + kIdBytes);
  return payload;
}

// The id of an intact payload, or nothing if it is corrupt.
std::optional<uint64_t> CheckPayload(const std::string& payload) {
  if (std::find(std::begin(kEnvelopeSizes), std::end(kEnvelopeSizes),
                payload.size()) == std::end(kEnvelopeSizes)) {
    return std::nullopt;
  }
  if (payload.compare(kIdBytes, kDigestBytes, Checksum(payload)) != 0) {
    return std::nullopt;
  }
  uint64_t id = 0;
  for (size_t i = 0; i < kIdBytes; ++i) {
    id = (id << 8) | static_cast<unsigned char>(payload[i]);
  }
  return id;
}

// Where the relay currently listens; clients reconnect when it changes.
class Endpoint {
 public:
  void Set(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    address_ = address;
    ++generation_;
  }
  std::pair<std::string, uint64_t> Get() {
    std::lock_guard<std::mutex> lock(mu_);
    return {address_, generation_};
  }

 private:
  std::mutex mu_;
  std::string address_;
  uint64_t generation_ = 0;
};

// One client's channel, rebuilt whenever the relay moved to another port.
class Connection {
 public:
  explicit Connection(Endpoint& endpoint) : endpoint_(endpoint) {}

  v1::Mailbox::Stub& mailbox() {
    auto [address, generation] = endpoint_.Get();
    if (stub_ == nullptr || generation != generation_) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 20);
      args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 20);
      args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      args.SetMaxReceiveMessageSize(1 << 20);
      stub_ = v1::Mailbox::NewStub(grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), args));
      generation_ = generation;
    }
    return *stub_;
  }

 private:
  Endpoint& endpoint_;
  uint64_t generation_ = 0;
  std::unique_ptr<v1::Mailbox::Stub> stub_;
};

// What the clients did and saw. Thread-safe.
class Ledger {
 public:
  explicit Ledger(size_t accounts) : mailboxes_(accounts) {}

  void Attempted(uint64_t id, size_t recipient) {
    std::lock_guard<std::mutex> lock(mu_);
    attempted_[id] = recipient;
  }
  void SendOk(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    send_ok_.insert(id);
  }
  void AckOk(size_t account, uint64_t seq) {
    std::lock_guard<std::mutex> lock(mu_);
    mailboxes_[account].acked.insert(seq);
    ++acks_ok_;
  }

  // Records one delivery to `account` and checks it against what was sent,
  // acknowledged and delivered before.
  void Delivered(size_t account, const v1::Envelope& envelope) {
    const std::optional<uint64_t> id = CheckPayload(envelope.content());
    std::lock_guard<std::mutex> lock(mu_);
    ++deliveries_;
    if (!id.has_value()) {
      Violation("corrupt envelope (size " +
                std::to_string(envelope.content().size()) + ", seq " +
                std::to_string(envelope.seq()) + ")");
      return;
    }
    auto sent = attempted_.find(*id);
    if (sent == attempted_.end()) {
      Violation("delivered an id nobody sent: " + std::to_string(*id));
    } else if (sent->second != account) {
      Violation("id " + std::to_string(*id) + " delivered to account " +
                std::to_string(account) + " instead of " +
                std::to_string(sent->second));
    }
    Mailbox& m = mailboxes_[account];
    if (m.acked.contains(envelope.seq())) {
      Violation("seq " + std::to_string(envelope.seq()) + " of account " +
                std::to_string(account) +
                " delivered again after its Ack returned OK");
    }
    auto [slot, fresh] = m.seq_to_id.try_emplace(envelope.seq(), *id);
    if (!fresh && slot->second != *id) {
      Violation("seq " + std::to_string(envelope.seq()) + " of account " +
                std::to_string(account) + " reused for another envelope");
    }
    if (!delivered_.insert(*id).second) ++duplicates_;
  }

  void Violation(const std::string& what) {
    if (violations_.size() < 20) violations_.push_back(what);
    ++violation_count_;
  }

  std::mutex mu_;
  std::map<uint64_t, size_t> attempted_;  // id -> recipient
  std::set<uint64_t> send_ok_;
  std::set<uint64_t> delivered_;
  struct Mailbox {
    std::set<uint64_t> acked;
    std::map<uint64_t, uint64_t> seq_to_id;
  };
  std::vector<Mailbox> mailboxes_;
  uint64_t deliveries_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t acks_ok_ = 0;
  std::vector<std::string> violations_;
  uint64_t violation_count_ = 0;
};

class RelayCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* seed_env = std::getenv("CONFIDANT_CRASH_SEED");
    seed_ =
        seed_env != nullptr
            ? std::strtoull(seed_env, nullptr, 10)
            : static_cast<uint64_t>(Clock::now().time_since_epoch().count());
    std::printf("CONFIDANT_CRASH_SEED=%llu\n",
                static_cast<unsigned long long>(seed_));
    rng_.seed(seed_);
    data_dir_ = dir_.path() + "/relay";
    // The test is about durability, not rate limits: raise them out of the
    // way. A forgetting window of 1 s keeps passes (flush, compaction, new
    // MANIFEST) running under load, so kills land inside them too.
    const std::string config = dir_.path() + "/relay.toml";
    std::ofstream(config) << "[retention]\n"
                             "forget_after_seconds = 1\n"
                             "[limits]\n"
                             "mailbox_max_envelopes = 1000000\n"
                             "send_per_second = 1000000.0\n"
                             "send_burst = 1000000.0\n"
                             "send_bytes_per_second = 1e12\n"
                             "send_bytes_burst = 1e12\n";
    relay_ = std::make_unique<RelayProcess>(
        CONFIDANT_RELAY_BIN, data_dir_,
        std::vector<std::string>{"--config", config});
    const auto before = Clock::now();
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    startup_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                      Clock::now() - before)
                      .count();
    endpoint_.Set(relay_->address());
    ASSERT_NO_FATAL_FAILURE(CreateAccounts());
  }

  template <typename Message>
  Message Admin(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  void CreateAccounts() {
    auto org = Admin<v1::CreateOrganisationResponse>(
        {"org", "create", "Crash Test BV"});
    ASSERT_FALSE(org.access_code().empty());
    auto channel = grpc::CreateChannel(relay_->address(),
                                       grpc::InsecureChannelCredentials());
    auto accounts = v1::Accounts::NewStub(channel);
    auto keys = v1::Keys::NewStub(channel);
    for (int i = 0; i < kTrustPersons + kEmployees; ++i) {
      const bool tp = i < kTrustPersons;
      v1::RegisterRequest req;
      if (tp) {
        auto invite = Admin<v1::CreateInviteResponse>(
            {"invite", "create", "--org", org.organisation().id()});
        req.set_invite_code(invite.invite_code());
        req.mutable_profile()->set_display_name("Vertrouwenspersoon " +
                                                std::to_string(i));
        req.mutable_profile()->set_affiliation(
            v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
      } else {
        req.set_access_code(org.access_code());
      }
      grpc::ClientContext ctx;
      v1::RegisterResponse resp;
      grpc::Status st = accounts->Register(&ctx, req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      Account a{resp.account_id(), resp.secret(), tp};
      XeddsaTestKey identity;
      v1::UploadKeysRequest upload;
      upload.set_identity_key(identity.public_key());
      upload.set_registration_id(100 + i);
      upload.mutable_signed_pre_key()->set_id(1);
      upload.mutable_signed_pre_key()->set_public_key(
          ::confidant::testing::RandomPublicKey());
      upload.mutable_signed_pre_key()->set_signature(
          identity.Sign(upload.signed_pre_key().public_key()));
      grpc::ClientContext kctx;
      Auth(&kctx, a, 10000);
      v1::UploadKeysResponse kresp;
      st = keys->UploadKeys(&kctx, upload, &kresp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      accounts_.push_back(std::move(a));
    }
  }

  // Sends from account `me` to random peers it may talk to until told to
  // stop. Ids are unique per sender.
  void SenderLoop(size_t me, uint64_t seed) {
    Connection conn(endpoint_);
    std::mt19937_64 rng(seed);
    std::discrete_distribution<int> pick_size(std::begin(kSizeWeights),
                                              std::end(kSizeWeights));
    uint64_t counter = 0;
    while (!stop_) {
      if (paused_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      const size_t peer = accounts_[me].trust_person
                              ? kTrustPersons + rng() % kEmployees
                              : rng() % kTrustPersons;
      const size_t size = heavy_ ? kEnvelopeSizes[3 + rng() % 2]
                                 : kEnvelopeSizes[pick_size(rng)];
      const uint64_t id = (uint64_t{me + 1} << 40) | ++counter;
      v1::SendRequest req;
      req.set_recipient_account_id(accounts_[peer].id);
      req.set_recipient_device_id(1);
      req.set_content(MakePayload(id, size, rng));
      ledger_.Attempted(id, peer);
      grpc::ClientContext ctx;
      Auth(&ctx, accounts_[me], 10000);
      v1::SendResponse resp;
      ++sends_in_flight_;
      grpc::Status st = conn.mailbox().Send(&ctx, req, &resp);
      --sends_in_flight_;
      if (st.ok()) {
        ledger_.SendOk(id);
      } else {
        ++sends_failed_;
        {
          std::lock_guard<std::mutex> lock(ledger_.mu_);
          ++send_failures_by_code_[st.error_code()];
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }

  // Receives and acknowledges account `me`'s envelopes until told to stop.
  // Each stream lives at most a few seconds, so stopping is prompt.
  void ReceiverLoop(size_t me) {
    Connection conn(endpoint_);
    while (!stop_) {
      grpc::ClientContext ctx;
      Auth(&ctx, accounts_[me], 2000);
      v1::ReceiveRequest req;
      req.set_device_id(1);
      auto reader = conn.mailbox().Receive(&ctx, req);
      v1::ReceiveResponse resp;
      uint64_t last_seq = 0;
      while (reader->Read(&resp)) {
        if (!resp.has_envelope()) continue;
        const v1::Envelope& e = resp.envelope();
        if (e.seq() <= last_seq) {
          std::lock_guard<std::mutex> lock(ledger_.mu_);
          ledger_.Violation("a stream went back from seq " +
                            std::to_string(last_seq) + " to " +
                            std::to_string(e.seq()));
        }
        last_seq = e.seq();
        ledger_.Delivered(me, e);
        if (!Ack(conn, me, {e.seq()})) {
          // The relay is probably gone: what this stream still holds comes
          // again from the next one.
          ++acks_failed_;
          ctx.TryCancel();
          break;
        }
        ledger_.AckOk(me, e.seq());
      }
      grpc::Status st = reader->Finish();
      if (!st.ok() && st.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }

  bool Ack(Connection& conn, size_t me, const std::vector<uint64_t>& seqs) {
    grpc::ClientContext ctx;
    Auth(&ctx, accounts_[me], 10000);
    v1::AckRequest req;
    req.set_device_id(1);
    for (uint64_t s : seqs) req.add_seqs(s);
    v1::AckResponse resp;
    return conn.mailbox().Ack(&ctx, req, &resp).ok();
  }

  // Reads account `me`'s queue up to the queue_empty marker, records every
  // envelope and acknowledges them.
  void DrainAndAck(size_t me, size_t* out_count) {
    Connection conn(endpoint_);
    grpc::ClientContext ctx;
    Auth(&ctx, accounts_[me], 60000);
    auto reader = conn.mailbox().Receive(&ctx, v1::ReceiveRequest());
    v1::ReceiveResponse resp;
    std::vector<uint64_t> seqs;
    bool complete = false;
    while (reader->Read(&resp)) {
      if (resp.has_queue_empty()) {
        complete = true;
        break;
      }
      ledger_.Delivered(me, resp.envelope());
      seqs.push_back(resp.envelope().seq());
    }
    ctx.TryCancel();
    const grpc::Status st = reader->Finish();
    ASSERT_TRUE(complete) << "the final drain did not reach queue_empty: "
                          << st.error_code() << " " << st.error_message()
                          << "\n"
                          << relay_->Log();
    for (size_t i = 0; i < seqs.size(); i += 1000) {
      std::vector<uint64_t> chunk(
          seqs.begin() + i, seqs.begin() + std::min(seqs.size(), i + 1000));
      ASSERT_TRUE(Ack(conn, me, chunk));
      for (uint64_t s : chunk) ledger_.AckOk(me, s);
    }
    *out_count = seqs.size();
  }

  int RandomMs(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }

  void Sleep(int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }

  // SIGKILLs the relay if it runs; counts the kill.
  void KillNow() {
    if (relay_->pid() <= 0) return;
    if (sends_in_flight_ > 0) ++kills_with_sends_in_flight_;
    relay_->Kill();
    ++kills_;
  }

  // Kills the relay and starts it again; fails the test if it does not serve.
  void KillAndRestart() {
    KillNow();
    const auto before = Clock::now();
    const bool started = relay_->Start();
    const long ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        Clock::now() - before)
                        .count();
    restart_ms_min_ = restart_ms_min_ == 0 ? ms : std::min(restart_ms_min_, ms);
    restart_ms_max_ = std::max(restart_ms_max_, ms);
    ASSERT_TRUE(started) << "the relay did not start after kill " << kills_
                         << " (exit code " << relay_->exit_code() << ")\n"
                         << relay_->Log();
    endpoint_.Set(relay_->address());
  }

  TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  Endpoint endpoint_;
  std::vector<Account> accounts_;
  Ledger ledger_{kTrustPersons + kEmployees};
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  long startup_ms_ = 0;
  long restart_ms_min_ = 0;
  long restart_ms_max_ = 0;

  std::atomic<bool> stop_{false};
  std::atomic<bool> paused_{false};
  std::atomic<bool> heavy_{false};
  std::atomic<int> sends_in_flight_{0};
  std::atomic<uint64_t> sends_failed_{0};
  std::map<int, int> send_failures_by_code_;  // guarded by ledger_.mu_
  std::atomic<uint64_t> acks_failed_{0};
  int kills_ = 0;
  int kills_with_sends_in_flight_ = 0;
};

TEST_F(RelayCrashTest, EverySendThatReturnedOkIsDeliveredAcrossKills) {
  std::vector<std::thread> threads;
  for (size_t i = 0; i < accounts_.size(); ++i) {
    threads.emplace_back([this, i] { SenderLoop(i, seed_ + 7919 * (i + 1)); });
    threads.emplace_back([this, i] { ReceiverLoop(i); });
  }

  // Six moments of each kind, in random order.
  enum class Moment { kUnderLoad, kHeavyWrites, kIdle, kStartup };
  std::vector<Moment> schedule;
  for (int i = 0; i < 6; ++i) {
    schedule.insert(schedule.end(), {Moment::kUnderLoad, Moment::kHeavyWrites,
                                     Moment::kIdle, Moment::kStartup});
  }
  std::shuffle(schedule.begin(), schedule.end(), rng_);
  int startup_kills = 0;
  for (Moment moment : schedule) {
    switch (moment) {
      case Moment::kUnderLoad:
        Sleep(RandomMs(50, 1200));
        break;
      case Moment::kHeavyWrites:
        heavy_ = true;
        Sleep(RandomMs(20, 400));
        break;
      case Moment::kIdle:
        paused_ = true;
        while (sends_in_flight_ > 0) Sleep(1);
        Sleep(RandomMs(50, 300));
        break;
      case Moment::kStartup: {
        // Kill a relay that is still starting (recovering its database,
        // binding, opening the admin socket), possibly more than once.
        Sleep(RandomMs(50, 500));
        KillNow();
        for (int again = RandomMs(1, 2); again > 0; --again) {
          ASSERT_TRUE(relay_->Launch());
          // Within the quickest start seen so far: mostly before it serves.
          const long quickest = restart_ms_min_ > 0
                                    ? std::min(restart_ms_min_, startup_ms_)
                                    : startup_ms_;
          Sleep(RandomMs(0, static_cast<int>(quickest * 9 / 10)));
          std::error_code ec;
          if (!std::filesystem::exists(data_dir_ + ".port", ec)) {
            ++startup_kills;
          }
          KillNow();
        }
        break;
      }
    }
    ASSERT_NO_FATAL_FAILURE(KillAndRestart());
    heavy_ = false;
    paused_ = false;
  }
  Sleep(RandomMs(100, 500));
  stop_ = true;
  for (auto& t : threads) t.join();

  // One last kill, then drain every mailbox on the restarted relay.
  ASSERT_NO_FATAL_FAILURE(KillAndRestart());
  size_t drained = 0;
  for (size_t i = 0; i < accounts_.size(); ++i) {
    size_t n = 0;
    ASSERT_NO_FATAL_FAILURE(DrainAndAck(i, &n));
    drained += n;
  }
  // The acknowledgements hold across one more kill: nothing is left.
  ASSERT_NO_FATAL_FAILURE(KillAndRestart());
  for (size_t i = 0; i < accounts_.size(); ++i) {
    size_t n = 0;
    ASSERT_NO_FATAL_FAILURE(DrainAndAck(i, &n));
    EXPECT_EQ(n, 0u) << "envelopes came back after their Ack returned OK";
  }
  EXPECT_EQ(relay_->Stop(), 0) << relay_->Log();

  std::lock_guard<std::mutex> lock(ledger_.mu_);
  std::printf(
      "kills: %d (%d before serving, %d with sends in flight); sends: %zu "
      "attempted, %zu OK, %llu failed; deliveries: %llu (%llu duplicates), "
      "%zu drained at the end; acks: %llu OK, %llu failed\n",
      kills_, startup_kills, kills_with_sends_in_flight_,
      ledger_.attempted_.size(), ledger_.send_ok_.size(),
      static_cast<unsigned long long>(sends_failed_.load()),
      static_cast<unsigned long long>(ledger_.deliveries_),
      static_cast<unsigned long long>(ledger_.duplicates_), drained,
      static_cast<unsigned long long>(ledger_.acks_ok_),
      static_cast<unsigned long long>(acks_failed_.load()));

  std::printf("restarts took %ld to %ld ms\n", restart_ms_min_,
              restart_ms_max_);
  for (auto [code, n] : send_failures_by_code_) {
    std::printf("  sends failed with code %d: %d\n", code, n);
  }
  EXPECT_GE(kills_, kMinKills);
  EXPECT_GE(startup_kills, 2);
  EXPECT_GE(kills_with_sends_in_flight_, 5);
  // Enough traffic that the kills hit something.
  EXPECT_GE(ledger_.send_ok_.size(), 500u);
  EXPECT_GE(ledger_.acks_ok_, 500u);

  EXPECT_EQ(ledger_.violation_count_, 0u)
      << "first violations:\n"
      << [&] {
           std::string s;
           for (const auto& v : ledger_.violations_) s += "  " + v + "\n";
           return s;
         }();
  std::vector<uint64_t> lost;
  for (uint64_t id : ledger_.send_ok_) {
    if (!ledger_.delivered_.contains(id)) lost.push_back(id);
  }
  EXPECT_TRUE(lost.empty())
      << lost.size()
      << " envelopes whose Send returned OK were never "
         "delivered; first id "
      << (lost.empty() ? 0 : lost.front()) << " (seed " << seed_ << ")";
}

// A relay killed while it creates its database for the very first time must
// start on the next try, with a working database.
TEST(RelayFirstStartCrashTest, StartsAfterBeingKilledWhileCreatingItsDatabase) {
  TempDir dir;
  const char* seed_env = std::getenv("CONFIDANT_CRASH_SEED");
  const uint64_t seed =
      seed_env != nullptr
          ? std::strtoull(seed_env, nullptr, 10)
          : static_cast<uint64_t>(Clock::now().time_since_epoch().count());
  std::printf("CONFIDANT_CRASH_SEED=%llu\n",
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  // How long a first start takes here, to kill at moments inside it: the
  // shortest of three, since a loaded machine makes some starts slower and
  // a kill after the relay served tests nothing.
  long startup_ms = std::numeric_limits<long>::max();
  for (int p = 0; p < 3; ++p) {
    RelayProcess probe(CONFIDANT_RELAY_BIN,
                       dir.path() + "/probe" + std::to_string(p));
    const auto before = Clock::now();
    ASSERT_TRUE(probe.Start()) << probe.Log();
    startup_ms = std::min<long>(
        startup_ms, std::chrono::duration_cast<std::chrono::milliseconds>(
                        Clock::now() - before)
                        .count());
    EXPECT_EQ(probe.Stop(), 0);
  }
  // One kill in each twelfth of the start, at a random moment within it, so
  // the kills cover the whole start whatever the seed.
  int killed_before_serving = 0;
  for (int i = 0; i < 12; ++i) {
    const std::string data_dir = dir.path() + "/relay" + std::to_string(i);
    RelayProcess relay(CONFIDANT_RELAY_BIN, data_dir);
    ASSERT_TRUE(relay.Launch());
    const long slice_begin = startup_ms * i / 12;
    const long slice_end = startup_ms * (i + 1) / 12;
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<long>(
            slice_begin, std::max(slice_begin, slice_end - 1))(rng)));
    std::error_code ec;
    if (!std::filesystem::exists(data_dir + ".port", ec)) {
      ++killed_before_serving;
    }
    relay.Kill();
    ASSERT_TRUE(relay.Start())
        << "the relay did not start after a kill during its first start "
           "(exit code "
        << relay.exit_code() << ")\n"
        << relay.Log();
    auto org = ::confidant::testing::AdminJson<v1::CreateOrganisationResponse>(
        CONFIDANT_ADMIN_BIN, data_dir, {"org", "create", "Eerste Start BV"});
    EXPECT_FALSE(org.access_code().empty());
    EXPECT_EQ(relay.Stop(), 0) << relay.Log();
  }
  std::printf("%d of 12 relays were killed before they served\n",
              killed_before_serving);
  EXPECT_GE(killed_before_serving, 3);
}

}  // namespace
}  // namespace confidant
