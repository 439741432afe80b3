// The fixture of the app-layer tests over the fake relay
// (client/testing/fake_relay.h): apps of both roles in a temporary
// directory, and a guard against a deadlocked call.
#ifndef CONFIDANT_TESTS_CLIENT_APP_FAKE_FIXTURE_H_
#define CONFIDANT_TESTS_CLIENT_APP_FAKE_FIXTURE_H_

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "client/app/app.h"
#include "client/messenger.h"
#include "client/testing/fake_relay.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace confidant::client {

using ::confidant::testing::TempDir;

// Runs `f` on a thread of its own. A deadlocked thread cannot be freed: if
// `f` has not returned after `timeout`, the whole test binary fails.
inline void FinishesOrDie(std::function<void()> f, absl::Duration timeout,
                          const char* what) {
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  std::thread runner([&] {
    f();
    done.set_value();
  });
  if (finished.wait_for(absl::ToChronoNanoseconds(timeout)) !=
      std::future_status::ready) {
    std::fprintf(stderr, "FAILED: %s did not finish (deadlock)\n", what);
    std::fflush(stderr);
    std::_Exit(1);
  }
  runner.join();
}

inline constexpr char kPassphrase[] = "correct horse battery staple";
inline constexpr crypto::Argon2Params kCheapArgon2 = {1, 8192, 1};

class AppFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto relay = FakeRelay::Create();
    ASSERT_TRUE(relay.ok()) << relay.status();
    relay_ = *std::move(relay);
    auto org = relay_->CreateOrganisation("Gemeente Voorbeeld");
    ASSERT_TRUE(org.ok()) << org.status();
    org_ = *std::move(org);
  }

  virtual AppOptions Options() {
    AppOptions options;
    options.argon2 = kCheapArgon2;
    options.make_transport = [this](const ConnectionSettings&)
        -> absl::StatusOr<std::unique_ptr<RelayTransport>> {
      return relay_->NewTransport();
    };
    options.messenger.receipt_delay_min = absl::ZeroDuration();
    options.messenger.receipt_delay_max = absl::ZeroDuration();
    options.reconnect_min = absl::Milliseconds(20);
    options.reconnect_max = absl::Milliseconds(100);
    return options;
  }

  std::unique_ptr<App> TrustPerson(const std::string& name) {
    return TrustPerson(name, Options());
  }
  std::unique_ptr<App> TrustPerson(const std::string& name,
                                   AppOptions options) {
    auto invite = relay_->CreateInvite({org_.organisation.id});
    EXPECT_TRUE(invite.ok()) << invite.status();
    TrustPersonProfile profile;
    profile.display_name = "Anna de Vries";
    profile.affiliation = Affiliation::kExternal;
    profile.languages = {"nl"};
    auto app = App::Enroll(dir_.path() + "/" + name, kPassphrase,
                           ConnectionSettings{}, invite.value_or(""), profile,
                           relay_->RootFingerprint(), std::move(options));
    EXPECT_TRUE(app.ok()) << app.status();
    return app.ok() ? *std::move(app) : nullptr;
  }

  std::unique_ptr<App> Employee(const std::string& name) {
    auto app =
        App::Join(dir_.path() + "/" + name, kPassphrase, ConnectionSettings{},
                  org_.access_code, relay_->RootFingerprint(), Options());
    EXPECT_TRUE(app.ok()) << app.status();
    return app.ok() ? *std::move(app) : nullptr;
  }

  std::vector<std::string> Bodies(App& app, const std::string& case_id) {
    absl::StatusOr<std::vector<CaseMessage>> messages = app.Read(case_id);
    EXPECT_TRUE(messages.ok()) << messages.status();
    std::vector<std::string> out;
    for (const CaseMessage& m : messages.value_or(std::vector<CaseMessage>{})) {
      out.push_back(m.body);
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<FakeRelay> relay_;
  FakeRelay::CreatedOrganisation org_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_TESTS_CLIENT_APP_FAKE_FIXTURE_H_
