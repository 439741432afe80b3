#include "tests/integration/hostile_fixture.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "confidant/v1/admin.pb.h"

namespace confidant::hostile_testing {

using ::confidant::testing::XeddsaTestKey;

void Auth(grpc::ClientContext* ctx, const Account& a, int deadline_ms) {
  ctx->AddMetadata("x-confidant-account-bin", a.id);
  ctx->AddMetadata("x-confidant-secret-bin", a.secret);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(deadline_ms));
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxSendMessageSize(-1);
  args.SetMaxReceiveMessageSize(8 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

std::string Envelope(size_t size, const std::string& tag) {
  std::string out = tag;
  out.resize(size, '.');
  return out;
}

bool Prober::Start() {
  channel_ = NewChannel(address_);
  stub_ = v1::Mailbox::NewStub(channel_);
  for (int i = 0; i < 2; ++i) {
    readers_.emplace_back([this, i] { ReadLoop(i); });
  }
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10),
                      [&] { return streams_ready_ == 2; })) {
      return false;
    }
  }
  prober_ = std::thread([this] { ProbeLoop(); });
  return true;
}

Prober::Result Prober::Stop() {
  if (!stopping_.exchange(true)) {
    if (prober_.joinable()) prober_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto* ctx : stream_contexts_) {
        if (ctx != nullptr) ctx->TryCancel();
      }
    }
    for (auto& t : readers_) t.join();
  }
  std::lock_guard<std::mutex> lock(mu_);
  return result_;
}

void Prober::Fail(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  ++result_.failures;
  if (result_.first_failure.empty()) result_.first_failure = what;
}

void Prober::ReadLoop(int me) {
  while (!stopping_) {
    grpc::ClientContext ctx;
    Auth(&ctx, accounts_[me], 600000);
    {
      std::lock_guard<std::mutex> lock(mu_);
      stream_contexts_[me] = &ctx;
      if (stopping_) ctx.TryCancel();
    }
    auto reader = stub_->Receive(&ctx, v1::ReceiveRequest());
    v1::ReceiveResponse resp;
    while (reader->Read(&resp)) {
      std::lock_guard<std::mutex> lock(mu_);
      if (resp.has_queue_empty()) {
        ++streams_ready_;
      } else {
        inbox_[me].push_back(resp.envelope());
      }
      cv_.notify_all();
    }
    grpc::Status st = reader->Finish();
    {
      std::lock_guard<std::mutex> lock(mu_);
      stream_contexts_[me] = nullptr;
    }
    if (!stopping_) {
      Fail("a Receive stream of the well-behaved pair ended: " +
           std::to_string(st.error_code()) + " " + st.error_message());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

void Prober::ProbeLoop() {
  for (int round = 0; !stopping_; ++round) {
    const int from = round % 2, to = 1 - from;
    const std::string tag = "probe-" + std::to_string(round) + "-";
    const auto start = Clock::now();
    const auto deadline = start + kRoundTripBound;
    std::string failure;
    auto delivered_at = start;
    grpc::ClientContext send_ctx;
    Auth(&send_ctx, accounts_[from], kRoundTripBound.count());
    v1::SendRequest send;
    send.set_recipient_account_id(accounts_[to].id);
    send.set_content(Envelope(1024, tag));
    v1::SendResponse sent;
    grpc::Status st = stub_->Send(&send_ctx, send, &sent);
    const auto sent_at = Clock::now();
    if (!st.ok()) {
      failure =
          "Send: " + std::to_string(st.error_code()) + " " + st.error_message();
    } else {
      std::unique_lock<std::mutex> lock(mu_);
      const bool arrived = cv_.wait_until(lock, deadline, [&] {
        for (const auto& e : inbox_[to]) {
          if (e.seq() == sent.seq()) return true;
        }
        return false;
      });
      if (!arrived) {
        failure = "the envelope did not arrive on the open stream in time";
      } else {
        delivered_at = Clock::now();
        const v1::Envelope e = inbox_[to].front();
        inbox_[to].clear();
        lock.unlock();
        if (e.content() != send.content()) failure = "wrong envelope";
      }
    }
    if (failure.empty()) {
      grpc::ClientContext ack_ctx;
      Auth(&ack_ctx, accounts_[to], kRoundTripBound.count());
      v1::AckRequest ack;
      ack.add_seqs(sent.seq());
      v1::AckResponse acked;
      st = stub_->Ack(&ack_ctx, ack, &acked);
      if (!st.ok() || acked.deleted() != 1) {
        failure = "Ack: " + std::to_string(st.error_code()) + " " +
                  st.error_message();
      }
    }
    const auto end = Clock::now();
    const long ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(end - start)
            .count();
    auto in_ms = [](auto d) {
      return std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
    };
    const std::string breakdown =
        "Send " + in_ms(sent_at - start) + " ms, then delivery " +
        (failure.empty() ? in_ms(delivered_at - sent_at) : "-") + " ms, Ack " +
        (failure.empty() ? in_ms(end - delivered_at) : "-") + " ms";
    if (failure.empty() && round % 10 == 0) {
      // A new client must still get in, within the same bound.
      auto fresh = v1::Accounts::NewStub(NewChannel(address_));
      grpc::ClientContext ctx;
      Auth(&ctx, accounts_[from], kRoundTripBound.count());
      v1::GetAccountResponse me;
      st = fresh->GetAccount(&ctx, v1::GetAccountRequest(), &me);
      const long connect_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                                end)
              .count();
      if (!st.ok()) {
        failure = "a new connection: " + std::to_string(st.error_code()) + " " +
                  st.error_message();
      }
      std::lock_guard<std::mutex> lock(mu_);
      result_.max_new_connection_ms =
          std::max(result_.max_new_connection_ms, connect_ms);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++result_.rounds;
      if (ms > result_.max_ms) {
        result_.max_ms = ms;
        result_.slowest = breakdown;
      }
    }
    if (failure.empty() && ms > kRoundTripBound.count()) {
      failure =
          "a round trip took " + std::to_string(ms) + " ms (" + breakdown + ")";
    }
    if (!failure.empty()) Fail(failure);
    // About 25 round trips a second: well inside the send rate limit.
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  }
}

double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  const size_t end_of_name = stat.rfind(')');
  if (end_of_name == std::string::npos) return 0;
  std::istringstream fields(stat.substr(end_of_name + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

MemoryWatch::MemoryWatch(pid_t pid) : pid_(pid) {
  thread_ = std::thread([this] {
    while (!stop_) {
      Sample();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

MemoryWatch::~MemoryWatch() {
  stop_ = true;
  thread_.join();
}

long MemoryWatch::PeakKib() {
  Sample();
  return peak_;
}

void MemoryWatch::Sample() {
  const long kib = ::confidant::testing::ResidentKib(pid_);
  long seen = peak_.load();
  while (kib > seen && !peak_.compare_exchange_weak(seen, kib)) {
  }
}

void RelayHostileTest::StartRelay(const std::vector<std::string>& config_lines,
                                  long open_files_soft_limit) {
  if (relay_ != nullptr) relay_->Stop();
  data_dir_ = dir_.path() + "/relay";
  const std::string config = dir_.path() + "/relay.toml";
  {
    std::ofstream out(config);
    for (const auto& line : config_lines) out << line << "\n";
  }
  relay_ = std::make_unique<RelayProcess>(
      CONFIDANT_RELAY_BIN, data_dir_,
      std::vector<std::string>{"--config", config});
  relay_->set_open_files_soft_limit(open_files_soft_limit);
  ASSERT_TRUE(relay_->Start()) << relay_->Log();
  address_ = relay_->address();
}

void RelayHostileTest::Organisation(const std::string& name, int trust_persons,
                                    int employees,
                                    std::vector<Account>* out_tps,
                                    std::vector<Account>* out_emps) {
  auto org = Admin<v1::CreateOrganisationResponse>({"org", "create", name});
  ASSERT_FALSE(org.access_code().empty());
  auto channel = NewChannel(address_);
  auto accounts = v1::Accounts::NewStub(channel);
  auto keys = v1::Keys::NewStub(channel);
  for (int i = 0; i < trust_persons + employees; ++i) {
    v1::RegisterRequest req;
    if (i < trust_persons) {
      auto invite = Admin<v1::CreateInviteResponse>(
          {"invite", "create", "--org", org.organisation().id()});
      req.set_invite_code(invite.invite_code());
      req.mutable_profile()->set_display_name("TP " + std::to_string(i));
      req.mutable_profile()->set_affiliation(
          v1::TRUST_PERSON_AFFILIATION_INTERNAL);
    } else {
      req.set_access_code(org.access_code());
    }
    grpc::ClientContext ctx;
    v1::RegisterResponse resp;
    grpc::Status st = accounts->Register(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    Account a{resp.account_id(), resp.secret()};
    XeddsaTestKey identity;
    v1::UploadKeysRequest upload;
    upload.set_identity_key(identity.public_key());
    upload.set_registration_id(1 + i);
    upload.mutable_signed_pre_key()->set_id(1);
    upload.mutable_signed_pre_key()->set_public_key(
        ::confidant::testing::RandomPublicKey());
    upload.mutable_signed_pre_key()->set_signature(
        identity.Sign(upload.signed_pre_key().public_key()));
    grpc::ClientContext kctx;
    Auth(&kctx, a);
    v1::UploadKeysResponse kresp;
    st = keys->UploadKeys(&kctx, upload, &kresp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    (i < trust_persons ? out_tps : out_emps)->push_back(std::move(a));
  }
}

void RelayHostileTest::StartProber() {
  std::vector<Account> tps, emps;
  ASSERT_NO_FATAL_FAILURE(Organisation("Goed Gedrag BV", 1, 1, &tps, &emps));
  prober_ = std::make_unique<Prober>(address_, emps[0], tps[0]);
  ASSERT_TRUE(prober_->Start());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  baseline_kib_ = ::confidant::testing::ResidentKib(relay_->pid());
  watch_ = std::make_unique<MemoryWatch>(relay_->pid());
  phase_start_ = Clock::now();
  relay_cpu_start_ = CpuSeconds(relay_->pid());
  own_cpu_start_ = CpuSeconds(::getpid());
}

void RelayHostileTest::ExpectOthersServed(const std::string& phase,
                                          long extra_kib) {
  Prober::Result r = prober_->Stop();
  const long peak = watch_->PeakKib();
  const double wall =
      std::chrono::duration<double>(Clock::now() - phase_start_).count();
  std::printf(
      "%s: %d round trips, %d failed, slowest %ld ms (%s), new connections "
      "within %ld ms; relay RSS %ld KiB idle, %ld KiB peak; CPU over %.1f "
      "s: relay %.1f s, clients %.1f s\n",
      phase.c_str(), r.rounds, r.failures, r.max_ms, r.slowest.c_str(),
      r.max_new_connection_ms, baseline_kib_, peak, wall,
      CpuSeconds(relay_->pid()) - relay_cpu_start_,
      CpuSeconds(::getpid()) - own_cpu_start_);
  EXPECT_GE(r.rounds, 5) << phase;
  EXPECT_EQ(r.failures, 0) << phase << ": " << r.first_failure;
  EXPECT_LE(r.max_ms, kRoundTripBound.count()) << phase;
  EXPECT_LE(peak - baseline_kib_, kMemoryGrowthBoundKib + extra_kib)
      << phase << ": the relay grew from " << baseline_kib_ << " to " << peak
      << " KiB";
  EXPECT_TRUE(relay_->pid() > 0 && ::kill(relay_->pid(), 0) == 0)
      << phase << ": the relay died\n"
      << relay_->Log();
}

}  // namespace confidant::hostile_testing
