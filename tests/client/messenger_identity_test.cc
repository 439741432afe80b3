// Who a message is from, over the real relay: forged first contacts, a
// changed identity after a reinstall, the safety number the user compared,
// unsolicited first contacts, and a rotated relay key.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/account.h"
#include "client/messenger.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"
#include "crypto/keys.h"
#include "crypto/memory_stores.h"
#include "crypto/message_crypto.h"
#include "crypto/padding.h"
#include "crypto/sealed.h"
#include "crypto/sender_certificate.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/client/identity_fixture.h"
#include "tests/client/messenger_fixture.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using messenger_testing::Bodies;
using messenger_testing::Installation;
using messenger_testing::MessengerTest;
using messenger_testing::NewInstallation;
using messenger_testing::Party;
using messenger_testing::Reinstall;

// Seals `ciphertext` (a PreKey message) for `recipient` with `certificate`.
std::string SealAs(const std::string& certificate, const std::string& message,
                   const Party& recipient) {
  crypto::SealedContent content;
  content.sender = *crypto::ParseSenderCertificate(certificate);
  content.message_type = crypto::kPreKeyMessageType;
  content.message = message;
  absl::StatusOr<std::string> envelope = crypto::Seal(
      content, recipient.crypto->own_identity().public_key(), recipient.id());
  EXPECT_TRUE(envelope.ok()) << envelope.status();
  return envelope.value_or("");
}

// A PreKey message of `from` to `to` holding a TEXT in `case_id`.
std::string PreKeyText(Installation& from, const std::string& to,
                       const std::string& case_id, const std::string& body) {
  v1::AppMessage m;
  m.set_message_id(std::string(16, '\x5a'));
  m.set_case_id(case_id);
  m.set_kind(v1::AppMessage::TEXT);
  m.set_body(body);
  absl::StatusOr<crypto::Ciphertext> c = from.sessions->Encrypt(
      crypto::PeerAddress(to), crypto::PadPlaintext(m.SerializeAsString()));
  EXPECT_TRUE(c.ok() && c->type == crypto::MessageType::kPreKey);
  return c->bytes;
}

std::string Digits(const Party& party, const std::string& case_id) {
  absl::StatusOr<SafetyNumberState> state =
      party.messenger->SafetyNumber(case_id);
  EXPECT_TRUE(state.ok()) << state.status();
  return state.ok() ? state->number.Grouped() : "";
}

// A rogue trust person T2, to whom the employee once wrote, forges a first
// contact claiming to be trust person T1.
TEST_F(MessengerTest, ARogueTrustPersonCannotPassAsAnother) {
  std::unique_ptr<Party> t1 = NewTrustPerson("t1", "Anna de Vries");
  std::unique_ptr<Party> t2 = NewTrustPerson("t2", "Bram Jansen");
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_TRUE(t1 && t2 && emp);
  const absl::Time now = t0_;
  ASSERT_TRUE(emp->messenger->OpenCase(t2->id(), "vraag aan T2", now).ok());
  EXPECT_EQ(t2->Sync(now).received, 1);

  // T2's PreKey message to E under T2's own identity key, from E's bundle.
  const std::string forged_case(16, '\x66');
  auto t2_session = [&] {
    absl::StatusOr<PeerBundle> bundle =
        t2->transport->GetPreKeyBundle(emp->id());
    EXPECT_TRUE(bundle.ok());
    EXPECT_TRUE(
        t2->sessions
            ->StartSession(crypto::PeerAddress(emp->id()), bundle->bundle)
            .ok() ||
        t2->sessions->HasSession(crypto::PeerAddress(emp->id())));
    v1::AppMessage m;
    m.set_message_id(std::string(16, '\x61'));
    m.set_case_id(forged_case);
    m.set_kind(v1::AppMessage::TEXT);
    m.set_body("Hier is Anna (T1). Vertel mij alles.");
    absl::StatusOr<crypto::Ciphertext> c =
        t2->sessions->Encrypt(crypto::PeerAddress(emp->id()),
                              crypto::PadPlaintext(m.SerializeAsString()));
    EXPECT_TRUE(c.ok());
    return c->bytes;
  };

  // 1. A certificate for T1 with T2's key, signed by T2 itself.
  absl::StatusOr<crypto::RelaySigningKey> own_key =
      crypto::RelaySigningKey::Generate(1, 0);
  ASSERT_TRUE(own_key.ok());
  absl::StatusOr<crypto::SenderCertificate> fake = own_key->Issue(
      t1->id(), t2->crypto->own_identity().public_key(), 0xFFFFFFF0u);
  ASSERT_TRUE(fake.ok());
  const std::string message = t2_session();
  ASSERT_TRUE(
      t2->transport->Send(emp->id(), SealAs(fake->Serialize(), message, *emp))
          .ok());
  // 2. T1's genuine certificate around T2's message.
  absl::StatusOr<std::string> t1_certificate = t1->certificates->Current(now);
  ASSERT_TRUE(t1_certificate.ok());
  ASSERT_TRUE(
      t2->transport->Send(emp->id(), SealAs(*t1_certificate, message, *emp))
          .ok());

  SyncReport r = emp->Sync(now);
  EXPECT_EQ(r.dropped, 2);
  EXPECT_EQ(r.received, 0);
  EXPECT_EQ(r.identity_changes, 0);
  EXPECT_EQ(r.warnings,
            (std::vector<std::string>{"bad_signature", "sender_mismatch"}));
  EXPECT_EQ(emp->Cases().size(), 1u);  // only the case with T2
  EXPECT_FALSE(emp->sessions->HasSession(crypto::PeerAddress(t1->id())));
  EXPECT_FALSE(
      emp->sessions->PeerIdentityKey(crypto::PeerAddress(t1->id())).ok());
  // The relay's mailbox holds nothing of it: acked like any other.
  absl::StatusOr<std::vector<Envelope>> left = DrainMailbox(*emp->transport);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());

  // The employee's real report to T1 reaches T1, not T2.
  absl::StatusOr<std::string> report =
      emp->messenger->OpenCase(t1->id(), "mijn melding voor T1", now);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(t1->Sync(now).received, 1);
  EXPECT_EQ(Bodies(t1->Read(*report)),
            Bodies(std::vector<std::string>{"mijn melding voor T1"}));
  EXPECT_EQ(t2->Sync(now).dropped, 0);
  SyncReport back = emp->Sync(now);
  EXPECT_EQ(back.receipts, 1);
  EXPECT_EQ(back.dropped, 0);
}

TEST_F(MessengerTest, AFirstContactByATrustPersonNeverWrittenToIsFlagged) {
  std::unique_ptr<Party> t1 = NewTrustPerson("t1", "Anna de Vries");
  std::unique_ptr<Party> t3 = NewTrustPerson("t3", "Chris Smit");
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_TRUE(t1 && t3 && emp);
  const absl::Time now = t0_;
  absl::StatusOr<std::string> mine =
      emp->messenger->OpenCase(t1->id(), "vraag", now);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(t1->Sync(now).received, 1);
  // T1 answers in a new case of its own: the employee wrote to T1 before.
  absl::StatusOr<std::string> from_t1 =
      t1->messenger->OpenCase(emp->id(), "een apart gesprek", now);
  ASSERT_TRUE(from_t1.ok()) << from_t1.status();
  // T3 learned the employee's id somehow and writes first.
  absl::StatusOr<std::string> from_t3 =
      t3->messenger->OpenCase(emp->id(), "Ik hoorde over uw melding", now);
  ASSERT_TRUE(from_t3.ok()) << from_t3.status();

  SyncReport r = emp->Sync(now);
  EXPECT_EQ(r.received, 2);
  EXPECT_EQ(r.unsolicited, 1);
  for (const CaseSummary& s : emp->Cases()) {
    EXPECT_EQ(s.unsolicited, s.case_id == *from_t3) << s.peer_account_id;
  }
  // Trust persons are written to first all the time: never flagged there.
  for (const CaseSummary& s : t1->Cases()) EXPECT_FALSE(s.unsolicited);
}

class IdentityChangeTest : public MessengerTest {
 protected:
  void SetUp() override {
    MessengerTest::SetUp();
    tp_ = NewTrustPerson();
    emp_ = NewEmployee("employee");
    ASSERT_TRUE(tp_ && emp_);
    absl::StatusOr<std::string> case_id =
        emp_->messenger->OpenCase(tp_->id(), "eerste bericht", t0_);
    ASSERT_TRUE(case_id.ok()) << case_id.status();
    case_id_ = *case_id;
    ASSERT_EQ(tp_->Sync(t0_).received, 1);
    ASSERT_EQ(emp_->Sync(t0_).receipts, 1);
    old_number_ = Digits(*tp_, case_id_);
  }

  std::unique_ptr<Party> tp_, emp_;
  std::string case_id_;
  std::string old_number_;
};

TEST_F(IdentityChangeTest, BlocksUntilTheComparedNumberIsVerified) {
  const absl::Time now = t0_;
  std::unique_ptr<Installation> again = Reinstall(*emp_, tp_->id(), now);
  ASSERT_TRUE(emp_->transport
                  ->Send(tp_->id(), again->Text(tp_->id(), case_id_,
                                                "na herinstallatie", '\x41'))
                  .ok());
  ASSERT_TRUE(
      emp_->transport
          ->Send(tp_->id(), again->Text(tp_->id(), case_id_, "nog een", '\x42'))
          .ok());

  SyncReport r = tp_->Sync(now);
  EXPECT_EQ(r.identity_changes, 2);
  EXPECT_EQ(r.received, 0);
  EXPECT_EQ(r.dropped, 0);
  std::vector<CaseSummary> cases = tp_->Cases();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_TRUE(cases[0].identity_changed);
  EXPECT_EQ(cases[0].pending_identity_key, again->identity_key);
  EXPECT_EQ(cases[0].held_messages, 2u);
  // Held in the profile, acked on the relay: the mailbox shows nothing.
  absl::StatusOr<std::vector<Envelope>> left = DrainMailbox(*tp_->transport);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      tp_->messenger->SendText(case_id_, "antwoord", now)));
  EXPECT_EQ(tp_->Sync(now).identity_changes, 0);

  // What the trust person compares with the employee, by phone or face to
  // face.
  absl::StatusOr<SafetyNumberState> state =
      tp_->messenger->SafetyNumber(case_id_);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->changed);
  EXPECT_FALSE(state->verified);
  const std::string compared = state->number.Grouped();
  EXPECT_NE(compared, old_number_);

  // Between comparing and verifying, another employee injects a PreKey
  // message that claims the employee's account with yet another key.
  std::unique_ptr<Party> emp2 = NewEmployee("employee2");
  ASSERT_NE(emp2, nullptr);
  std::unique_ptr<Installation> forger =
      NewInstallation(*emp2, emp_->id(), tp_->id(), *emp2);
  const std::string forged_message =
      PreKeyText(*forger, tp_->id(), case_id_, "vertrouw mij");
  absl::StatusOr<crypto::RelaySigningKey> own_key =
      crypto::RelaySigningKey::Generate(1, 0);
  absl::StatusOr<crypto::SenderCertificate> fake =
      own_key->Issue(emp_->id(), forger->identity_key, 0xFFFFFFF0u);
  ASSERT_TRUE(fake.ok());
  ASSERT_TRUE(
      emp2->transport
          ->Send(tp_->id(), SealAs(fake->Serialize(), forged_message, *tp_))
          .ok());
  // And one with emp2's own genuine certificate around the same bytes.
  absl::StatusOr<std::string> emp2_certificate =
      emp2->certificates->Current(now);
  ASSERT_TRUE(emp2_certificate.ok());
  ASSERT_TRUE(
      emp2->transport
          ->Send(tp_->id(), SealAs(*emp2_certificate, forged_message, *tp_))
          .ok());
  r = tp_->Sync(now);
  EXPECT_EQ(r.dropped, 2);
  EXPECT_EQ(r.identity_changes, 0);
  EXPECT_EQ(tp_->Cases()[0].pending_identity_key, again->identity_key);

  // A wrong number is refused, and trusts nothing.
  std::string wrong = compared;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  absl::StatusOr<SyncReport> refused =
      tp_->messenger->VerifySafetyNumber(case_id_, wrong, now);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status()));
  EXPECT_EQ(refused.status().message(),
            "the safety number you compared is not the current one; compare "
            "the number shown now and verify again");
  EXPECT_TRUE(absl::IsFailedPrecondition(
      tp_->messenger->VerifySafetyNumber(case_id_, old_number_, now).status()));
  EXPECT_TRUE(tp_->Cases()[0].identity_changed);

  // The number the user compared: trusted, unblocked, held messages in.
  absl::StatusOr<SyncReport> verified =
      tp_->messenger->VerifySafetyNumber(case_id_, compared, now);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->received, 2);
  cases = tp_->Cases();
  EXPECT_FALSE(cases[0].identity_changed);
  EXPECT_EQ(cases[0].held_messages, 0u);
  EXPECT_EQ(Bodies(tp_->Read(case_id_)),
            Bodies(std::vector<std::string>{"eerste bericht",
                                            "na herinstallatie", "nog een"}));
  state = tp_->messenger->SafetyNumber(case_id_);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->verified);
  EXPECT_FALSE(state->changed);
  EXPECT_EQ(state->number.Grouped(), compared);

  // The conversation goes on with the new installation.
  ASSERT_TRUE(tp_->messenger->SendText(case_id_, "antwoord", now).ok());
  absl::StatusOr<std::vector<Envelope>> got = DrainMailbox(*emp_->transport);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<std::string> kinds;
  for (const Envelope& e : *got) {
    absl::StatusOr<crypto::OpenedMessage> opened =
        again->crypto->Decrypt(e.content, e.stored_hour);
    ASSERT_TRUE(opened.ok()) << opened.status();
    v1::AppMessage m;
    ASSERT_TRUE(m.ParseFromString(opened->plaintext));
    kinds.push_back(m.kind() == v1::AppMessage::TEXT ? m.body() : "receipt");
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"receipt", "antwoord"}));
}

TEST_F(IdentityChangeTest, ASecondChangeInvalidatesTheComparedNumber) {
  const absl::Time now = t0_;
  std::unique_ptr<Installation> first = Reinstall(*emp_, tp_->id(), now);
  ASSERT_TRUE(emp_->transport
                  ->Send(tp_->id(), first->Text(tp_->id(), case_id_,
                                                "eerste installatie", '\x41'))
                  .ok());
  EXPECT_EQ(tp_->Sync(now).identity_changes, 1);
  const std::string compared = Digits(*tp_, case_id_);

  // The account changes its key again before the trust person verifies.
  std::unique_ptr<Installation> second = Reinstall(*emp_, tp_->id(), now);
  ASSERT_TRUE(emp_->transport
                  ->Send(tp_->id(), second->Text(tp_->id(), case_id_,
                                                 "tweede installatie", '\x42'))
                  .ok());
  SyncReport r = tp_->Sync(now);
  EXPECT_EQ(r.identity_changes, 1);
  EXPECT_EQ(r.held_dropped, 1);
  EXPECT_EQ(
      r.warnings,
      (std::vector<std::string>{"the peer's safety number changed again"}));
  EXPECT_EQ(tp_->Cases()[0].pending_identity_key, second->identity_key);

  EXPECT_TRUE(absl::IsFailedPrecondition(
      tp_->messenger->VerifySafetyNumber(case_id_, compared, now).status()));
  const std::string current = Digits(*tp_, case_id_);
  EXPECT_NE(current, compared);
  absl::StatusOr<SyncReport> verified =
      tp_->messenger->VerifySafetyNumber(case_id_, current, now);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->received, 1);
  EXPECT_EQ(
      Bodies(tp_->Read(case_id_)),
      Bodies(std::vector<std::string>{"eerste bericht", "tweede installatie"}));
}

TEST_F(IdentityChangeTest, VerifyingAnUnchangedNumberRecordsIt) {
  const absl::Time now = t0_;
  absl::StatusOr<SafetyNumberState> state =
      emp_->messenger->SafetyNumber(case_id_);
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->verified);
  EXPECT_EQ(state->number.Grouped(), old_number_);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      emp_->messenger->VerifySafetyNumber(case_id_, "123", now).status()));
  // Spaces and line breaks, as the user copies them, do not matter.
  std::string spaced = old_number_;
  spaced.insert(30, "\n");
  ASSERT_TRUE(emp_->messenger->VerifySafetyNumber(case_id_, spaced, now).ok());
  state = emp_->messenger->SafetyNumber(case_id_);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->verified);
  EXPECT_TRUE(absl::IsNotFound(
      emp_->messenger->SafetyNumber(std::string(16, 'x')).status()));
}

// Blocking a sender also drops what it sent under a changed key: nothing of
// a blocked sender stays in the profile, and none of it comes in later.
TEST_F(IdentityChangeTest, BlockingTheSenderDropsWhatWasHeld) {
  const absl::Time now = t0_;
  std::unique_ptr<Installation> again = Reinstall(*emp_, tp_->id(), now);
  for (char id : {'\x41', '\x42'}) {
    ASSERT_TRUE(emp_->transport
                    ->Send(tp_->id(),
                           again->Text(tp_->id(), case_id_, "vastgehouden", id))
                    .ok());
  }
  ASSERT_EQ(tp_->Sync(now).identity_changes, 2);
  ASSERT_EQ(tp_->Cases()[0].held_messages, 2u);
  const std::string compared = Digits(*tp_, case_id_);

  ASSERT_TRUE(tp_->app->Block(case_id_).ok());
  EXPECT_EQ(tp_->Cases()[0].held_messages, 0u);
  absl::StatusOr<std::optional<v1::BlockedSender>> blocked =
      tp_->app->Blocked(case_id_);
  ASSERT_TRUE(blocked.ok() && blocked->has_value());
  EXPECT_EQ((*blocked)->dropped(), 2u);

  // Verifying the new number later brings none of it back.
  absl::StatusOr<SyncReport> verified =
      tp_->messenger->VerifySafetyNumber(case_id_, compared, now);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->received, 0);
  EXPECT_EQ(Bodies(tp_->Read(case_id_)),
            Bodies(std::vector<std::string>{"eerste bericht"}));
}

TEST_F(IdentityChangeTest, HeldMessagesSurviveAReopenAndExpire) {
  absl::Time now = t0_;
  std::unique_ptr<Installation> again = Reinstall(*emp_, tp_->id(), now);
  ASSERT_TRUE(
      emp_->transport
          ->Send(tp_->id(), again->Text(tp_->id(), case_id_, "bewaard", '\x41'))
          .ok());
  EXPECT_EQ(tp_->Sync(now).identity_changes, 1);
  ASSERT_NO_FATAL_FAILURE(tp_->Reopen());
  EXPECT_EQ(tp_->Cases()[0].held_messages, 1u);
  now += kHeldEnvelopeLifetime + absl::Hours(1);
  SyncReport r = tp_->Sync(now);
  EXPECT_EQ(r.held_dropped, 1);
  EXPECT_EQ(tp_->Cases()[0].held_messages, 0u);
  // The key stays pending: the user still has to compare it.
  EXPECT_TRUE(tp_->Cases()[0].identity_changed);
}

TEST_F(MessengerTest, ARotatedRelayKeyIsLearnedAlongItsEndorsement) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  ASSERT_TRUE(tp && emp);
  absl::Time now = t0_;
  absl::StatusOr<std::string> case_id =
      emp->messenger->OpenCase(tp->id(), "voor de rotatie", now);
  ASSERT_TRUE(case_id.ok());
  EXPECT_EQ(tp->Sync(now).received, 1);

  ::confidant::testing::CommandResult rotated =
      ::confidant::testing::RunCommand({CONFIDANT_ADMIN_BIN, "--data-dir",
                                        data_dir_, "relay-key", "rotate"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  // Four days on, the employee renews its certificate: now by key 2, which
  // the trust person learns from the relay, checked against key 1.
  now += absl::Hours(24 * 4);
  ASSERT_TRUE(emp->messenger->SendText(*case_id, "na de rotatie", now).ok());
  SyncReport r = tp->Sync(now);
  EXPECT_EQ(r.received, 1);
  EXPECT_EQ(r.dropped, 0);
  EXPECT_EQ(tp->certificates->verifier().ring().keys().size(), 2u);
  EXPECT_EQ(tp->certificates->RootFingerprint(),
            emp->certificates->RootFingerprint());
  ASSERT_TRUE(tp->messenger->SendText(*case_id, "antwoord", now).ok());
  EXPECT_EQ(emp->Sync(now).received, 1);
}

}  // namespace
}  // namespace confidant::client
