// The whole message path: pad, Signal session, seal, and back.
#include "crypto/message_crypto.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "crypto/errors.h"
#include "crypto/keys.h"
#include "crypto/memory_stores.h"
#include "crypto/padding.h"
#include "crypto/sealed.h"
#include "crypto/session.h"
#include "gtest/gtest.h"

namespace confidant::crypto {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

// One account: identity, stores with pre-keys, session manager, message path.
struct Account {
  std::string id;  // 16 bytes
  std::unique_ptr<MemoryStore> store;
  std::unique_ptr<SessionManager> sessions;
  std::unique_ptr<MessageCrypto> crypto;
  PreKeyBundle bundle;  // with one one-time pre-key
};

std::unique_ptr<Account> MakeAccount(char tag) {
  auto a = std::make_unique<Account>();
  a->id = std::string(16, tag);
  absl::StatusOr<IdentityKeyPair> identity = IdentityKeyPair::Generate();
  EXPECT_TRUE(identity.ok());
  absl::StatusOr<uint32_t> registration_id = GenerateRegistrationId();
  absl::StatusOr<SignedPreKeyPair> signed_pre_key =
      GenerateSignedPreKey(*identity, 1, kNow);
  absl::StatusOr<std::vector<OneTimePreKeyPair>> one_time =
      GenerateOneTimePreKeys(1, 1);
  EXPECT_TRUE(registration_id.ok() && signed_pre_key.ok() && one_time.ok());
  a->bundle.registration_id = *registration_id;
  a->bundle.identity_key = identity->public_key();
  a->bundle.signed_pre_key_id = signed_pre_key->id;
  a->bundle.signed_pre_key_public = signed_pre_key->public_key;
  a->bundle.signed_pre_key_signature = signed_pre_key->signature;
  a->bundle.one_time_pre_key =
      PreKeyBundle::OneTimePreKey{(*one_time)[0].id, (*one_time)[0].public_key};
  IdentityKeyPair own = identity->Clone();
  a->store =
      std::make_unique<MemoryStore>(*std::move(identity), *registration_id);
  EXPECT_TRUE(AddSignedPreKey(*a->store, *signed_pre_key).ok());
  EXPECT_TRUE(AddPreKey(*a->store, (*one_time)[0]).ok());
  auto sessions =
      SessionManager::Create(*a->store, *a->store, *a->store, *a->store);
  EXPECT_TRUE(sessions.ok());
  a->sessions = *std::move(sessions);
  a->crypto =
      std::make_unique<MessageCrypto>(*a->sessions, a->id, std::move(own));
  return a;
}

class MessageCryptoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    employee_ = MakeAccount('e');
    trust_person_ = MakeAccount('t');
    ASSERT_TRUE(employee_->sessions
                    ->StartSession(PeerAddress(trust_person_->id),
                                   trust_person_->bundle)
                    .ok());
  }

  std::unique_ptr<Account> employee_, trust_person_;
};

TEST_F(MessageCryptoTest, ConversationBothWays) {
  for (int i = 0; i < 40; ++i) {
    // Half the time with ephemeral keys made ahead, as an idle client does.
    if (i % 2 == 0) {
      ASSERT_TRUE(employee_->crypto->PrepareForSending().ok());
      ASSERT_TRUE(trust_person_->crypto->PrepareForSending().ok());
    }
    const std::string question = "vraag " + std::to_string(i);
    absl::StatusOr<std::string> envelope =
        employee_->crypto->Encrypt(trust_person_->id, question);
    ASSERT_TRUE(envelope.ok()) << envelope.status();
    absl::StatusOr<OpenedMessage> opened =
        trust_person_->crypto->Decrypt(*envelope);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(opened->plaintext, question);
    EXPECT_EQ(opened->sender_account_id, employee_->id);
    if (i % 3 == 0) {
      const std::string answer = "antwoord " + std::to_string(i);
      envelope = trust_person_->crypto->Encrypt(employee_->id, answer);
      ASSERT_TRUE(envelope.ok()) << envelope.status();
      opened = employee_->crypto->Decrypt(*envelope);
      ASSERT_TRUE(opened.ok()) << opened.status();
      EXPECT_EQ(opened->plaintext, answer);
      EXPECT_EQ(opened->sender_account_id, trust_person_->id);
    }
  }
}

TEST_F(MessageCryptoTest, RelaySeesOnlyBucketSizesAndNoPlaintextOrSender) {
  std::set<size_t> sizes;
  for (size_t n : {0, 1, 100, 700, 800, 3000, 10000, 60000, 200000}) {
    const std::string text(n, 'x');
    absl::StatusOr<std::string> envelope =
        employee_->crypto->Encrypt(trust_person_->id, text);
    ASSERT_TRUE(envelope.ok()) << n << ": " << envelope.status();
    EXPECT_EQ(EnvelopeBucket(envelope->size()), envelope->size()) << n;
    sizes.insert(envelope->size());
    EXPECT_EQ(envelope->find(employee_->id), std::string::npos);
    EXPECT_EQ(envelope->find(employee_->crypto->own_identity().public_key()),
              std::string::npos);
    absl::StatusOr<OpenedMessage> opened =
        trust_person_->crypto->Decrypt(*envelope);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(opened->plaintext.size(), n);
  }
  EXPECT_LE(sizes.size(), kEnvelopeBuckets.size());
  EXPECT_TRUE(
      employee_->crypto
          ->Encrypt(trust_person_->id, std::string(kMaxPlaintextSize, 'y'))
          .ok());
  absl::StatusOr<std::string> too_big = employee_->crypto->Encrypt(
      trust_person_->id, std::string(kMaxPlaintextSize + 1, 'y'));
  EXPECT_EQ(GetCryptoError(too_big.status()), CryptoError::kTooLarge)
      << too_big.status();
}

TEST_F(MessageCryptoTest, TamperedAndReplayedEnvelopesFailAndTheSessionGoesOn) {
  absl::StatusOr<std::string> first =
      employee_->crypto->Encrypt(trust_person_->id, "een");
  ASSERT_TRUE(first.ok());
  std::string tampered = *first;
  tampered[tampered.size() / 2] ^= 0x01;
  EXPECT_EQ(GetCryptoError(trust_person_->crypto->Decrypt(tampered).status()),
            CryptoError::kTampered);
  ASSERT_TRUE(trust_person_->crypto->Decrypt(*first).ok());
  EXPECT_EQ(GetCryptoError(trust_person_->crypto->Decrypt(*first).status()),
            CryptoError::kDuplicate);
  absl::StatusOr<std::string> second =
      employee_->crypto->Encrypt(trust_person_->id, "twee");
  ASSERT_TRUE(second.ok());
  absl::StatusOr<OpenedMessage> opened =
      trust_person_->crypto->Decrypt(*second);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->plaintext, "twee");
}

TEST_F(MessageCryptoTest, EnvelopeForSomeoneElseDoesNotOpen) {
  std::unique_ptr<Account> other = MakeAccount('o');
  absl::StatusOr<std::string> envelope =
      employee_->crypto->Encrypt(trust_person_->id, "privé");
  ASSERT_TRUE(envelope.ok());
  absl::StatusOr<OpenedMessage> opened = other->crypto->Decrypt(*envelope);
  EXPECT_FALSE(opened.ok());
  EXPECT_NE(GetCryptoError(opened.status()), CryptoError::kNone);
  EXPECT_TRUE(trust_person_->crypto->Decrypt(*envelope).ok());  // still fine
}

TEST_F(MessageCryptoTest, SealedSenderMustMatchTheSession) {
  // Mallory writes to the trust person, but seals the message as if it came
  // from the employee (the employee's account id and identity key).
  std::unique_ptr<Account> mallory = MakeAccount('m');
  std::unique_ptr<Account> fresh_trust_person = MakeAccount('f');
  ASSERT_TRUE(mallory->sessions
                  ->StartSession(PeerAddress(fresh_trust_person->id),
                                 fresh_trust_person->bundle)
                  .ok());
  absl::StatusOr<Ciphertext> message = mallory->sessions->Encrypt(
      PeerAddress(fresh_trust_person->id), PadPlaintext("ik ben het"));
  ASSERT_TRUE(message.ok());
  SealedContent forged;
  forged.sender_account_id = employee_->id;
  forged.sender_identity_key = employee_->crypto->own_identity().public_key();
  forged.message_type = kPreKeyMessageType;
  forged.message = message->bytes;
  absl::StatusOr<std::string> envelope = Seal(
      forged, fresh_trust_person->bundle.identity_key, fresh_trust_person->id);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(
      GetCryptoError(fresh_trust_person->crypto->Decrypt(*envelope).status()),
      CryptoError::kSenderMismatch);
  EXPECT_FALSE(
      fresh_trust_person->sessions->HasSession(PeerAddress(employee_->id)));
}

TEST_F(MessageCryptoTest, ChangedIdentityOfTheSenderIsSurfaced) {
  ASSERT_TRUE(
      trust_person_->crypto
          ->Decrypt(*employee_->crypto->Encrypt(trust_person_->id, "hallo"))
          .ok());
  // The employee reinstalls: same account id, new identity key.
  // Its one-time pre-key is used up, so the relay hands out the signed
  // pre-key only.
  std::unique_ptr<Account> reinstalled = MakeAccount('e');
  PreKeyBundle bundle = trust_person_->bundle;
  bundle.one_time_pre_key.reset();
  ASSERT_TRUE(reinstalled->sessions
                  ->StartSession(PeerAddress(trust_person_->id), bundle)
                  .ok());
  absl::StatusOr<std::string> envelope =
      reinstalled->crypto->Encrypt(trust_person_->id, "ik ben terug");
  ASSERT_TRUE(envelope.ok());
  absl::StatusOr<OpenedMessage> opened =
      trust_person_->crypto->Decrypt(*envelope);
  EXPECT_EQ(GetCryptoError(opened.status()), CryptoError::kUntrustedIdentity)
      << opened.status();
  ASSERT_TRUE(
      trust_person_->sessions
          ->AcceptIdentity(PeerAddress(employee_->id),
                           reinstalled->crypto->own_identity().public_key())
          .ok());
  opened = trust_person_->crypto->Decrypt(*envelope);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->plaintext, "ik ben terug");
}

TEST_F(MessageCryptoTest, NoSessionNoEnvelope) {
  std::unique_ptr<Account> stranger = MakeAccount('s');
  EXPECT_EQ(
      GetCryptoError(employee_->crypto->Encrypt(stranger->id, "hoi").status()),
      CryptoError::kNoSession);
  EXPECT_FALSE(employee_->crypto->Encrypt("short", "hoi").ok());
}

}  // namespace
}  // namespace confidant::crypto
