// What a Signal session (crypto/session.h) refuses: a peer whose identity key
// changed, until the change is accepted; bundles that are malformed or badly
// signed; and encrypting or decrypting without a session.
#include <memory>
#include <string>

#include "crypto/errors.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/crypto/session_fixture.h"

namespace confidant::crypto::session_testing {
namespace {

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

}  // namespace
}  // namespace confidant::crypto::session_testing
