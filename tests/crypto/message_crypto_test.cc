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
#include "crypto/sender_certificate.h"
#include "crypto/session.h"
#include "gtest/gtest.h"

namespace confidant::crypto {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
// The relay's hour when it stores the envelopes of these tests.
constexpr uint32_t kHour = 1'800'000'000 / 3600;

// The relay every account of these tests uses.
const RelaySigningKey& RelayKey() {
  static const RelaySigningKey* const key =
      new RelaySigningKey(*RelaySigningKey::Generate(1, kHour - 1000));
  return *key;
}

// A certificate as the relay issues it: for the account's own identity key.
std::string CertificateFor(const std::string& id, const std::string& key,
                           const RelaySigningKey& signer = RelayKey()) {
  return signer.Issue(id, key, kHour + kSenderCertificateLifetimeHours)
      ->Serialize();
}

// One account: identity, stores with pre-keys, session manager, message path.
struct Account {
  std::string id;  // 16 bytes
  std::unique_ptr<MemoryStore> store;
  std::unique_ptr<SessionManager> sessions;
  std::unique_ptr<SenderCertificateVerifier> verifier;
  std::unique_ptr<MessageCrypto> crypto;
  std::string certificate;
  PreKeyBundle bundle;  // with one one-time pre-key

  const std::string& identity_key() const { return bundle.identity_key; }
  absl::StatusOr<std::string> Encrypt(const std::string& to,
                                      std::string_view text) {
    return crypto->Encrypt(to, text, certificate);
  }
  absl::StatusOr<OpenedMessage> Decrypt(std::string_view envelope,
                                        uint32_t hour = kHour) {
    return crypto->Decrypt(envelope, hour);
  }
  // The stored identity of `peer`, or "" if none.
  std::string TrustedKeyOf(const std::string& peer) {
    absl::StatusOr<std::string> key =
        sessions->PeerIdentityKey(PeerAddress(peer));
    return key.ok() ? *key : "";
  }
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
  a->certificate = CertificateFor(a->id, own.public_key());
  a->verifier = std::make_unique<SenderCertificateVerifier>(
      *RelayKeyRing::FromChain({RelayKey().Published("")}));
  a->crypto = std::make_unique<MessageCrypto>(*a->sessions, *a->verifier, a->id,
                                              std::move(own));
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
        employee_->Encrypt(trust_person_->id, question);
    ASSERT_TRUE(envelope.ok()) << envelope.status();
    absl::StatusOr<OpenedMessage> opened = trust_person_->Decrypt(*envelope);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(opened->plaintext, question);
    EXPECT_EQ(opened->sender_account_id, employee_->id);
    if (i % 3 == 0) {
      const std::string answer = "antwoord " + std::to_string(i);
      envelope = trust_person_->Encrypt(employee_->id, answer);
      ASSERT_TRUE(envelope.ok()) << envelope.status();
      opened = employee_->Decrypt(*envelope);
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
        employee_->Encrypt(trust_person_->id, text);
    ASSERT_TRUE(envelope.ok()) << n << ": " << envelope.status();
    EXPECT_EQ(EnvelopeBucket(envelope->size()), envelope->size()) << n;
    sizes.insert(envelope->size());
    EXPECT_EQ(envelope->find(employee_->id), std::string::npos);
    EXPECT_EQ(envelope->find(employee_->crypto->own_identity().public_key()),
              std::string::npos);
    absl::StatusOr<OpenedMessage> opened = trust_person_->Decrypt(*envelope);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(opened->plaintext.size(), n);
  }
  EXPECT_LE(sizes.size(), kEnvelopeBuckets.size());
  EXPECT_TRUE(
      employee_->Encrypt(trust_person_->id, std::string(kMaxPlaintextSize, 'y'))
          .ok());
  absl::StatusOr<std::string> too_big = employee_->Encrypt(
      trust_person_->id, std::string(kMaxPlaintextSize + 1, 'y'));
  EXPECT_EQ(GetCryptoError(too_big.status()), CryptoError::kTooLarge)
      << too_big.status();
}

TEST_F(MessageCryptoTest, TamperedAndReplayedEnvelopesFailAndTheSessionGoesOn) {
  absl::StatusOr<std::string> first =
      employee_->Encrypt(trust_person_->id, "een");
  ASSERT_TRUE(first.ok());
  std::string tampered = *first;
  tampered[tampered.size() / 2] ^= 0x01;
  EXPECT_EQ(GetCryptoError(trust_person_->Decrypt(tampered).status()),
            CryptoError::kTampered);
  ASSERT_TRUE(trust_person_->Decrypt(*first).ok());
  EXPECT_EQ(GetCryptoError(trust_person_->Decrypt(*first).status()),
            CryptoError::kDuplicate);
  absl::StatusOr<std::string> second =
      employee_->Encrypt(trust_person_->id, "twee");
  ASSERT_TRUE(second.ok());
  absl::StatusOr<OpenedMessage> opened = trust_person_->Decrypt(*second);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->plaintext, "twee");
}

TEST_F(MessageCryptoTest, EnvelopeForSomeoneElseDoesNotOpen) {
  std::unique_ptr<Account> other = MakeAccount('o');
  absl::StatusOr<std::string> envelope =
      employee_->Encrypt(trust_person_->id, "privé");
  ASSERT_TRUE(envelope.ok());
  absl::StatusOr<OpenedMessage> opened = other->Decrypt(*envelope);
  EXPECT_FALSE(opened.ok());
  EXPECT_NE(GetCryptoError(opened.status()), CryptoError::kNone);
  EXPECT_TRUE(trust_person_->Decrypt(*envelope).ok());  // still fine
}

// The attack of a rogue trust person T2 on an employee E who once wrote to
// T2: a first message to E, built from E's public bundle under T2's own
// identity key, sealed so that it claims to come from trust person T1.
class FirstContactForgery : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        t2_->sessions->StartSession(PeerAddress(e_->id), e_->bundle).ok());
  }

  // T2's PreKey message to E, sealed with `certificate` (wire form).
  std::string ForgedEnvelope(const std::string& certificate) {
    absl::StatusOr<Ciphertext> message = t2_->sessions->Encrypt(
        PeerAddress(e_->id), PadPlaintext("hier is T1, vertel het mij"));
    EXPECT_TRUE(message.ok());
    SealedContent content;
    content.sender = *ParseSenderCertificate(certificate);
    content.message_type = kPreKeyMessageType;
    content.message = message->bytes;
    absl::StatusOr<std::string> envelope =
        Seal(content, e_->identity_key(), e_->id);
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    return envelope.value_or("");
  }

  // Nothing about T1 was pinned, and E's real first contact with T1 works.
  void ExpectEmployeeUnharmed() {
    EXPECT_EQ(e_->TrustedKeyOf(t1_->id), "");
    EXPECT_FALSE(e_->sessions->HasSession(PeerAddress(t1_->id)));
    ASSERT_TRUE(
        e_->sessions->StartSession(PeerAddress(t1_->id), t1_->bundle).ok());
    absl::StatusOr<OpenedMessage> opened =
        t1_->Decrypt(*e_->Encrypt(t1_->id, "mijn melding"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(opened->plaintext, "mijn melding");
    EXPECT_EQ(e_->TrustedKeyOf(t1_->id), t1_->identity_key());
  }

  std::unique_ptr<Account> e_ = MakeAccount('e');
  std::unique_ptr<Account> t1_ = MakeAccount('1');
  std::unique_ptr<Account> t2_ = MakeAccount('2');
};

TEST_F(FirstContactForgery, ACertificateForgedForT1IsABadSignature) {
  // The relay would never certify T2's key for T1; T2 signs one itself.
  absl::StatusOr<RelaySigningKey> own_key =
      RelaySigningKey::Generate(1, kHour - 1000);
  ASSERT_TRUE(own_key.ok());
  const std::string envelope =
      ForgedEnvelope(CertificateFor(t1_->id, t2_->identity_key(), *own_key));
  EXPECT_EQ(GetCryptoError(e_->Decrypt(envelope).status()),
            CryptoError::kBadSignature);
  ExpectEmployeeUnharmed();
}

TEST_F(FirstContactForgery, T1sOwnCertificateAroundT2sMessageIsAMismatch) {
  // T2 got hold of a genuine certificate of T1 (it travels in every message
  // T1 sends) and puts it around its own PreKey message.
  const std::string envelope = ForgedEnvelope(t1_->certificate);
  EXPECT_EQ(GetCryptoError(e_->Decrypt(envelope).status()),
            CryptoError::kSenderMismatch);
  ExpectEmployeeUnharmed();
}

TEST_F(FirstContactForgery, WithItsOwnCertificateT2IsSeenAsT2) {
  absl::StatusOr<OpenedMessage> opened =
      e_->Decrypt(ForgedEnvelope(t2_->certificate));
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->sender_account_id, t2_->id);
  EXPECT_EQ(opened->sender_identity_key, t2_->identity_key());
  ExpectEmployeeUnharmed();
}

TEST_F(FirstContactForgery, TheRelaysKeyMustBeTheOnePinned) {
  // The same forgery by a relay the employee never pinned: another key 1.
  absl::StatusOr<RelaySigningKey> other_relay =
      RelaySigningKey::Generate(1, kHour - 1000);
  ASSERT_TRUE(other_relay.ok());
  const std::string envelope = ForgedEnvelope(
      CertificateFor(t2_->id, t2_->identity_key(), *other_relay));
  EXPECT_EQ(GetCryptoError(e_->Decrypt(envelope).status()),
            CryptoError::kBadSignature);
  ExpectEmployeeUnharmed();
}

TEST_F(MessageCryptoTest, CertificatesAreJudgedAtTheRelaysHour) {
  absl::StatusOr<std::string> envelope =
      employee_->Encrypt(trust_person_->id, "laat");
  ASSERT_TRUE(envelope.ok());
  const uint32_t expiry = kHour + kSenderCertificateLifetimeHours;
  EXPECT_EQ(GetCryptoError(trust_person_->Decrypt(*envelope, expiry).status()),
            CryptoError::kCertificateExpired);
  // Stored by the relay in time, read a month later: fine.
  absl::StatusOr<OpenedMessage> opened =
      trust_person_->Decrypt(*envelope, expiry - 1);
  ASSERT_TRUE(opened.ok()) << opened.status();

  // A certificate by relay key 2, which this client does not know yet.
  absl::StatusOr<RelaySigningKey> key2 = RelaySigningKey::Generate(2, kHour);
  ASSERT_TRUE(key2.ok());
  employee_->certificate =
      CertificateFor(employee_->id, employee_->identity_key(), *key2);
  envelope = employee_->Encrypt(trust_person_->id, "nieuwe sleutel");
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(GetCryptoError(trust_person_->Decrypt(*envelope).status()),
            CryptoError::kUnknownRelayKey);
  RelayPublicKey published = key2->Published("");
  published.endorsement = *RelayKey().Endorse(published);
  ASSERT_TRUE(
      trust_person_->verifier->Extend({RelayKey().Published(""), published})
          .ok());
  opened = trust_person_->Decrypt(*envelope);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->plaintext, "nieuwe sleutel");
}

TEST_F(MessageCryptoTest, OwnCertificateMustBeOurs) {
  EXPECT_EQ(GetCryptoError(employee_->crypto
                               ->Encrypt(trust_person_->id, "hoi",
                                         trust_person_->certificate)
                               .status()),
            CryptoError::kInvalidMessage);
  EXPECT_EQ(GetCryptoError(
                employee_->crypto->Encrypt(trust_person_->id, "hoi", "kort")
                    .status()),
            CryptoError::kInvalidMessage);
}

// The offset of the last byte of the inner message's MAC in a serialized
// PreKey message (version byte, then protobuf fields; field 4 is the inner
// Signal message, which ends with its 8-byte MAC), or 0.
size_t MacOffset(const std::string& prekey_message) {
  size_t at = 1;
  auto varint = [&](uint64_t& out) {
    out = 0;
    for (int shift = 0; at < prekey_message.size() && shift < 64; shift += 7) {
      const auto b = static_cast<uint8_t>(prekey_message[at++]);
      out |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  };
  while (at < prekey_message.size()) {
    uint64_t key = 0, value = 0;
    if (!varint(key) || !varint(value)) return 0;
    if ((key & 7) == 2) {
      if ((key >> 3) == 4) return at + value - 1;
      at += value;
    } else if ((key & 7) != 0) {
      return 0;
    }
  }
  return 0;
}

// The employee reinstalls: same account id, new identity key, and a new
// certificate for it from the relay.
class IdentityChange : public MessageCryptoTest {
 protected:
  void SetUp() override {
    MessageCryptoTest::SetUp();
    ASSERT_TRUE(
        trust_person_->Decrypt(*employee_->Encrypt(trust_person_->id, "hallo"))
            .ok());
    // Its one-time pre-key is used up, so the relay hands out the signed
    // pre-key only.
    PreKeyBundle bundle = trust_person_->bundle;
    bundle.one_time_pre_key.reset();
    ASSERT_TRUE(reinstalled_->sessions
                    ->StartSession(PeerAddress(trust_person_->id), bundle)
                    .ok());
    reinstalled_->certificate =
        CertificateFor(employee_->id, reinstalled_->identity_key());
  }

  std::unique_ptr<Account> reinstalled_ = MakeAccount('e');
};

TEST_F(IdentityChange, AProvenNewKeyIsReportedAndNothingIsStaged) {
  absl::StatusOr<std::string> envelope =
      reinstalled_->Encrypt(trust_person_->id, "ik ben terug");
  ASSERT_TRUE(envelope.ok());
  absl::StatusOr<OpenedMessage> opened = trust_person_->Decrypt(*envelope);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_TRUE(opened->identity_changed);
  EXPECT_EQ(opened->sender_account_id, employee_->id);
  EXPECT_EQ(opened->sender_identity_key, reinstalled_->identity_key());
  EXPECT_TRUE(opened->plaintext.empty());
  // Still the old key; the old session still works.
  EXPECT_EQ(trust_person_->TrustedKeyOf(employee_->id),
            employee_->identity_key());
  ASSERT_TRUE(
      trust_person_->Decrypt(*employee_->Encrypt(trust_person_->id, "oud"))
          .ok());

  ASSERT_TRUE(trust_person_->sessions
                  ->AcceptIdentity(PeerAddress(employee_->id),
                                   reinstalled_->identity_key())
                  .ok());
  opened = trust_person_->Decrypt(*envelope);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_FALSE(opened->identity_changed);
  EXPECT_EQ(opened->plaintext, "ik ben terug");
}

TEST_F(IdentityChange, AMessageThatMerelyParsesProvesNothing) {
  // A PreKey message that names the new key and parses, but was not made
  // with it: its MAC is wrong.
  absl::StatusOr<Ciphertext> message = reinstalled_->sessions->Encrypt(
      PeerAddress(trust_person_->id), PadPlaintext("nep"));
  ASSERT_TRUE(message.ok());
  // The inner Signal message and its MAC sit inside the PreKey message's
  // protobuf; flip a byte of the MAC, the last 8 bytes of the inner message.
  const size_t mac_at = MacOffset(message->bytes);
  ASSERT_NE(mac_at, 0u);
  message->bytes[mac_at] ^= 0x01;
  SealedContent content;
  content.sender = *ParseSenderCertificate(reinstalled_->certificate);
  content.message_type = kPreKeyMessageType;
  content.message = message->bytes;
  absl::StatusOr<std::string> envelope =
      Seal(content, trust_person_->identity_key(), trust_person_->id);
  ASSERT_TRUE(envelope.ok());
  absl::StatusOr<OpenedMessage> opened = trust_person_->Decrypt(*envelope);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(GetCryptoError(opened.status()), CryptoError::kTampered)
      << opened.status();
  EXPECT_EQ(trust_person_->TrustedKeyOf(employee_->id),
            employee_->identity_key());
  // The trial used no pre-key: a genuine message still proves the key.
  absl::StatusOr<OpenedMessage> genuine =
      trust_person_->Decrypt(*reinstalled_->Encrypt(trust_person_->id, "echt"));
  ASSERT_TRUE(genuine.ok()) << genuine.status();
  EXPECT_TRUE(genuine->identity_changed);
}

TEST_F(IdentityChange, TheOldCertificateAroundTheNewKeyIsAMismatch) {
  absl::StatusOr<std::string> envelope = reinstalled_->crypto->Encrypt(
      trust_person_->id, "x", employee_->certificate);
  // Encrypt refuses a certificate that is not for our own key.
  EXPECT_EQ(GetCryptoError(envelope.status()), CryptoError::kInvalidMessage);
}

TEST_F(MessageCryptoTest, NoSessionNoEnvelope) {
  std::unique_ptr<Account> stranger = MakeAccount('s');
  EXPECT_EQ(GetCryptoError(employee_->Encrypt(stranger->id, "hoi").status()),
            CryptoError::kNoSession);
  EXPECT_FALSE(employee_->Encrypt("short", "hoi").ok());
}

}  // namespace
}  // namespace confidant::crypto
