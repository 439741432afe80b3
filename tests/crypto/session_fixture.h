// What the Signal session tests share (session_test.cc,
// session_refusals_test.cc, keys_test.cc): parties with in-memory stores,
// keys and a SessionManager, a fixed clock, and the fixture of Alice and Bob
// with a helper that sends one message across.
#ifndef CONFIDANT_TESTS_CRYPTO_SESSION_FIXTURE_H_
#define CONFIDANT_TESTS_CRYPTO_SESSION_FIXTURE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "crypto/errors.h"
#include "crypto/keys.h"
#include "crypto/memory_stores.h"
#include "crypto/session.h"
#include "gtest/gtest.h"

namespace confidant::crypto::session_testing {

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

// A party named `name` (device 1) with a signed pre-key and
// kOneTimePreKeys one-time pre-keys in its store.
std::unique_ptr<Party> MakeParty(std::string name);

constexpr char kAliceId[] = "a11ce000000000000000000000000001";
constexpr char kBobId[] = "b0b00000000000000000000000000002";
constexpr char kCarolId[] = "ca401000000000000000000000000003";

inline CryptoError ErrorOf(const absl::Status& status) {
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

}  // namespace confidant::crypto::session_testing

#endif  // CONFIDANT_TESTS_CRYPTO_SESSION_FIXTURE_H_
