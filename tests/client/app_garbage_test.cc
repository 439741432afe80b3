// A relay that answers garbage (issue 12, bad input): another account's
// pre-key bundle, a sender certificate that is not one, a key chain that
// contradicts the pinned root (bytes that are not an envelope: the
// messenger tests). Over the fake
// relay with a transport that corrupts its answers on demand: each gets a
// clear error or a counted drop, nothing stored is lost or changed, and the
// conversation goes on once the relay answers properly again.
#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "client/app/app.h"
#include "client/testing/fake_relay.h"
#include "client/testing/forwarding_transport.h"
#include "client/transport.h"
#include "gtest/gtest.h"
#include "tests/client/app_fake_fixture.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

// What the relay gets wrong, switched on and off by the test.
struct Garbage {
  std::atomic<bool> wrong_bundle{false};  // the bundle of `other` instead
  std::string other;                      // an account id
  std::atomic<bool> certificate{false};
  std::atomic<bool> relay_keys{false};
};

// Forwards to the fake relay, corrupting what `garbage` says.
class GarbageTransport : public ForwardingTransport {
 public:
  GarbageTransport(std::unique_ptr<RelayTransport> inner,
                   const Garbage& garbage)
      : ForwardingTransport(std::move(inner)), garbage_(garbage) {}

  absl::StatusOr<PeerBundle> GetPreKeyBundle(
      std::string_view account_id) override {
    return inner().GetPreKeyBundle(
        garbage_.wrong_bundle ? std::string_view(garbage_.other) : account_id);
  }
  absl::StatusOr<std::vector<crypto::RelayPublicKey>> GetRelayKeys() override {
    absl::StatusOr<std::vector<crypto::RelayPublicKey>> keys =
        inner().GetRelayKeys();
    if (keys.ok() && garbage_.relay_keys && !keys->empty()) {
      (*keys)[0].public_key = std::string(32, '\x5a');  // not the pinned root
    }
    return keys;
  }
  absl::StatusOr<std::string> GetSenderCertificate() override {
    if (garbage_.certificate) return std::string("\x08\x01garbage", 9);
    return inner().GetSenderCertificate();
  }

 private:
  const Garbage& garbage_;
};

class AppGarbageTest : public AppFakeTest {
 protected:
  AppOptions Options() override {
    AppOptions options = AppFakeTest::Options();
    options.make_transport = [this](const ConnectionSettings&)
        -> absl::StatusOr<std::unique_ptr<RelayTransport>> {
      return std::make_unique<GarbageTransport>(relay_->NewTransport(),
                                                garbage_);
    };
    return options;
  }
  static DeliveryState StateOf(App& app, const std::string& id, size_t i) {
    auto messages = app.Read(id);
    EXPECT_TRUE(messages.ok() && messages->size() > i);
    return messages.ok() && messages->size() > i ? (*messages)[i].delivery
                                                 : DeliveryState::kFailed;
  }

  Garbage garbage_;
};

// Another account's bundle: no session is made with the wrong peer and
// nothing reaches either trust person; the message is kept, not lost.
TEST_F(AppGarbageTest, AnotherAccountsBundleIsRefused) {
  std::unique_ptr<App> anna = TrustPerson("Anna");
  std::unique_ptr<App> bram = TrustPerson("Bram");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_TRUE(anna && bram && emp);
  garbage_.other = bram->account_id();
  garbage_.wrong_bundle = true;
  auto case_id = emp->OpenCase(anna->account_id(), "Voor Anna alleen.");
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  ASSERT_TRUE(emp->SendQueued().ok());
  // Refused for good, said so, and kept in the conversation.
  EXPECT_EQ(StateOf(*emp, *case_id, 0), DeliveryState::kFailed);
  EXPECT_EQ(Bodies(*emp, *case_id),
            std::vector<std::string>{"Voor Anna alleen."});
  ASSERT_TRUE(anna->SyncOnce().ok());
  ASSERT_TRUE(bram->SyncOnce().ok());
  EXPECT_TRUE(anna->Cases()->empty());
  EXPECT_TRUE(bram->Cases()->empty()) << "a message reached the wrong peer";

  // The relay answers properly again: a new case reaches Anna.
  garbage_.wrong_bundle = false;
  auto again = emp->OpenCase(anna->account_id(), "Nu wel.");
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(emp->SendQueued().ok());
  ASSERT_TRUE(anna->SyncOnce().ok());
  auto cases = anna->Cases();
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(Bodies(*anna, (*cases)[0].case_id),
            std::vector<std::string>{"Nu wel."});
}

// A sender certificate that is not one: the message waits with a clear
// error and leaves exactly once when a proper certificate comes.
TEST_F(AppGarbageTest, AGarbledCertificateKeepsTheMessageQueued) {
  std::unique_ptr<App> anna = TrustPerson("Anna");
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_TRUE(anna && emp);
  garbage_.certificate = true;
  auto case_id = emp->OpenCase(anna->account_id(), "Eerste bericht.");
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  absl::StatusOr<int> sent = emp->SendQueued();
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(sent.status().message(),
                                "the relay sent a malformed certificate"))
      << sent.status();
  EXPECT_EQ(StateOf(*emp, *case_id, 0), DeliveryState::kQueued);
  ASSERT_TRUE(anna->SyncOnce().ok());
  EXPECT_TRUE(anna->Cases()->empty());

  garbage_.certificate = false;
  ASSERT_TRUE(emp->SendQueued().ok());
  ASSERT_TRUE(anna->SyncOnce().ok());
  ASSERT_TRUE(emp->SendQueued().ok());  // once more: nothing is sent twice
  ASSERT_TRUE(anna->SyncOnce().ok());
  auto cases = anna->Cases();
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(Bodies(*anna, *case_id),
            std::vector<std::string>{"Eerste bericht."});
}

// Relay keys whose root is not the one the organisation published: joining
// is refused with the reason and leaves no profile; with the right keys the
// same access code joins.
TEST_F(AppGarbageTest, RelayKeysAgainstThePublishedRootAreRefused) {
  std::unique_ptr<App> anna = TrustPerson("Anna");
  ASSERT_TRUE(anna);
  garbage_.relay_keys = true;
  const std::string dir = dir_.path() + "/emp";
  auto joined =
      App::Join(dir, kPassphrase, ConnectionSettings{}, org_.access_code,
                relay_->RootFingerprint(), Options());
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.status().code(), absl::StatusCode::kPermissionDenied)
      << joined.status();
  EXPECT_FALSE(App::ProfileExists(dir));

  garbage_.relay_keys = false;
  std::unique_ptr<App> emp = Employee("emp");
  ASSERT_TRUE(emp);
  auto case_id = emp->OpenCase(anna->account_id(), "Het werkt.");
  ASSERT_TRUE(case_id.ok()) << case_id.status();
  ASSERT_TRUE(emp->SendQueued().ok());
  ASSERT_TRUE(anna->SyncOnce().ok());
  EXPECT_EQ(Bodies(*anna, *case_id), std::vector<std::string>{"Het werkt."});
}

}  // namespace
}  // namespace confidant::client
