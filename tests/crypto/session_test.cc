// Signal sessions end to end through SessionManager and the in-memory stores:
// X3DH with and without one-time pre-keys, the ratchet under reordering, loss,
// replay, tampering, restarts, identity changes and concurrent senders; plus
// the key helpers and the relay's independent XEdDSA check.
#include "crypto/session.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "crypto/errors.h"
#include "crypto/keys.h"
#include "crypto/memory_stores.h"
#include "gtest/gtest.h"
#include "server/signature.h"
#include "tests/testing/test_util.h"

namespace confidant::crypto {
namespace {

constexpr int kOneTimePreKeys = 10;
constexpr absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

// One account with its stores, keys and manager.
struct Party {
  Address address;
  std::unique_ptr<MemoryStore> store;
  std::unique_ptr<SessionManager> manager;
  std::string identity_key;
  uint32_t registration_id = 0;
  SignedPreKeyPair signed_pre_key;
  std::vector<OneTimePreKeyPair> one_time;

  // A bundle offering one-time pre-key `index`, or none.
  PreKeyBundle Bundle(std::optional<size_t> index = 0) const {
    PreKeyBundle bundle;
    bundle.registration_id = registration_id;
    bundle.device_id = address.device_id;
    bundle.identity_key = identity_key;
    bundle.signed_pre_key_id = signed_pre_key.id;
    bundle.signed_pre_key_public = signed_pre_key.public_key;
    bundle.signed_pre_key_signature = signed_pre_key.signature;
    if (index.has_value()) {
      bundle.one_time_pre_key = PreKeyBundle::OneTimePreKey{
          one_time[*index].id, one_time[*index].public_key};
    }
    return bundle;
  }

  // Replaces the manager by one over the same stores or restored ones.
  void Restart(std::unique_ptr<MemoryStore> restored) {
    manager.reset();
    store = std::move(restored);
    auto created = SessionManager::Create(*store, *store, *store, *store);
    ASSERT_TRUE(created.ok()) << created.status();
    manager = *std::move(created);
  }
};

std::unique_ptr<Party> MakeParty(std::string name) {
  auto party = std::make_unique<Party>();
  party->address = Address{std::move(name), 1};
  absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
  EXPECT_TRUE(identity.ok()) << identity.status();
  absl::StatusOr<uint32_t> registration_id = GenerateRegistrationId();
  EXPECT_TRUE(registration_id.ok());
  party->identity_key = identity->public_key();
  party->registration_id = *registration_id;
  absl::StatusOr<SignedPreKeyPair> signed_pre_key =
      GenerateSignedPreKey(*identity, 7, kNow);
  EXPECT_TRUE(signed_pre_key.ok()) << signed_pre_key.status();
  party->signed_pre_key = *std::move(signed_pre_key);
  absl::StatusOr<std::vector<OneTimePreKeyPair>> one_time =
      GenerateOneTimePreKeys(100, kOneTimePreKeys);
  EXPECT_TRUE(one_time.ok());
  party->one_time = *std::move(one_time);

  party->store =
      std::make_unique<MemoryStore>(*std::move(identity), *registration_id);
  EXPECT_TRUE(AddSignedPreKey(*party->store, party->signed_pre_key).ok());
  for (const OneTimePreKeyPair& key : party->one_time) {
    EXPECT_TRUE(AddPreKey(*party->store, key).ok());
  }
  auto manager = SessionManager::Create(*party->store, *party->store,
                                        *party->store, *party->store);
  EXPECT_TRUE(manager.ok()) << manager.status();
  party->manager = *std::move(manager);
  return party;
}

constexpr char kAliceId[] = "a11ce000000000000000000000000001";
constexpr char kBobId[] = "b0b00000000000000000000000000002";
constexpr char kCarolId[] = "ca401000000000000000000000000003";

CryptoError ErrorOf(const absl::Status& status) {
  return GetCryptoError(status);
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_ = MakeParty(kAliceId);
    bob_ = MakeParty(kBobId);
  }

  // Alice starts with Bob's bundle; Bob receives her first message.
  void Establish(std::optional<size_t> one_time_index = 0) {
    ASSERT_TRUE(alice_->manager
                    ->StartSession(bob_->address, bob_->Bundle(one_time_index))
                    .ok());
    Send(*alice_, *bob_, "hello Bob");
  }

  // Encrypts at `from`, decrypts at `to`, expects the plaintext back.
  void Send(Party& from, Party& to, const std::string& text) {
    absl::StatusOr<Ciphertext> ct = from.manager->Encrypt(to.address, text);
    ASSERT_TRUE(ct.ok()) << ct.status();
    absl::StatusOr<std::string> pt = to.manager->Decrypt(from.address, *ct);
    ASSERT_TRUE(pt.ok()) << pt.status();
    EXPECT_EQ(*pt, text);
  }

  std::unique_ptr<Party> alice_;
  std::unique_ptr<Party> bob_;
};

TEST_F(SessionTest, BothDirections) {
  ASSERT_TRUE(
      alice_->manager->StartSession(bob_->address, bob_->Bundle()).ok());
  EXPECT_TRUE(alice_->manager->HasSession(bob_->address));
  EXPECT_FALSE(bob_->manager->HasSession(alice_->address));

  absl::StatusOr<Ciphertext> first =
      alice_->manager->Encrypt(bob_->address, "hello Bob");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->type, MessageType::kPreKey);
  absl::StatusOr<std::string> got =
      bob_->manager->Decrypt(alice_->address, *first);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, "hello Bob");
  EXPECT_TRUE(bob_->manager->HasSession(alice_->address));

  absl::StatusOr<Ciphertext> reply =
      bob_->manager->Encrypt(alice_->address, "hello Alice");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->type, MessageType::kSignal);
  got = alice_->manager->Decrypt(bob_->address, *reply);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, "hello Alice");

  absl::StatusOr<Ciphertext> next =
      alice_->manager->Encrypt(bob_->address, "after the reply");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->type, MessageType::kSignal);
  got = bob_->manager->Decrypt(alice_->address, *next);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "after the reply");

  EXPECT_EQ(*alice_->manager->PeerIdentityKey(bob_->address),
            bob_->identity_key);
  EXPECT_EQ(*bob_->manager->PeerIdentityKey(alice_->address),
            alice_->identity_key);
  // Empty and binary plaintexts round-trip too.
  Send(*alice_, *bob_, "");
  Send(*bob_, *alice_, std::string("\0\x01\xff", 3));
}

TEST_F(SessionTest, PreKeyMessagesUntilTheFirstReply) {
  ASSERT_TRUE(
      alice_->manager->StartSession(bob_->address, bob_->Bundle()).ok());
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<Ciphertext> ct =
        alice_->manager->Encrypt(bob_->address, absl::StrCat("m", i));
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(ct->type, MessageType::kPreKey);
    absl::StatusOr<std::string> pt =
        bob_->manager->Decrypt(alice_->address, *ct);
    ASSERT_TRUE(pt.ok()) << i << ": " << pt.status();
  }
}

TEST_F(SessionTest, FiveHundredEachWayAlternatingAndInBursts) {
  Establish();
  for (int i = 0; i < 250; ++i) {
    Send(*alice_, *bob_, absl::StrCat("a", i));
    Send(*bob_, *alice_, absl::StrCat("b", i));
  }
  for (int burst = 0; burst < 5; ++burst) {
    for (int i = 0; i < 50; ++i) Send(*alice_, *bob_, absl::StrCat("A", i));
    for (int i = 0; i < 50; ++i) Send(*bob_, *alice_, absl::StrCat("B", i));
  }
  // A burst encrypted in full before any of it is decrypted.
  std::vector<Ciphertext> queued;
  queued.reserve(100);
  for (int i = 0; i < 100; ++i) {
    queued.push_back(*alice_->manager->Encrypt(bob_->address, absl::StrCat(i)));
  }
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<std::string> pt =
        bob_->manager->Decrypt(alice_->address, queued[i]);
    ASSERT_TRUE(pt.ok()) << pt.status();
    EXPECT_EQ(*pt, absl::StrCat(i));
  }
}

TEST_F(SessionTest, OutOfOrderAndLostMessages) {
  Establish();
  Send(*bob_, *alice_, "reply");  // Alice's messages are now kSignal

  std::vector<Ciphertext> chain1;
  chain1.reserve(40);
  for (int i = 0; i < 40; ++i) {
    chain1.push_back(*alice_->manager->Encrypt(bob_->address, absl::StrCat(i)));
  }
  // Deliver in a shuffled order, holding back 0..4 and losing 30..39.
  std::vector<int> order;
  for (int i = 5; i < 30; ++i) order.push_back(i);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  for (int i : order) {
    absl::StatusOr<std::string> pt =
        bob_->manager->Decrypt(alice_->address, chain1[i]);
    ASSERT_TRUE(pt.ok()) << i << ": " << pt.status();
    EXPECT_EQ(*pt, absl::StrCat(i));
  }
  // The conversation moves on (a new ratchet step each way) ...
  Send(*bob_, *alice_, "next turn");
  Send(*alice_, *bob_, "new chain");
  // ... and the held-back messages of the old chain still decrypt.
  for (int i = 4; i >= 0; --i) {
    absl::StatusOr<std::string> pt =
        bob_->manager->Decrypt(alice_->address, chain1[i]);
    ASSERT_TRUE(pt.ok()) << i << ": " << pt.status();
    EXPECT_EQ(*pt, absl::StrCat(i));
  }
  // A late message that was considered lost is still accepted once.
  absl::StatusOr<std::string> late =
      bob_->manager->Decrypt(alice_->address, chain1[35]);
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(*late, "35");
}

TEST_F(SessionTest, SkippingMoreThanTwoThousandMessagesIsRejected) {
  Establish();
  Send(*bob_, *alice_, "reply");
  Ciphertext far;
  for (int i = 0; i <= 2001; ++i) {
    far = *alice_->manager->Encrypt(bob_->address, absl::StrCat(i));
  }
  // libsignal refuses to derive over 2000 message keys ahead.
  absl::StatusOr<std::string> pt = bob_->manager->Decrypt(alice_->address, far);
  EXPECT_EQ(ErrorOf(pt.status()), CryptoError::kTampered) << pt.status();
  Send(*bob_, *alice_, "still talking");
}

TEST_F(SessionTest, DuplicatesAreRejected) {
  ASSERT_TRUE(
      alice_->manager->StartSession(bob_->address, bob_->Bundle()).ok());
  Ciphertext first = *alice_->manager->Encrypt(bob_->address, "first");
  ASSERT_TRUE(bob_->manager->Decrypt(alice_->address, first).ok());
  // Replaying the PreKey message.
  absl::StatusOr<std::string> again =
      bob_->manager->Decrypt(alice_->address, first);
  EXPECT_EQ(ErrorOf(again.status()), CryptoError::kDuplicate) << again.status();
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);

  Send(*bob_, *alice_, "reply");
  Ciphertext second = *alice_->manager->Encrypt(bob_->address, "second");
  EXPECT_EQ(second.type, MessageType::kSignal);
  ASSERT_TRUE(bob_->manager->Decrypt(alice_->address, second).ok());
  again = bob_->manager->Decrypt(alice_->address, second);
  EXPECT_EQ(ErrorOf(again.status()), CryptoError::kDuplicate) << again.status();
  Send(*alice_, *bob_, "the session still works");
  Send(*bob_, *alice_, "both ways");
}

TEST_F(SessionTest, TamperedMessageFailsAndSessionSurvives) {
  Establish();
  Send(*bob_, *alice_, "reply");
  Ciphertext good = *alice_->manager->Encrypt(bob_->address, "good");
  ASSERT_EQ(good.type, MessageType::kSignal);

  // Body byte, MAC byte (the last 8 bytes), and a truncation.
  for (size_t pos : {good.bytes.size() / 2, good.bytes.size() - 1}) {
    Ciphertext bad = good;
    bad.bytes[pos] ^= 0x01;
    absl::StatusOr<std::string> pt =
        bob_->manager->Decrypt(alice_->address, bad);
    EXPECT_EQ(ErrorOf(pt.status()), CryptoError::kTampered)
        << pos << ": " << pt.status();
  }
  Ciphertext cut = good;
  cut.bytes.resize(cut.bytes.size() - 3);
  EXPECT_FALSE(bob_->manager->Decrypt(alice_->address, cut).ok());
  // Bytes that are no Signal message at all.
  Ciphertext garbage{MessageType::kSignal, "not a signal message"};
  EXPECT_EQ(ErrorOf(bob_->manager->Decrypt(alice_->address, garbage).status()),
            CryptoError::kInvalidMessage);
  Ciphertext empty{MessageType::kPreKey, ""};
  EXPECT_EQ(ErrorOf(bob_->manager->Decrypt(alice_->address, empty).status()),
            CryptoError::kInvalidMessage);

  // The untouched message and the next ones still decrypt.
  absl::StatusOr<std::string> pt =
      bob_->manager->Decrypt(alice_->address, good);
  ASSERT_TRUE(pt.ok()) << pt.status();
  EXPECT_EQ(*pt, "good");
  Send(*alice_, *bob_, "next");
  Send(*bob_, *alice_, "and back");
}

TEST_F(SessionTest, TamperedFirstMessagePinsNoIdentity) {
  ASSERT_TRUE(
      alice_->manager->StartSession(bob_->address, bob_->Bundle()).ok());
  Ciphertext first = *alice_->manager->Encrypt(bob_->address, "hello");
  // A forged sender identity: libsignal records it before the MAC check.
  Ciphertext bad = first;
  const size_t at = bad.bytes.find(alice_->identity_key);
  ASSERT_NE(at, std::string::npos);
  bad.bytes[at + 10] ^= 0x01;
  absl::StatusOr<std::string> pt = bob_->manager->Decrypt(alice_->address, bad);
  EXPECT_EQ(ErrorOf(pt.status()), CryptoError::kTampered) << pt.status();
  EXPECT_EQ(ErrorOf(bob_->manager->PeerIdentityKey(alice_->address).status()),
            CryptoError::kNoSession);
  EXPECT_FALSE(bob_->manager->HasSession(alice_->address));
  EXPECT_EQ(bob_->store->pre_key_count(), static_cast<size_t>(kOneTimePreKeys));

  pt = bob_->manager->Decrypt(alice_->address, first);
  ASSERT_TRUE(pt.ok()) << pt.status();
  EXPECT_EQ(*pt, "hello");
}

TEST_F(SessionTest, BundleWithoutOneTimePreKey) {
  Establish(std::nullopt);
  EXPECT_EQ(bob_->store->pre_key_count(), static_cast<size_t>(kOneTimePreKeys));
  Send(*bob_, *alice_, "reply");
  Send(*alice_, *bob_, "more");
}

TEST_F(SessionTest, OneTimePreKeyIsConsumed) {
  Establish(3);
  EXPECT_EQ(bob_->store->pre_key_count(),
            static_cast<size_t>(kOneTimePreKeys - 1));
  EXPECT_FALSE(*bob_->store->ContainsPreKey(bob_->one_time[3].id));

  // Carol got the same (stale) bundle: Bob no longer has that pre-key and
  // libsignal reports SG_ERR_INVALID_KEY_ID.
  auto carol = MakeParty(kCarolId);
  ASSERT_TRUE(
      carol->manager->StartSession(bob_->address, bob_->Bundle(3)).ok());
  Ciphertext ct = *carol->manager->Encrypt(bob_->address, "hi Bob");
  absl::StatusOr<std::string> pt = bob_->manager->Decrypt(carol->address, ct);
  EXPECT_EQ(ErrorOf(pt.status()), CryptoError::kInvalidKey) << pt.status();
  EXPECT_FALSE(bob_->manager->HasSession(carol->address));
  EXPECT_EQ(ErrorOf(bob_->manager->PeerIdentityKey(carol->address).status()),
            CryptoError::kNoSession);

  // With a fresh bundle Carol gets through.
  ASSERT_TRUE(
      carol->manager->StartSession(bob_->address, bob_->Bundle(4)).ok());
  ct = *carol->manager->Encrypt(bob_->address, "hi again");
  pt = bob_->manager->Decrypt(carol->address, ct);
  ASSERT_TRUE(pt.ok()) << pt.status();
  EXPECT_EQ(*pt, "hi again");
  Send(*alice_, *bob_, "Alice unaffected");
}

TEST_F(SessionTest, SessionSurvivesRestart) {
  Establish();
  Send(*bob_, *alice_, "reply");
  Ciphertext in_flight = *alice_->manager->Encrypt(bob_->address, "in flight");

  for (Party* party : {alice_.get(), bob_.get()}) {
    absl::StatusOr<SecretBytes> state = party->store->Serialize();
    ASSERT_TRUE(state.ok()) << state.status();
    absl::StatusOr<std::unique_ptr<MemoryStore>> restored =
        MemoryStore::Restore(state->view());
    ASSERT_TRUE(restored.ok()) << restored.status();
    party->Restart(*std::move(restored));
  }
  absl::StatusOr<std::string> pt =
      bob_->manager->Decrypt(alice_->address, in_flight);
  ASSERT_TRUE(pt.ok()) << pt.status();
  EXPECT_EQ(*pt, "in flight");
  for (int i = 0; i < 20; ++i) {
    Send(*alice_, *bob_, absl::StrCat("after restart ", i));
    Send(*bob_, *alice_, absl::StrCat("reply ", i));
  }
  EXPECT_EQ(*bob_->manager->PeerIdentityKey(alice_->address),
            alice_->identity_key);
}

TEST(MemoryStoreTest, RestoreRejectsMalformedState) {
  absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
  ASSERT_TRUE(identity.ok());
  MemoryStore store(*std::move(identity), 42);
  ASSERT_TRUE(store.SaveIdentity({kBobId, 1}, "key").ok());
  ASSERT_TRUE(store.StorePreKey(5, SecretBytes::CopyOf("record")).ok());
  absl::StatusOr<SecretBytes> state = store.Serialize();
  ASSERT_TRUE(state.ok());
  for (size_t n = 0; n < state->size(); n += 7) {
    EXPECT_FALSE(MemoryStore::Restore(state->view().substr(0, n)).ok()) << n;
  }
  std::string extra(state->view());
  extra.push_back('x');
  EXPECT_EQ(ErrorOf(MemoryStore::Restore(extra).status()),
            CryptoError::kInvalidMessage);
  std::string version(state->view());
  version[4] = 9;
  EXPECT_EQ(ErrorOf(MemoryStore::Restore(version).status()),
            CryptoError::kBadVersion);
  absl::StatusOr<std::unique_ptr<MemoryStore>> restored =
      MemoryStore::Restore(state->view());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(*(*restored)->LocalRegistrationId(), 42u);
  EXPECT_EQ(**(*restored)->GetIdentity({kBobId, 1}), "key");
  EXPECT_EQ((*restored)->pre_key_count(), 1u);
}

TEST_F(SessionTest, IdentityChangeIsDetectedUntilAccepted) {
  Establish();
  Send(*bob_, *alice_, "reply");

  // Bob re-registers: new identity, new keys, empty stores.
  auto new_bob = MakeParty(kBobId);
  ASSERT_NE(new_bob->identity_key, bob_->identity_key);

  // Alice fetching Bob's new bundle is refused.
  absl::Status start =
      alice_->manager->StartSession(bob_->address, new_bob->Bundle());
  EXPECT_EQ(ErrorOf(start), CryptoError::kUntrustedIdentity) << start;
  EXPECT_EQ(std::string(start.message()), kIdentityChangedMessage);

  // New Bob writes first: Alice refuses to decrypt.
  ASSERT_TRUE(
      new_bob->manager->StartSession(alice_->address, alice_->Bundle(1)).ok());
  Ciphertext hello = *new_bob->manager->Encrypt(alice_->address, "it's me");
  absl::StatusOr<std::string> pt =
      alice_->manager->Decrypt(bob_->address, hello);
  EXPECT_EQ(ErrorOf(pt.status()), CryptoError::kUntrustedIdentity)
      << pt.status();
  EXPECT_EQ(std::string(pt.status().message()), kIdentityChangedMessage);
  EXPECT_EQ(*alice_->manager->PeerIdentityKey(bob_->address),
            bob_->identity_key);
  // Alice's pre-key was not spent on the refused message.
  EXPECT_TRUE(*alice_->store->ContainsPreKey(alice_->one_time[1].id));

  // The trial proves New Bob holds the key, and changes nothing real.
  const size_t pre_keys = alice_->store->pre_key_count();
  const size_t sessions = alice_->store->session_count();
  EXPECT_TRUE(alice_->manager->ProveIdentity(bob_->address, hello).ok());
  EXPECT_TRUE(alice_->manager->ProveIdentity(bob_->address, hello).ok());
  EXPECT_EQ(alice_->store->pre_key_count(), pre_keys);
  EXPECT_EQ(alice_->store->session_count(), sessions);
  EXPECT_EQ(*alice_->manager->PeerIdentityKey(bob_->address),
            bob_->identity_key);
  EXPECT_TRUE(*alice_->store->ContainsPreKey(alice_->one_time[1].id));
  // A message that merely parses proves nothing; a Signal message cannot.
  Ciphertext forged = hello;
  forged.bytes[forged.bytes.size() / 2] ^= 0x01;
  EXPECT_FALSE(alice_->manager->ProveIdentity(bob_->address, forged).ok());
  Ciphertext signal;
  signal.type = MessageType::kSignal;
  signal.bytes = "x";
  EXPECT_EQ(ErrorOf(alice_->manager->ProveIdentity(bob_->address, signal)),
            CryptoError::kInvalidMessage);

  // The user compares the new safety number and accepts it.
  absl::StatusOr<std::string> claimed =
      SessionManager::SenderIdentityKey(hello);
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(*claimed, new_bob->identity_key);
  ASSERT_TRUE(alice_->manager->AcceptIdentity(bob_->address, *claimed).ok());
  EXPECT_FALSE(alice_->manager->HasSession(bob_->address));  // old one gone
  EXPECT_EQ(ErrorOf(alice_->manager->Encrypt(bob_->address, "x").status()),
            CryptoError::kNoSession);

  pt = alice_->manager->Decrypt(bob_->address, hello);
  ASSERT_TRUE(pt.ok()) << pt.status();
  EXPECT_EQ(*pt, "it's me");
  Send(*alice_, *new_bob, "welcome back");
  Send(*new_bob, *alice_, "thanks");
  EXPECT_EQ(*alice_->manager->PeerIdentityKey(bob_->address),
            new_bob->identity_key);
  // And Alice can now start sessions from the new bundle.
  EXPECT_TRUE(
      alice_->manager->StartSession(bob_->address, new_bob->Bundle(2)).ok());
}

TEST_F(SessionTest, BadBundlesAreRejected) {
  PreKeyBundle bundle = bob_->Bundle();
  bundle.signed_pre_key_signature[10] ^= 0x04;
  absl::Status status = alice_->manager->StartSession(bob_->address, bundle);
  EXPECT_EQ(ErrorOf(status), CryptoError::kInvalidKey) << status;
  EXPECT_FALSE(alice_->manager->HasSession(bob_->address));
  // A rejected bundle pins no identity.
  EXPECT_EQ(ErrorOf(alice_->manager->PeerIdentityKey(bob_->address).status()),
            CryptoError::kNoSession);

  bundle = bob_->Bundle();
  bundle.signed_pre_key_signature.pop_back();
  EXPECT_EQ(ErrorOf(alice_->manager->StartSession(bob_->address, bundle)),
            CryptoError::kInvalidKey);
  bundle = bob_->Bundle();
  bundle.identity_key[0] = 0x06;
  EXPECT_EQ(ErrorOf(alice_->manager->StartSession(bob_->address, bundle)),
            CryptoError::kInvalidKey);
  bundle = bob_->Bundle();
  bundle.one_time_pre_key->public_key.resize(20);
  EXPECT_EQ(ErrorOf(alice_->manager->StartSession(bob_->address, bundle)),
            CryptoError::kInvalidKey);
  EXPECT_TRUE(
      alice_->manager->StartSession(bob_->address, bob_->Bundle()).ok());
}

TEST_F(SessionTest, NoSession) {
  absl::StatusOr<Ciphertext> ct = alice_->manager->Encrypt(bob_->address, "x");
  EXPECT_EQ(ErrorOf(ct.status()), CryptoError::kNoSession);
  EXPECT_EQ(ct.status().code(), absl::StatusCode::kFailedPrecondition);

  // A kSignal message from a peer we have no session with.
  Establish();
  Send(*bob_, *alice_, "reply");
  Ciphertext signal = *alice_->manager->Encrypt(bob_->address, "x");
  ASSERT_EQ(signal.type, MessageType::kSignal);
  auto carol = MakeParty(kCarolId);
  absl::StatusOr<std::string> pt =
      carol->manager->Decrypt(alice_->address, signal);
  EXPECT_EQ(ErrorOf(pt.status()), CryptoError::kNoSession);
  EXPECT_EQ(ErrorOf(alice_->manager->Encrypt({"", 1}, "x").status()),
            CryptoError::kInvalidMessage);
}

TEST_F(SessionTest, ConcurrentSendersNeverReuseMessageKeys) {
  Establish();
  Send(*bob_, *alice_, "reply");
  constexpr int kThreads = 2;
  constexpr int kPerThread = 500;
  std::mutex mu;
  std::vector<std::pair<std::string, Ciphertext>> sent;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string text = absl::StrCat(t, ":", i);
        absl::StatusOr<Ciphertext> ct =
            alice_->manager->Encrypt(bob_->address, text);
        ASSERT_TRUE(ct.ok()) << ct.status();
        std::lock_guard<std::mutex> lock(mu);
        sent.emplace_back(std::move(text), *std::move(ct));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(sent.size(), static_cast<size_t>(kThreads * kPerThread));
  // Delivered from two receiving threads in one shared order.
  std::shuffle(sent.begin(), sent.end(), std::mt19937(7));
  std::atomic<int> failures{0};
  std::atomic<size_t> next{0};
  threads.clear();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < sent.size(); i = next++) {
        absl::StatusOr<std::string> pt =
            bob_->manager->Decrypt(alice_->address, sent[i].second);
        if (!pt.ok() || *pt != sent[i].first) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  Send(*bob_, *alice_, "all received");
}

TEST(KeysTest, RelayVerifiesLibsignalSignedPreKeys) {
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
    ASSERT_TRUE(identity.ok());
    absl::StatusOr<SignedPreKeyPair> spk =
        GenerateSignedPreKey(*identity, i + 1, kNow);
    ASSERT_TRUE(spk.ok());
    ASSERT_EQ(spk->public_key.size(), kPublicKeySize);
    ASSERT_EQ(spk->signature.size(), kSignatureSize);
    EXPECT_TRUE(server::VerifyXeddsaSignature(identity->public_key(),
                                              spk->public_key, spk->signature))
        << i;
    EXPECT_TRUE(VerifySignature(identity->public_key(), spk->public_key,
                                spk->signature));
    std::string flipped = spk->signature;
    flipped[i % flipped.size()] ^= static_cast<char>(1 << (i % 8));
    EXPECT_FALSE(server::VerifyXeddsaSignature(identity->public_key(),
                                               spk->public_key, flipped))
        << i;
    EXPECT_FALSE(
        VerifySignature(identity->public_key(), spk->public_key, flipped));
  }
}

TEST(KeysTest, LibsignalVerifiesTheTestUtilSigner) {
  // The other direction: XEdDSA signatures made with OpenSSL alone.
  ::confidant::testing::XeddsaTestKey key;
  const std::string message = ::confidant::testing::RandomPublicKey();
  const std::string signature = key.Sign(message);
  EXPECT_TRUE(VerifySignature(key.public_key(), message, signature));
  std::string flipped = signature;
  flipped[3] ^= 0x10;
  EXPECT_FALSE(VerifySignature(key.public_key(), message, flipped));
  EXPECT_FALSE(VerifySignature(key.public_key().substr(1), message, signature));
}

TEST(KeysTest, IdentityKeyPairRoundTrip) {
  absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->public_key().size(), kPublicKeySize);
  EXPECT_EQ(static_cast<unsigned char>(identity->public_key()[0]), 0x05);
  EXPECT_EQ(identity->private_key().size(), kPrivateKeySize);
  absl::StatusOr<SecretBytes> blob = identity->Serialize();
  ASSERT_TRUE(blob.ok());
  absl::StatusOr<IdentityKeyPair> back =
      IdentityKeyPair::Deserialize(blob->view());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->public_key(), identity->public_key());
  EXPECT_TRUE(back->private_key().Equals(identity->private_key()));

  absl::StatusOr<std::string> signature = identity->Sign("message");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(VerifySignature(identity->public_key(), "message", *signature));

  EXPECT_EQ(ErrorOf(IdentityKeyPair::Deserialize("junk").status()),
            CryptoError::kInvalidKey);
  // A public key that does not belong to the private key.
  absl::StatusOr<IdentityKeyPair> other = IdentityKeyPair::Generate();
  std::string mixed(blob->view());
  const size_t at = mixed.find(identity->public_key());
  ASSERT_NE(at, std::string::npos);
  mixed.replace(at, kPublicKeySize, other->public_key());
  EXPECT_EQ(ErrorOf(IdentityKeyPair::Deserialize(mixed).status()),
            CryptoError::kInvalidKey);
}

TEST(KeysTest, RegistrationIdsInRange) {
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<uint32_t> id = GenerateRegistrationId();
    ASSERT_TRUE(id.ok());
    EXPECT_GE(*id, 1u);
    EXPECT_LE(*id, 16380u);
  }
}

TEST(KeysTest, PreKeyIdsWrapAndNeverHitZero) {
  absl::StatusOr<std::vector<OneTimePreKeyPair>> keys =
      GenerateOneTimePreKeys(kMaxPreKeyId - 1, 4);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 4u);
  EXPECT_EQ((*keys)[0].id, kMaxPreKeyId - 1);
  EXPECT_EQ((*keys)[1].id, kMaxPreKeyId);
  EXPECT_EQ((*keys)[2].id, 1u);
  EXPECT_EQ((*keys)[3].id, 2u);
  EXPECT_NE((*keys)[0].public_key, (*keys)[1].public_key);
  EXPECT_EQ(GenerateOneTimePreKeys(0, 1)->front().id, 1u);
  EXPECT_EQ(NextPreKeyId(0), 1u);
  EXPECT_EQ(NextPreKeyId(41), 42u);
  EXPECT_EQ(NextPreKeyId(kMaxPreKeyId), 1u);
  EXPECT_EQ(NextPreKeyId(0xFFFFFFFF), 1u);

  absl::StatusOr<SecretBytes> record = (*keys)[2].ToRecord();
  ASSERT_TRUE(record.ok());
  absl::StatusOr<OneTimePreKeyPair> back =
      OneTimePreKeyPair::FromRecord(record->view());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, 1u);
  EXPECT_EQ(back->public_key, (*keys)[2].public_key);
  EXPECT_TRUE(back->private_key.Equals((*keys)[2].private_key));
}

TEST(KeysTest, SignedPreKeyRecordAndRotation) {
  absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
  ASSERT_TRUE(identity.ok());
  absl::StatusOr<SignedPreKeyPair> spk =
      GenerateSignedPreKey(*identity, 9, kNow + absl::Milliseconds(1234));
  ASSERT_TRUE(spk.ok());
  absl::StatusOr<SecretBytes> record = spk->ToRecord();
  ASSERT_TRUE(record.ok());
  absl::StatusOr<SignedPreKeyPair> back =
      SignedPreKeyPair::FromRecord(record->view());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, 9u);
  EXPECT_EQ(back->public_key, spk->public_key);
  EXPECT_TRUE(back->private_key.Equals(spk->private_key));
  EXPECT_EQ(back->signature, spk->signature);
  EXPECT_EQ(back->created, spk->created);
  EXPECT_EQ(ErrorOf(SignedPreKeyPair::FromRecord("junk").status()),
            CryptoError::kInvalidKey);

  EXPECT_FALSE(NeedsRotation(kNow, kNow + absl::Hours(24 * 7 - 1)));
  EXPECT_TRUE(NeedsRotation(kNow, kNow + absl::Hours(24 * 7)));
  EXPECT_TRUE(NeedsRotation(kNow, kNow + absl::Hours(3), absl::Hours(2)));
  EXPECT_TRUE(NeedsRotation(kNow + absl::Hours(24 * 8), kNow));  // clock jump
}

}  // namespace
}  // namespace confidant::crypto
