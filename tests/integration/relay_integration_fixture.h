// What the tests of the real confidant-relay binary over loopback share
// (relay_integration_test.cc, relay_refusals_test.cc,
// relay_certificates_test.cc): a gRPC client of every service with one call
// per operation, and the fixture that starts the relay on port 0 with a
// temporary data directory and drives the real confidant-admin tool.
#ifndef CONFIDANT_TESTS_INTEGRATION_RELAY_INTEGRATION_FIXTURE_H_
#define CONFIDANT_TESTS_INTEGRATION_RELAY_INTEGRATION_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "confidant/v1/relay.grpc.pb.h"
#include "crypto/sender_certificate.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_json.h"
#include "tests/testing/test_util.h"

namespace confidant::relay_testing {

namespace fs = std::filesystem;
using ::confidant::testing::CommandResult;
using ::confidant::testing::RelayProcess;
using ::confidant::testing::RunCommand;
using ::confidant::testing::TempDir;
using ::confidant::testing::XeddsaTestKey;

struct Account {
  std::string id;
  std::string secret;
  std::unique_ptr<XeddsaTestKey> identity = std::make_unique<XeddsaTestKey>();
  std::string organisation_name;
};

class Client {
 public:
  explicit Client(const std::string& address,
                  std::shared_ptr<grpc::ChannelCredentials> creds =
                      grpc::InsecureChannelCredentials(),
                  const grpc::ChannelArguments& args = {})
      : channel_(grpc::CreateCustomChannel(address, creds, args)),
        accounts(v1::Accounts::NewStub(channel_)),
        keys(v1::Keys::NewStub(channel_)),
        directory(v1::Directory::NewStub(channel_)),
        certificates(v1::Certificates::NewStub(channel_)),
        mailbox(v1::Mailbox::NewStub(channel_)),
        health(grpc::health::v1::Health::NewStub(channel_)) {}

  std::shared_ptr<grpc::Channel> channel() { return channel_; }

  // Adds `a`'s credentials and a deadline of 20 s to `ctx`.
  static void Auth(grpc::ClientContext* ctx, const Account& a);

  // OK if the relay's health service says SERVING, else why not.
  grpc::StatusCode HealthStatus();

  // Registers with `req`; on success fills `out`'s id, secret and first
  // organisation.
  grpc::Status Register(const v1::RegisterRequest& req, Account* out);

  grpc::Status UploadKeys(const Account& a, const v1::UploadKeysRequest& req,
                          v1::UploadKeysResponse* resp = nullptr);

  // A full first upload: identity, signed pre-key and `one_time` keys with ids
  // first_id, first_id+1, ...
  grpc::Status UploadInitialKeys(const Account& a, int one_time,
                                 uint32_t first_id = 1);

  // `caller` takes `target`'s pre-key bundle for device 1.
  grpc::Status Bundle(const Account& caller, const Account& target,
                      v1::GetPreKeyBundleResponse* resp);

  // An envelope `content` from `from` to `to`'s device 1; its seq in `seq`.
  grpc::Status Send(const Account& from, const Account& to,
                    const std::string& content, uint64_t* seq = nullptr);

  // Acknowledges `seqs` for `a`'s device 1; how many were deleted in
  // `deleted`.
  grpc::Status Ack(const Account& a, const std::vector<uint64_t>& seqs,
                   uint32_t* deleted = nullptr);

  // The relay's published chain, as the crypto layer takes it.
  std::vector<crypto::RelayPublicKey> RelayKeys();

  // A sender certificate for `a` (no credentials if null) in `out`.
  grpc::Status Certificate(const Account* a, std::string* out);

  // Reads the queued envelopes up to the queue_empty marker.
  grpc::Status Drain(const Account& a, std::vector<v1::Envelope>* out);

 private:
  std::shared_ptr<grpc::Channel> channel_;

 public:
  std::unique_ptr<v1::Accounts::Stub> accounts;
  std::unique_ptr<v1::Keys::Stub> keys;
  std::unique_ptr<v1::Directory::Stub> directory;
  std::unique_ptr<v1::Certificates::Stub> certificates;
  std::unique_ptr<v1::Mailbox::Stub> mailbox;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
};

class RelayIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { StartRelay({}); }

  void StartRelay(std::vector<std::string> extra_args) {
    data_dir_ = dir_.path() + "/relay";
    relay_ = std::make_unique<RelayProcess>(CONFIDANT_RELAY_BIN, data_dir_,
                                            std::move(extra_args));
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    client_ = std::make_unique<Client>(relay_->address());
  }

  void Restart(bool kill) {
    if (kill) {
      relay_->Kill();
    } else {
      ASSERT_EQ(relay_->Stop(), 0) << relay_->Log();
    }
    ASSERT_TRUE(relay_->Start()) << relay_->Log();
    client_ = std::make_unique<Client>(relay_->address());
  }

  CommandResult Admin(std::vector<std::string> args) {
    std::vector<std::string> argv = {CONFIDANT_ADMIN_BIN, "--data-dir",
                                     data_dir_, "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  template <typename Message>
  Message AdminJson(std::vector<std::string> args) {
    return ::confidant::testing::AdminJson<Message>(CONFIDANT_ADMIN_BIN,
                                                    data_dir_, std::move(args));
  }

  // An organisation with a trust person (keys uploaded) and an employee.
  void SetUpOrganisation(const std::string& name, Account* trust_person,
                         Account* employee, int one_time_keys = 5);

  TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<RelayProcess> relay_;
  std::unique_ptr<Client> client_;
};

}  // namespace confidant::relay_testing

#endif  // CONFIDANT_TESTS_INTEGRATION_RELAY_INTEGRATION_FIXTURE_H_
