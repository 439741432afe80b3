// Signal sessions end to end through SessionManager and the in-memory stores:
// X3DH with and without one-time pre-keys, the ratchet under reordering, loss,
// replay, tampering, restarts and concurrent senders, and the stores' own
// state restored. A changed identity, bad bundles and a missing session are in
// session_refusals_test.cc; the key helpers and the relay's independent XEdDSA
// check in keys_test.cc.
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
#include "crypto/errors.h"
#include "crypto/memory_stores.h"
#include "gtest/gtest.h"
#include "tests/crypto/session_fixture.h"

namespace confidant::crypto::session_testing {
namespace {

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

}  // namespace
}  // namespace confidant::crypto::session_testing
