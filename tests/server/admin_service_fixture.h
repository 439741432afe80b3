// What the admin service's tests share (admin_service_test.cc,
// admin_server_test.cc, admin_cli_test.cc): a fake clock and randomness, a
// temporary directory, stored codes and accounts as the relay stores them,
// and the fixture that serves the admin API on its Unix socket over the
// in-memory storage, with a client stub.
#ifndef CONFIDANT_TESTS_SERVER_ADMIN_SERVICE_FIXTURE_H_
#define CONFIDANT_TESTS_SERVER_ADMIN_SERVICE_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "confidant/v1/admin.grpc.pb.h"
#include "server/admin_service.h"
#include "server/codes.h"
#include "server/storage/memory_storage.h"
#include "server/storage/storage.h"

namespace confidant::server::admin_testing {

using ::testing::Test;

constexpr absl::CivilSecond kStartCivil(2024, 3, 1, 10, 30, 0);

// The fake clock's start: 1 March 2024, 10:30 UTC.
inline absl::Time Start() {
  return absl::FromCivil(kStartCivil, absl::UTCTimeZone());
}

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The stored hash of `code`, normalised, in `domain`.
std::string CodeHash(std::string_view domain, const std::string& code);

// Binds a Unix socket at `path` and closes it: a socket file nobody serves.
void MakeStaleSocket(const std::string& path);

// A trust person's account whose id is `fill` repeated.
AccountRecord TrustPerson(char fill);

class AdminServiceTest : public Test {
 protected:
  void SetUp() override {
    storage_ = NewMemoryStorage();
    absl::StatusOr<std::unique_ptr<AdminServer>> server =
        AdminServer::Start(dir_.path(), *storage_, clock_, random_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::Admin::NewStub(grpc::CreateChannel(
        "unix:" + server_->socket_path(), grpc::InsecureChannelCredentials()));
  }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (v1::Admin::Stub::*method)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    return ((*stub_).*method)(&context, request, response);
  }

  grpc::Status CreateOrg(const std::string& name,
                         v1::CreateOrganisationResponse* response) {
    v1::CreateOrganisationRequest request;
    request.set_name(name);
    return Call(&v1::Admin::Stub::CreateOrganisation, request, response);
  }

  v1::CreateOrganisationResponse MustCreateOrg(const std::string& name) {
    v1::CreateOrganisationResponse response;
    const grpc::Status status = CreateOrg(name, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status CreateInvite(const std::vector<std::string>& orgs,
                            uint32_t valid_days,
                            v1::CreateInviteResponse* response) {
    v1::CreateInviteRequest request;
    for (const std::string& org : orgs) request.add_organisations(org);
    request.set_valid_days(valid_days);
    return Call(&v1::Admin::Stub::CreateInvite, request, response);
  }

  v1::ListOrganisationsResponse MustList() {
    v1::ListOrganisationsResponse response;
    const grpc::Status status = Call(&v1::Admin::Stub::ListOrganisations,
                                     v1::ListOrganisationsRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  v1::GetStatsResponse MustStats() {
    v1::GetStatsResponse response;
    const grpc::Status status =
        Call(&v1::Admin::Stub::GetStats, v1::GetStatsRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status Backup(const std::string& target) {
    v1::BackupRequest request;
    request.set_target_dir(target);
    v1::BackupResponse response;
    return Call(&v1::Admin::Stub::Backup, request, &response);
  }

  // The organisation the stored access code `code` belongs to.
  absl::StatusOr<OrganisationRecord> FindByCode(const std::string& code) {
    return storage_->organisations().FindByAccessCode(
        CodeHash(kAccessCodeDomain, code));
  }

  absl::StatusOr<AccountRecord> UseInvite(const std::string& code,
                                          uint32_t now_hour, char fill) {
    return storage_->accounts().CreateWithInvite(CodeHash(kInviteDomain, code),
                                                 now_hour, TrustPerson(fill));
  }

  std::vector<std::string> Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data-dir", dir_.path()});
    return args;
  }

  TempDir dir_;
  base::FakeClock clock_{Start()};
  base::FakeRandom random_{42};
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<AdminServer> server_;
  std::unique_ptr<v1::Admin::Stub> stub_;
};

}  // namespace confidant::server::admin_testing

#endif  // CONFIDANT_TESTS_SERVER_ADMIN_SERVICE_FIXTURE_H_
