// Messenger against the real confidant-relay: a trust person and employees,
// each with an encrypted profile, exchange messages through cases.
#include "client/messenger.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/account.h"
#include "client/crypto_stores.h"
#include "client/grpc_transport.h"
#include "client/profile_store.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"
#include "confidant/v1/admin.pb.h"
#include "crypto/kdf.h"
#include "crypto/memory_stores.h"
#include "crypto/message_crypto.h"
#include "crypto/session.h"
#include "gtest/gtest.h"
#include "tests/client/messenger_fixture.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using messenger_testing::Bodies;
using messenger_testing::MessengerTest;
using messenger_testing::Party;

TEST_F(MessengerTest, ConversationDuplicatesTamperingSeparationAndReopen) {
  std::unique_ptr<Party> tp = NewTrustPerson();
  std::unique_ptr<Party> emp = NewEmployee("employee");
  std::unique_ptr<Party> emp2 = NewEmployee("employee2");
  ASSERT_NE(tp, nullptr);
  ASSERT_NE(emp, nullptr);
  ASSERT_NE(emp2, nullptr);
  absl::Time now = t0_;

  absl::StatusOr<std::string> case_id =
      emp->messenger->OpenCase(tp->id(), "Goedemorgen, ik heb een vraag.", now);
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  ASSERT_EQ(case_id->size(), 16u);

  SyncReport r = tp->Sync(now);
  EXPECT_EQ(r.received, 1);
  EXPECT_EQ(r.dropped, 0);
  std::vector<CaseSummary> cases = tp->Cases();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].case_id, *case_id);
  EXPECT_EQ(cases[0].peer_account_id, emp->id());
  EXPECT_EQ(cases[0].unread_count, 1u);
  EXPECT_FALSE(cases[0].opened_by_us);
  ASSERT_TRUE(tp->messenger->MarkRead(*case_id).ok());
  EXPECT_EQ(tp->Cases()[0].unread_count, 0u);

  // The receipt reaches the employee and marks the first message delivered.
  r = emp->Sync(now);
  EXPECT_EQ(r.receipts, 1);
  EXPECT_EQ(r.received, 0);
  std::vector<CaseMessage> mine = emp->Read(*case_id);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].direction, Direction::kOutgoing);
  EXPECT_EQ(mine[0].delivery, DeliveryState::kDelivered);

  // 24 more messages, both ways, some in bursts.
  std::vector<std::string> expected = {"Goedemorgen, ik heb een vraag."};
  for (int round = 0; round < 8; ++round) {
    now += absl::Minutes(5);
    const std::string a = absl::StrCat("werknemer ", round);
    const std::string b =
        absl::StrCat("vertrouwenspersoon ", round, " \xc3\xa9");
    const std::string c = absl::StrCat("werknemer ", round, " nog iets");
    ASSERT_TRUE(emp->messenger->SendText(*case_id, a, now).ok());
    EXPECT_EQ(tp->Sync(now).received, 1);
    ASSERT_TRUE(tp->messenger->SendText(*case_id, b, now).ok());
    r = emp->Sync(now);
    EXPECT_EQ(r.received, 1);
    EXPECT_EQ(r.receipts, round == 0 ? 1 : 2);  // for `a` and the last `c`
    ASSERT_TRUE(emp->messenger->SendText(*case_id, c, now).ok());
    r = tp->Sync(now);
    EXPECT_EQ(r.received, 1);
    EXPECT_EQ(r.receipts, 1);
    expected.insert(expected.end(), {a, b, c});
  }
  EXPECT_EQ(emp->Sync(now).receipts, 1);  // for the last burst
  EXPECT_EQ(tp->Sync(now).received, 0);

  // Both sides hold the same conversation in the same order.
  std::vector<CaseMessage> emp_view = emp->Read(*case_id);
  std::vector<CaseMessage> tp_view = tp->Read(*case_id);
  EXPECT_EQ(Bodies(emp_view), Bodies(expected));
  EXPECT_EQ(Bodies(tp_view), Bodies(expected));
  ASSERT_EQ(emp_view.size(), 25u);
  for (size_t i = 0; i < emp_view.size(); ++i) {
    EXPECT_EQ(emp_view[i].message_id, tp_view[i].message_id);
    if (emp_view[i].direction == Direction::kOutgoing) {
      EXPECT_EQ(tp_view[i].direction, Direction::kIncoming);
      EXPECT_EQ(tp_view[i].delivery, DeliveryState::kReceived);
    } else {
      EXPECT_EQ(tp_view[i].direction, Direction::kOutgoing);
      EXPECT_EQ(emp_view[i].delivery, DeliveryState::kReceived);
    }
    EXPECT_NE(emp_view[i].delivery, DeliveryState::kSent) << i;
    EXPECT_NE(tp_view[i].delivery, DeliveryState::kSent) << i;
  }
  EXPECT_EQ(tp->Cases()[0].unread_count, 16u);

  // The same envelope twice: the relay delivers both, the user sees one.
  v1::AppMessage dup;
  dup.set_message_id(std::string(16, '\x11'));
  dup.set_case_id(*case_id);
  dup.set_kind(v1::AppMessage::TEXT);
  dup.set_body("twee keer verstuurd");
  const std::string envelope = emp->Envelope(tp->id(), dup);
  ASSERT_TRUE(emp->transport->Send(tp->id(), envelope).ok());
  ASSERT_TRUE(emp->transport->Send(tp->id(), envelope).ok());
  // The same message id in a second, different envelope (a resend).
  ASSERT_TRUE(
      emp->transport->Send(tp->id(), emp->Envelope(tp->id(), dup)).ok());
  r = tp->Sync(now);
  EXPECT_EQ(r.received, 1);
  EXPECT_EQ(r.dropped, 1);  // the replayed envelope: Signal refuses it
  EXPECT_EQ(r.duplicates, 1);
  EXPECT_EQ(r.warnings, std::vector<std::string>{"duplicate"});
  expected.push_back("twee keer verstuurd");
  EXPECT_EQ(Bodies(tp->Read(*case_id)), Bodies(expected));

  // A tampered envelope is dropped, counted and acked; the conversation goes
  // on.
  v1::AppMessage evil = dup;
  evil.set_message_id(std::string(16, '\x22'));
  evil.set_body("gewijzigd");
  std::string tampered = emp->Envelope(tp->id(), evil);
  tampered[tampered.size() / 2] ^= 0x01;
  ASSERT_TRUE(emp->transport->Send(tp->id(), tampered).ok());
  ASSERT_TRUE(emp->messenger->SendText(*case_id, "na de sabotage", now).ok());
  r = tp->Sync(now);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_EQ(r.received, 1);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(tp->Sync(now).dropped, 0);  // it was acked: it does not return
  expected.push_back("na de sabotage");
  EXPECT_EQ(Bodies(tp->Read(*case_id)), Bodies(expected));
  ASSERT_TRUE(tp->messenger->SendText(*case_id, "ontvangen", now).ok());
  EXPECT_EQ(emp->Sync(now).received, 1);
  expected.push_back("ontvangen");

  // A malformed inner message is dropped too.
  v1::AppMessage malformed;
  malformed.set_message_id("short");
  ASSERT_TRUE(
      emp->transport->Send(tp->id(), emp->Envelope(tp->id(), malformed)).ok());
  r = tp->Sync(now);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_EQ(r.warnings, std::vector<std::string>{"malformed message"});

  // A second employee's case stays separate.
  now += absl::Hours(1);
  absl::StatusOr<std::string> case2 =
      emp2->messenger->OpenCase(tp->id(), "Ik wil iets melden.", now);
  ASSERT_TRUE(case2.ok()) << case2.status();
  EXPECT_EQ(tp->Sync(now).received, 1);
  ASSERT_TRUE(tp->messenger->SendText(*case2, "Vertel het maar.", now).ok());
  EXPECT_EQ(emp2->Sync(now).received, 1);
  EXPECT_EQ(emp->Sync(now).received, 0);
  cases = tp->Cases();
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].case_id, *case2);  // most recent first
  EXPECT_EQ(cases[0].peer_account_id, emp2->id());
  EXPECT_EQ(cases[1].case_id, *case_id);
  EXPECT_EQ(cases[1].peer_account_id, emp->id());
  EXPECT_EQ(Bodies(tp->Read(*case2)),
            Bodies(std::vector<std::string>{"Ik wil iets melden.",
                                            "Vertel het maar."}));
  EXPECT_EQ(emp->Cases().size(), 1u);
  EXPECT_EQ(emp2->Cases().size(), 1u);
  EXPECT_EQ(absl::IsNotFound(emp2->messenger->ReadCase(*case_id).status()),
            true);

  // The second employee cannot write into the first one's case.
  v1::AppMessage intrude;
  intrude.set_message_id(std::string(16, '\x33'));
  intrude.set_case_id(*case_id);
  intrude.set_kind(v1::AppMessage::TEXT);
  intrude.set_body("ingebroken");
  ASSERT_TRUE(
      emp2->transport->Send(tp->id(), emp2->Envelope(tp->id(), intrude)).ok());
  r = tp->Sync(now);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_EQ(r.received, 0);
  EXPECT_EQ(Bodies(tp->Read(*case_id)), Bodies(expected));

  // Unknown case and bad input.
  EXPECT_EQ(emp->messenger->SendText(std::string(16, 'x'), "hoi", now),
            absl::NotFoundError("unknown case"));
  EXPECT_TRUE(absl::IsInvalidArgument(
      emp->messenger->SendText(*case_id, "\xff\xfe", now)));
  EXPECT_TRUE(
      absl::IsInvalidArgument(emp->messenger->SendText(*case_id, "", now)));
  EXPECT_TRUE(absl::IsInvalidArgument(emp->messenger->SendText(
      *case_id, std::string(kMaxTextBytes + 1, 'a'), now)));
  EXPECT_TRUE(
      emp->messenger->SendText(*case_id, std::string(kMaxTextBytes, 'a'), now)
          .ok());
  EXPECT_EQ(tp->Sync(now).received, 1);
  expected.push_back(std::string(kMaxTextBytes, 'a'));
  EXPECT_EQ(emp->Sync(now).receipts, 1);

  // Everything survives closing and reopening the profiles.
  const std::vector<CaseMessage> tp_before = tp->Read(*case_id);
  ASSERT_NO_FATAL_FAILURE(tp->Reopen());
  ASSERT_NO_FATAL_FAILURE(emp->Reopen());
  std::vector<CaseMessage> tp_after = tp->Read(*case_id);
  EXPECT_EQ(Bodies(tp_after), Bodies(expected));
  ASSERT_EQ(tp_after.size(), tp_before.size());
  for (size_t i = 0; i < tp_after.size(); ++i) {
    EXPECT_EQ(tp_after[i].message_id, tp_before[i].message_id);
    EXPECT_EQ(tp_after[i].direction, tp_before[i].direction);
    EXPECT_EQ(tp_after[i].delivery, tp_before[i].delivery);
    EXPECT_EQ(tp_after[i].time, tp_before[i].time);
    EXPECT_EQ(tp_after[i].body, tp_before[i].body);
  }
  std::vector<std::string> emp_expected = expected;
  emp_expected.erase(emp_expected.begin() + 25);  // "twee keer verstuurd"
  std::vector<CaseMessage> emp_after = emp->Read(*case_id);
  EXPECT_EQ(Bodies(emp_after), Bodies(emp_expected));
  for (const CaseMessage& m : emp_after) {
    EXPECT_NE(m.delivery, DeliveryState::kSent);
  }
  EXPECT_EQ(tp->Cases().size(), 2u);

  // Sessions survive too: the conversation goes on after the reopen.
  ASSERT_TRUE(emp->messenger->SendText(*case_id, "nog steeds hier", now).ok());
  EXPECT_EQ(tp->Sync(now).received, 1);
  EXPECT_EQ(emp->Sync(now).receipts, 1);
}

}  // namespace
}  // namespace confidant::client
