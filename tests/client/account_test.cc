// The client's transport and account lifecycle against the real
// confidant-relay binary (127.0.0.1 port 0, temporary data directory), with
// organisations and invites made by the real confidant-admin.
#include "client/account.h"

#include <arpa/inet.h>
#include <google/protobuf/util/json_util.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/crypto_stores.h"
#include "client/grpc_transport.h"
#include "client/profile_account_state.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/v1/admin.pb.h"
#include "crypto/memory_stores.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using ::confidant::testing::CommandResult;
using ::confidant::testing::RelayProcess;
using ::confidant::testing::RunCommand;
using ::confidant::testing::TempDir;

// One installation: crypto stores, account state, transport, account, and
// Signal sessions.
struct Party {
  std::unique_ptr<crypto::MemoryStore> store;
  MemoryAccountStateStore state_store;
  std::unique_ptr<RelayTransport> transport;
  std::unique_ptr<AccountManager> account;
  std::unique_ptr<crypto::SessionManager> sessions;

  std::string id() const { return account->state().account_id; }
  crypto::Address address() const {
    return crypto::Address{absl::BytesToHexString(id()), 1};
  }
};

// The same over an encrypted profile, whose crypto store records handouts.
struct ProfileParty {
  std::unique_ptr<ProfileStore> profile;
  std::unique_ptr<PersistentCryptoStore> store;
  std::unique_ptr<ProfileAccountStateStore> state_store;
  std::unique_ptr<RelayTransport> transport;
  std::unique_ptr<AccountManager> account;
  std::unique_ptr<crypto::SessionManager> sessions;

  std::string id() const { return account->state().account_id; }
  crypto::Address address() const {
    return crypto::Address{absl::BytesToHexString(id()), 1};
  }
};

// The test's own wire format for a raw Signal message: one type byte, then
// the ciphertext.
std::string ToWire(const crypto::Ciphertext& c) {
  return std::string(1, c.type == crypto::MessageType::kPreKey ? 'P' : 'S') +
         c.bytes;
}

crypto::Ciphertext FromWire(const std::string& wire) {
  crypto::Ciphertext c;
  c.type = wire.at(0) == 'P' ? crypto::MessageType::kPreKey
                             : crypto::MessageType::kSignal;
  c.bytes = wire.substr(1);
  return c;
}

// A minimal HTTP CONNECT proxy on 127.0.0.1 (like Tor's HTTPTunnelPort) that
// records the targets it was asked for and tunnels to them.
class ConnectProxy {
 public:
  ConnectProxy() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        listen(listen_fd_, 8) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) !=
            0) {
      ADD_FAILURE() << "proxy cannot listen";
      return;
    }
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~ConnectProxy() {
    stop_ = true;
    if (accept_thread_.joinable()) accept_thread_.join();
    for (std::thread& t : tunnels_) t.join();
    close(listen_fd_);
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
  }
  std::vector<std::string> targets() {
    absl::MutexLock lock(&mu_);
    return targets_;
  }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd >= 0) tunnels_.emplace_back([this, fd] { Tunnel(fd); });
    }
  }

  void Tunnel(int client) {
    std::string header;
    char c = 0;
    while (header.size() < 4096 &&
           header.find("\r\n\r\n") == std::string::npos &&
           read(client, &c, 1) == 1) {
      header.push_back(c);
    }
    const size_t sp1 = header.find(' ');
    const size_t sp2 = header.find(' ', sp1 + 1);
    const std::string target = header.substr(sp1 + 1, sp2 - sp1 - 1);
    {
      absl::MutexLock lock(&mu_);
      targets_.push_back(target);
    }
    int port = 0;
    const int upstream = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (header.rfind("CONNECT ", 0) == 0 &&
        absl::SimpleAtoi(target.substr(target.rfind(':') + 1), &port)) {
      addr.sin_port = htons(static_cast<uint16_t>(port));
    }
    if (connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) ==
        0) {
      static constexpr char kOk[] =
          "HTTP/1.1 200 Connection established\r\n\r\n";
      if (write(client, kOk, sizeof(kOk) - 1) == sizeof(kOk) - 1) {
        Pump(client, upstream);
      }
    }
    close(upstream);
    close(client);
  }

  void Pump(int a, int b) {
    char buf[16384];
    while (!stop_) {
      pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (poll(fds, 2, 50) <= 0) continue;
      for (int i = 0; i < 2; ++i) {
        if (fds[i].revents == 0) continue;
        const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
        if (n <= 0) return;
        if (write(fds[1 - i].fd, buf, n) != n) return;
      }
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread accept_thread_;
  std::vector<std::thread> tunnels_;  // accept thread only, until joined
  absl::Mutex mu_;
  std::vector<std::string> targets_ ABSL_GUARDED_BY(mu_);
};

class AccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.path() + "/relay.toml";
    std::ofstream(config_) << "[limits]\n"
                              "bundle_per_second = 1.0\n"
                              "bundle_burst = 1000.0\n";
    data_dir_ = dir_.path() + "/relay";
    ASSERT_NO_FATAL_FAILURE(StartRelay());
  }

  void StartRelay() {
    relay_ = std::make_unique<RelayProcess>(
        CONFIDANT_RELAY_BIN, data_dir_,
        std::vector<std::string>{"--config", config_});
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
  }

  template <typename Message>
  Message AdminJson(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  std::unique_ptr<RelayTransport> NewTransport() {
    GrpcTransportOptions options;
    options.address = relay_->address();
    options.insecure = true;
    absl::StatusOr<std::unique_ptr<RelayTransport>> t =
        CreateGrpcTransport(options);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *std::move(t) : nullptr;
  }

  std::unique_ptr<Party> NewParty() {
    auto party = std::make_unique<Party>();
    absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
    EXPECT_TRUE(keys.ok()) << keys.status();
    party->store = std::make_unique<crypto::MemoryStore>(
        std::move(keys->identity), keys->registration_id);
    party->transport = NewTransport();
    auto account =
        AccountManager::Open(*party->transport, party->state_store,
                             *party->store, *party->store, *party->store);
    EXPECT_TRUE(account.ok()) << account.status();
    party->account = *std::move(account);
    auto sessions = crypto::SessionManager::Create(
        *party->store, *party->store, *party->store, *party->store);
    EXPECT_TRUE(sessions.ok()) << sessions.status();
    party->sessions = *std::move(sessions);
    return party;
  }

  // A party over a new profile in the test's directory.
  std::unique_ptr<ProfileParty> NewProfileParty(const AccountOptions& options) {
    auto party = std::make_unique<ProfileParty>();
    absl::StatusOr<std::unique_ptr<ProfileStore>> profile =
        ProfileStore::Create(dir_.path() + "/profile",
                             "correct horse battery staple", {1, 8 * 1024, 1});
    EXPECT_TRUE(profile.ok()) << profile.status();
    if (!profile.ok()) return nullptr;
    party->profile = *std::move(profile);
    absl::StatusOr<AccountKeys> keys = AccountKeys::Generate();
    EXPECT_TRUE(keys.ok()) << keys.status();
    auto store = PersistentCryptoStore::Create(
        *party->profile, std::move(keys->identity), keys->registration_id);
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return nullptr;
    party->store = *std::move(store);
    party->state_store =
        std::make_unique<ProfileAccountStateStore>(*party->profile);
    party->transport = NewTransport();
    auto account = AccountManager::Open(
        *party->transport, *party->state_store, *party->store, *party->store,
        *party->store, options, party->store.get());
    EXPECT_TRUE(account.ok()) << account.status();
    party->account = *std::move(account);
    auto sessions = crypto::SessionManager::Create(
        *party->store, *party->store, *party->store, *party->store);
    EXPECT_TRUE(sessions.ok()) << sessions.status();
    party->sessions = *std::move(sessions);
    return party;
  }

  static TrustPersonProfile Profile() {
    TrustPersonProfile profile;
    profile.display_name = "Anna de Vries";
    profile.affiliation = Affiliation::kExternal;
    profile.languages = {"nl", "en"};
    profile.intro = "Vertrouwenspersoon sinds 2015.";
    return profile;
  }

  // An organisation with a registered trust person and employee.
  void SetUpOrganisation(std::unique_ptr<Party>* trust_person,
                         std::unique_ptr<Party>* employee) {
    org_ = AdminJson<v1::CreateOrganisationResponse>(
        {"org", "create", "Gemeente Voorbeeld"});
    auto invite = AdminJson<v1::CreateInviteResponse>(
        {"invite", "create", "--org", org_.organisation().id()});
    *trust_person = NewParty();
    ASSERT_TRUE(
        (*trust_person)
            ->account->RegisterTrustPerson(invite.invite_code(), Profile(), t0_)
            .ok());
    *employee = NewParty();
    ASSERT_TRUE(
        (*employee)->account->RegisterEmployee(org_.access_code(), t0_).ok());
  }

  // `from` starts a session from `bundle`, encrypts `text` and sends it to
  // `to`.
  template <typename From, typename To>
  static void SendFromBundle(From& from, const To& to,
                             const crypto::PreKeyBundle& bundle,
                             const std::string& text) {
    ASSERT_TRUE(from.sessions->StartSession(to.address(), bundle).ok());
    absl::StatusOr<crypto::Ciphertext> c =
        from.sessions->Encrypt(to.address(), text);
    ASSERT_TRUE(c.ok()) << c.status();
    absl::StatusOr<uint64_t> seq = from.transport->Send(to.id(), ToWire(*c));
    ASSERT_TRUE(seq.ok()) << seq.status();
  }

  // Drains `to`'s mailbox, decrypts each envelope as coming from `from`, and
  // acks them all.
  template <typename To, typename From>
  static std::vector<std::string> ReceiveAll(To& to, const From& from) {
    absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*to.transport);
    EXPECT_TRUE(got.ok()) << got.status();
    std::vector<std::string> texts;
    std::vector<uint64_t> seqs;
    for (const Envelope& e : got.value_or(std::vector<Envelope>{})) {
      absl::StatusOr<std::string> text =
          to.sessions->Decrypt(from.address(), FromWire(e.content));
      EXPECT_TRUE(text.ok()) << text.status();
      texts.push_back(text.value_or("<undecryptable>"));
      seqs.push_back(e.seq);
    }
    if (!seqs.empty()) {
      absl::StatusOr<uint32_t> deleted = to.transport->Ack(seqs);
      EXPECT_TRUE(deleted.ok()) << deleted.status();
      EXPECT_EQ(deleted.value_or(0), seqs.size());
    }
    return texts;
  }

  TempDir dir_;
  std::string config_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  v1::CreateOrganisationResponse org_;
  const absl::Time t0_ = absl::Now();
};

TEST_F(AccountTest, RegistersListsSendsReceivesAndAcks) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));

  AccountState tp_state = tp->account->state();
  EXPECT_EQ(tp_state.kind, AccountKind::kTrustPerson);
  EXPECT_EQ(tp_state.account_id.size(), 16u);
  EXPECT_EQ(tp_state.secret.size(), 32u);
  EXPECT_TRUE(tp_state.keys_uploaded);
  ASSERT_EQ(tp_state.organisations.size(), 1u);
  EXPECT_EQ(tp_state.organisations[0].id, org_.organisation().id());
  EXPECT_EQ(tp->store->pre_key_count(), 100u);
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 100u);

  AccountState emp_state = emp->account->state();
  EXPECT_EQ(emp_state.kind, AccountKind::kEmployee);
  ASSERT_EQ(emp_state.organisations.size(), 1u);
  EXPECT_EQ(emp_state.organisations[0].name, "Gemeente Voorbeeld");

  absl::StatusOr<TrustPersonList> list = emp->transport->ListTrustPersons("");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->organisation.id, org_.organisation().id());
  ASSERT_EQ(list->trust_persons.size(), 1u);
  EXPECT_EQ(list->trust_persons[0].account_id, tp->id());
  EXPECT_EQ(list->trust_persons[0].profile, Profile());
  EXPECT_EQ(list->trust_persons[0].identity_key,
            tp->store->LocalIdentity()->public_key());

  absl::StatusOr<PeerBundle> bundle = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->account_id, tp->id());
  EXPECT_EQ(bundle->bundle.signed_pre_key_id, tp_state.signed_pre_key_id);
  ASSERT_TRUE(bundle->bundle.one_time_pre_key.has_value());
  ASSERT_NO_FATAL_FAILURE(
      SendFromBundle(*emp, *tp, bundle->bundle, "Ik wil iets melden."));

  EXPECT_EQ(ReceiveAll(*tp, *emp),
            std::vector<std::string>{"Ik wil iets melden."});
  EXPECT_EQ(tp->store->pre_key_count(), 99u);  // the used one is gone
  absl::StatusOr<std::vector<Envelope>> after = DrainMailbox(*tp->transport);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->empty());

  // The reply travels over the established session.
  absl::StatusOr<crypto::Ciphertext> reply =
      tp->sessions->Encrypt(emp->address(), "Dank je, vertel.");
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_TRUE(tp->transport->Send(emp->id(), ToWire(*reply)).ok());
  EXPECT_EQ(ReceiveAll(*emp, *tp),
            std::vector<std::string>{"Dank je, vertel."});

  EXPECT_EQ(tp->account->RegisterEmployee(org_.access_code(), t0_).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(AccountTest, FollowsLiveAndCancelsFromAnotherThread) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp->transport->OpenReceive();
  ASSERT_TRUE(stream.ok()) << stream.status();
  absl::StatusOr<ReceiveEvent> first = (*stream)->Read();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->queue_empty);

  ASSERT_TRUE(emp->transport->Send(tp->id(), "live").ok());
  absl::StatusOr<ReceiveEvent> live = (*stream)->Read();
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_FALSE(live->queue_empty);
  EXPECT_EQ(live->envelope.content, "live");
  EXPECT_GT(live->envelope.stored_hour, 0u);

  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    (*stream)->Cancel();
  });
  absl::StatusOr<ReceiveEvent> cancelled = (*stream)->Read();
  canceller.join();
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);

  // Not acked: a new drain delivers it again.
  absl::StatusOr<std::vector<Envelope>> again = DrainMailbox(*tp->transport);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].seq, live->envelope.seq);
}

TEST_F(AccountTest, RefillsOneTimePreKeysWithFreshIds) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  absl::StatusOr<MaintenanceReport> idle = tp->account->Maintain(t0_);
  ASSERT_TRUE(idle.ok()) << idle.status();
  EXPECT_EQ(idle->one_time_pre_keys_uploaded, 0u);
  EXPECT_FALSE(idle->signed_pre_key_rotated);
  EXPECT_EQ(idle->one_time_pre_key_count, 100u);

  std::set<uint32_t> handed_out;
  auto fetch = [&](int n) {
    for (int i = 0; i < n; ++i) {
      absl::StatusOr<PeerBundle> b = emp->transport->GetPreKeyBundle(tp->id());
      ASSERT_TRUE(b.ok()) << b.status();
      ASSERT_TRUE(b->bundle.one_time_pre_key.has_value());
      EXPECT_TRUE(handed_out.insert(b->bundle.one_time_pre_key->id).second)
          << "id handed out twice: " << b->bundle.one_time_pre_key->id;
    }
  };
  ASSERT_NO_FATAL_FAILURE(fetch(81));
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 19u);

  absl::StatusOr<MaintenanceReport> refill = tp->account->Maintain(t0_);
  ASSERT_TRUE(refill.ok()) << refill.status();
  EXPECT_EQ(refill->one_time_pre_keys_uploaded, 81u);
  EXPECT_EQ(refill->one_time_pre_key_count, 100u);
  EXPECT_EQ(tp->transport->GetPreKeyCount().value_or(0), 100u);

  // Every remaining key, old and new, is distinct from those handed out.
  ASSERT_NO_FATAL_FAILURE(fetch(100));
  EXPECT_EQ(handed_out.size(), 181u);
  for (uint32_t id : handed_out) {
    EXPECT_TRUE(tp->store->ContainsPreKey(id).value_or(false)) << id;
  }
  absl::StatusOr<PeerBundle> empty = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_FALSE(empty->bundle.one_time_pre_key.has_value());

  // A session from one of the new keys works.
  absl::StatusOr<MaintenanceReport> again = tp->account->Maintain(t0_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->one_time_pre_keys_uploaded, 100u);
  absl::StatusOr<PeerBundle> fresh = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  ASSERT_TRUE(fresh->bundle.one_time_pre_key.has_value());
  EXPECT_EQ(handed_out.count(fresh->bundle.one_time_pre_key->id), 0u);
  ASSERT_NO_FATAL_FAILURE(SendFromBundle(*emp, *tp, fresh->bundle, "nieuw"));
  EXPECT_EQ(ReceiveAll(*tp, *emp), std::vector<std::string>{"nieuw"});
}

TEST_F(AccountTest, HandedOutOneTimePreKeysExpireAfter90DaysUnused) {
  org_ = AdminJson<v1::CreateOrganisationResponse>(
      {"org", "create", "Gemeente Voorbeeld"});
  auto invite = AdminJson<v1::CreateInviteResponse>(
      {"invite", "create", "--org", org_.organisation().id()});
  AccountOptions options;
  // The signed pre-key stays, so only the one-time pre-keys matter here.
  options.signed_pre_key_rotation = absl::Hours(24 * 10000);
  std::unique_ptr<ProfileParty> tp = NewProfileParty(options);
  ASSERT_NE(tp, nullptr);
  ASSERT_TRUE(
      tp->account->RegisterTrustPerson(invite.invite_code(), Profile(), t0_)
          .ok());
  std::unique_ptr<Party> emp = NewParty();
  ASSERT_TRUE(emp->account->RegisterEmployee(org_.access_code(), t0_).ok());
  const absl::Duration day = absl::Hours(24);

  // The relay hands out ids 1 and 2 (lowest first); 3..100 stay on it.
  absl::StatusOr<PeerBundle> first = emp->transport->GetPreKeyBundle(tp->id());
  absl::StatusOr<PeerBundle> second = emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->bundle.one_time_pre_key->id, 1u);
  ASSERT_EQ(second->bundle.one_time_pre_key->id, 2u);
  absl::StatusOr<MaintenanceReport> seen = tp->account->Maintain(t0_);
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->one_time_pre_key_count, 98u);
  EXPECT_EQ(seen->handed_out_pre_keys_expired, 0);
  absl::StatusOr<std::map<uint32_t, absl::Time>> handouts =
      tp->store->Handouts();
  ASSERT_TRUE(handouts.ok()) << handouts.status();
  // Stored to the microsecond.
  const absl::Time t0_stored = absl::FromUnixMicros(absl::ToUnixMicros(t0_));
  EXPECT_EQ(*handouts,
            (std::map<uint32_t, absl::Time>{{1, t0_stored}, {2, t0_stored}}));

  // 89 days later both are kept, and a late first message still decrypts.
  absl::StatusOr<MaintenanceReport> day89 =
      tp->account->Maintain(t0_ + 89 * day);
  ASSERT_TRUE(day89.ok()) << day89.status();
  EXPECT_EQ(day89->handed_out_pre_keys_expired, 0);
  EXPECT_TRUE(tp->store->ContainsPreKey(1).value_or(false));
  EXPECT_TRUE(tp->store->ContainsPreKey(2).value_or(false));
  ASSERT_NO_FATAL_FAILURE(
      SendFromBundle(*emp, *tp, first->bundle, "na 89 dagen"));
  EXPECT_EQ(ReceiveAll(*tp, *emp), std::vector<std::string>{"na 89 dagen"});
  EXPECT_FALSE(tp->store->ContainsPreKey(1).value_or(true));  // used
  EXPECT_EQ(tp->store->Handouts()->count(1), 0u);

  // 91 days after its handout the unused one is gone; those on the relay stay.
  absl::StatusOr<MaintenanceReport> day91 =
      tp->account->Maintain(t0_ + 91 * day);
  ASSERT_TRUE(day91.ok()) << day91.status();
  EXPECT_EQ(day91->handed_out_pre_keys_expired, 1);
  EXPECT_FALSE(tp->store->ContainsPreKey(2).value_or(true));
  EXPECT_TRUE(tp->store->Handouts()->empty());
  EXPECT_EQ(tp->store->OneTimePreKeyIds()->size(), 98u);

  // A first message made from it now fails to decrypt (docs/profile.md).
  std::unique_ptr<Party> late = NewParty();
  ASSERT_TRUE(late->account->RegisterEmployee(org_.access_code(), t0_).ok());
  ASSERT_NO_FATAL_FAILURE(
      SendFromBundle(*late, *tp, second->bundle, "te laat"));
  absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*tp->transport);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_FALSE(
      tp->sessions->Decrypt(late->address(), FromWire((*got)[0].content)).ok());

  // Keys never handed out are never dropped, however long they wait.
  absl::StatusOr<MaintenanceReport> years =
      tp->account->Maintain(t0_ + 2000 * day);
  ASSERT_TRUE(years.ok()) << years.status();
  EXPECT_EQ(years->handed_out_pre_keys_expired, 0);
  for (uint32_t id = 3; id <= 100; ++id) {
    EXPECT_TRUE(tp->store->ContainsPreKey(id).value_or(false)) << id;
  }
}

TEST_F(AccountTest, RotatesSignedPreKeyAndKeepsTheOldOneForAGracePeriod) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  const uint32_t old_id = tp->account->state().signed_pre_key_id;
  absl::StatusOr<PeerBundle> old_bundle =
      emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(old_bundle.ok()) << old_bundle.status();
  EXPECT_EQ(old_bundle->bundle.signed_pre_key_id, old_id);

  const absl::Time week_later = t0_ + absl::Hours(24 * 8);
  absl::StatusOr<MaintenanceReport> rotated = tp->account->Maintain(week_later);
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_TRUE(rotated->signed_pre_key_rotated);
  const AccountState state = tp->account->state();
  EXPECT_NE(state.signed_pre_key_id, old_id);
  ASSERT_EQ(state.retired_signed_pre_keys.size(), 1u);
  EXPECT_EQ(state.retired_signed_pre_keys[0].id, old_id);

  absl::StatusOr<PeerBundle> new_bundle =
      emp->transport->GetPreKeyBundle(tp->id());
  ASSERT_TRUE(new_bundle.ok()) << new_bundle.status();
  EXPECT_EQ(new_bundle->bundle.signed_pre_key_id, state.signed_pre_key_id);

  // A message started from the old bundle still decrypts.
  ASSERT_NO_FATAL_FAILURE(
      SendFromBundle(*emp, *tp, old_bundle->bundle, "uit de oude bundel"));
  EXPECT_EQ(ReceiveAll(*tp, *emp),
            std::vector<std::string>{"uit de oude bundel"});

  absl::StatusOr<MaintenanceReport> quiet =
      tp->account->Maintain(week_later + absl::Hours(1));
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  EXPECT_FALSE(quiet->signed_pre_key_rotated);
  EXPECT_EQ(quiet->retired_signed_pre_keys_deleted, 0);
  EXPECT_TRUE(tp->store->ContainsSignedPreKey(old_id).value_or(false));

  // After the grace period the old key is gone.
  absl::StatusOr<MaintenanceReport> later =
      tp->account->Maintain(week_later + absl::Hours(24 * 31));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->retired_signed_pre_keys_deleted, 1);
  EXPECT_FALSE(tp->store->ContainsSignedPreKey(old_id).value_or(true));
  EXPECT_TRUE(
      tp->store->ContainsSignedPreKey(tp->account->state().signed_pre_key_id)
          .value_or(false));
}

TEST_F(AccountTest, ReportsUnreachableRelayThenWorksOnceItRuns) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  const std::string address = relay_->address();
  ASSERT_EQ(relay_->Stop(), 0) << relay_->Log();

  absl::StatusOr<uint32_t> down = tp->transport->GetPreKeyCount();
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(down.status().message().find("relay not reachable at " + address),
            std::string::npos)
      << down.status();
  absl::StatusOr<std::unique_ptr<ReceiveStream>> stream =
      tp->transport->OpenReceive();
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ((*stream)->Read().status().code(), absl::StatusCode::kUnavailable);
  std::unique_ptr<Party> late = NewParty();
  EXPECT_EQ(late->account->RegisterEmployee(org_.access_code(), t0_).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_FALSE(late->account->registered());

  // The relay comes back (on a new port: RelayProcess binds port 0).
  ASSERT_NO_FATAL_FAILURE(StartRelay());
  std::unique_ptr<RelayTransport> transport = NewTransport();
  const AccountState state = tp->account->state();
  transport->SetCredentials(state.account_id, state.secret.Clone());
  EXPECT_EQ(transport->GetPreKeyCount().value_or(0), 100u);
  std::unique_ptr<Party> retry = NewParty();
  EXPECT_TRUE(retry->account->RegisterEmployee(org_.access_code(), t0_).ok());
}

TEST_F(AccountTest, SurfacesWrongCredentials) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  std::unique_ptr<RelayTransport> anonymous = NewTransport();
  EXPECT_EQ(anonymous->GetPreKeyCount().status().code(),
            absl::StatusCode::kUnauthenticated);
  std::unique_ptr<RelayTransport> wrong = NewTransport();
  wrong->SetCredentials(tp->id(), crypto::SecretBytes(32));
  absl::StatusOr<uint32_t> count = wrong->GetPreKeyCount();
  EXPECT_EQ(count.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(count.status().message().empty());
  absl::StatusOr<std::vector<Envelope>> drained = DrainMailbox(*wrong);
  EXPECT_EQ(drained.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong->Send(emp->id(), "x").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AccountTest, PassesRelayErrorsThrough) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  std::unique_ptr<Party> stranger = NewParty();
  absl::Status denied =
      stranger->account->RegisterEmployee("NOT-A-REAL-CODE", t0_);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied) << denied;
  EXPECT_FALSE(stranger->account->registered());
  EXPECT_EQ(stranger->account->Maintain(t0_).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<uint64_t> bad = emp->transport->Send("short", "x");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument)
      << bad.status();
}

TEST_F(AccountTest, ReachesTheRelayThroughAnHttpConnectProxy) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  GrpcTransportOptions options;
  options.address = relay_->address();
  options.insecure = true;
  {
    ConnectProxy proxy;
    options.http_proxy = proxy.url();
    absl::StatusOr<std::unique_ptr<RelayTransport>> proxied =
        CreateGrpcTransport(options);
    ASSERT_TRUE(proxied.ok()) << proxied.status();
    const AccountState state = tp->account->state();
    (*proxied)->SetCredentials(state.account_id, state.secret.Clone());
    absl::StatusOr<uint32_t> count = (*proxied)->GetPreKeyCount();
    ASSERT_TRUE(count.ok()) << count.status();
    EXPECT_EQ(*count, 100u);
    EXPECT_EQ(proxy.targets(), std::vector<std::string>{relay_->address()});
  }
  // With the proxy gone the relay is unreachable, not silently dialled.
  absl::StatusOr<std::unique_ptr<RelayTransport>> orphan =
      CreateGrpcTransport(options);
  ASSERT_TRUE(orphan.ok()) << orphan.status();
  EXPECT_EQ((*orphan)->GetPreKeyCount().status().code(),
            absl::StatusCode::kUnavailable);
}

// An employer's machine often names internal hosts in no_proxy; with a proxy
// given (Tor), the client must still never connect directly.
TEST_F(AccountTest, NoProxyVariablesNeverBypassTheProxy) {
  std::unique_ptr<Party> tp, emp;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganisation(&tp, &emp));
  const AccountState state = tp->account->state();
  for (const char* variable : {"no_proxy", "no_grpc_proxy", "NO_PROXY"}) {
    for (const std::string& value :
         {std::string("127.0.0.1"), std::string("*"), relay_->address(),
          std::string("localhost,127.0.0.0/8,127.0.0.1")}) {
      ASSERT_EQ(setenv(variable, value.c_str(), 1), 0);
      ConnectProxy proxy;
      GrpcTransportOptions options;
      options.address = relay_->address();
      options.insecure = true;
      options.http_proxy = proxy.url();
      absl::StatusOr<std::unique_ptr<RelayTransport>> proxied =
          CreateGrpcTransport(options);
      ASSERT_TRUE(proxied.ok()) << proxied.status();
      (*proxied)->SetCredentials(state.account_id, state.secret.Clone());
      absl::StatusOr<uint32_t> count = (*proxied)->GetPreKeyCount();
      EXPECT_TRUE(count.ok())
          << variable << "=" << value << ": " << count.status();
      EXPECT_EQ(proxy.targets(), std::vector<std::string>{relay_->address()})
          << variable << "=" << value << " let the client connect directly";
      unsetenv(variable);
    }
  }
}

TEST(GrpcTransportOptionsTest, RefusesPlaintextOffLoopbackAndBadInput) {
  GrpcTransportOptions options;
  options.address = "relay.example.org:7443";
  options.insecure = true;
  absl::StatusOr<std::unique_ptr<RelayTransport>> t =
      CreateGrpcTransport(options);
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("refusing plaintext"), std::string::npos)
      << t.status();
  options.address = "10.0.0.1:7443";
  EXPECT_EQ(CreateGrpcTransport(options).status().code(),
            absl::StatusCode::kInvalidArgument);

  for (const char* loopback :
       {"127.0.0.1:7443", "localhost:7443", "[::1]:7443"}) {
    options.address = loopback;
    EXPECT_TRUE(CreateGrpcTransport(options).ok()) << loopback;
  }
  options.insecure = false;
  options.address = "relay.example.org:7443";
  EXPECT_TRUE(CreateGrpcTransport(options).ok());  // TLS, default roots

  for (const char* bad :
       {"relay.example.org", "relay:0", ":7443", "[::1]7443", "relay:70000"}) {
    options.address = bad;
    EXPECT_EQ(CreateGrpcTransport(options).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  options.address = "relay.example.org:7443";
  options.tls_ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(CreateGrpcTransport(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.tls_ca_file.clear();
  options.http_proxy = "socks5://127.0.0.1:9050";
  EXPECT_EQ(CreateGrpcTransport(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.http_proxy = "http://127.0.0.1:8118";
  EXPECT_TRUE(CreateGrpcTransport(options).ok());
}

}  // namespace
}  // namespace confidant::client
