// The relay's admin service (server/admin_service.h) over its Unix socket:
// organisations and their access codes, invites, stats and backups, each
// checked against what the storage then holds.
#include "server/admin_service.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "confidant/v1/admin.grpc.pb.h"
#include "server/codes.h"
#include "server/storage/rocksdb_storage.h"
#include "tests/server/admin_service_fixture.h"

namespace confidant::server::admin_testing {
namespace {

TEST_F(AdminServiceTest, CreateOrganisationReturnsCodeThatIsStoredHashed) {
  v1::CreateOrganisationResponse response = MustCreateOrg("Acme BV");
  const v1::Organisation& org = response.organisation();
  EXPECT_EQ(org.name(), "Acme BV");
  EXPECT_EQ(org.id().size(), 16u);
  EXPECT_EQ(org.id().find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(org.created_day(), "2024-03-01");
  EXPECT_EQ(org.trust_person_count(), 0u);
  EXPECT_EQ(response.access_code().size(), 4u * 5 + 3);

  absl::StatusOr<OrganisationRecord> found = FindByCode(response.access_code());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->id, org.id());
  EXPECT_FALSE(
      storage_->organisations().FindByAccessCode(response.access_code()).ok());
}

TEST_F(AdminServiceTest, DuplicateNameIgnoringCaseIsAlreadyExists) {
  MustCreateOrg("Acme BV");
  v1::CreateOrganisationResponse response;
  grpc::Status status = CreateOrg("ACME bv", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "already exists"))
      << status.error_message();
  EXPECT_EQ(MustList().organisations_size(), 1);
}

TEST_F(AdminServiceTest, InvalidNamesAreRejected) {
  const std::vector<std::string> bad = {
      "",
      std::string(121, 'a'),
      "Acme\nBV",
      "Acme\tBV",
      std::string("Acme\0BV", 7),
      "Acme\x7f",
      "Acme \xc2\x85",      // NEL, a C1 control character
      "Acme \xe2\x80\xa8",  // LINE SEPARATOR
      "Acme\xe2\x80\x8b",   // ZERO WIDTH SPACE, a format character (Cf)
      "\xef\xbb\xbf"
      "Acme",               // BYTE ORDER MARK
      "Acme \xe2\x80\x8f",  // RIGHT-TO-LEFT MARK
      "Acme \xe2\x80\xae",  // RIGHT-TO-LEFT OVERRIDE
  };
  for (const std::string& name : bad) {
    v1::CreateOrganisationResponse response;
    const grpc::Status status = CreateOrg(name, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "name of " << name.size() << " bytes";
    EXPECT_TRUE(absl::StrContains(status.error_message(), "organisation name"))
        << status.error_message();
  }
  EXPECT_EQ(MustList().organisations_size(), 0);
  MustCreateOrg(std::string(120, 'a'));
  MustCreateOrg("Zorggroep \xc3\x89\xc3\xa9n \xe2\x80\x94 Noord");
  EXPECT_EQ(MustList().organisations_size(), 2);
}

// Protobuf refuses such strings on the wire; the service checks them too.
TEST(AdminServiceImplTest, NamesThatAreNotUtf8AreRejected) {
  std::unique_ptr<Storage> storage = NewMemoryStorage();
  base::FakeClock clock(Start());
  base::FakeRandom random(1);
  AdminServiceImpl service(*storage, clock, random);
  for (const std::string& name : {
           std::string("Acme \xff"),
           std::string("Acme \xc0\xaf"),          // overlong encoding
           std::string("Acme \xed\xa0\x80"),      // surrogate
           std::string("Acme \xf4\x90\x80\x80"),  // beyond U+10FFFF
           std::string("Acme \xe2\x82"),          // truncated sequence
       }) {
    grpc::ServerContext context;
    v1::CreateOrganisationRequest request;
    request.set_name(name);
    v1::CreateOrganisationResponse response;
    const grpc::Status status =
        service.CreateOrganisation(&context, &request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(status.error_message(), "UTF-8"))
        << status.error_message();
  }
  EXPECT_TRUE(storage->organisations().List()->empty());
}

TEST_F(AdminServiceTest, ListShowsOrganisationsByName) {
  const std::string beta = MustCreateOrg("Beta").organisation().id();
  clock_.Advance(absl::Hours(24));
  const std::string alpha = MustCreateOrg("Alpha").organisation().id();
  v1::ListOrganisationsResponse list = MustList();
  ASSERT_EQ(list.organisations_size(), 2);
  EXPECT_EQ(list.organisations(0).id(), alpha);
  EXPECT_EQ(list.organisations(0).name(), "Alpha");
  EXPECT_EQ(list.organisations(0).created_day(), "2024-03-02");
  EXPECT_EQ(list.organisations(1).id(), beta);
  EXPECT_EQ(list.organisations(1).created_day(), "2024-03-01");
}

TEST_F(AdminServiceTest, RotateAccessCodeReplacesTheOldOne) {
  v1::CreateOrganisationResponse created = MustCreateOrg("Acme BV");
  const std::string id = created.organisation().id();

  v1::RotateAccessCodeRequest request;
  request.set_organisation(id);
  v1::RotateAccessCodeResponse rotated;
  grpc::Status status =
      Call(&v1::Admin::Stub::RotateAccessCode, request, &rotated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(rotated.organisation().id(), id);
  EXPECT_NE(rotated.access_code(), created.access_code());
  EXPECT_TRUE(absl::IsNotFound(FindByCode(created.access_code()).status()));
  absl::StatusOr<OrganisationRecord> found = FindByCode(rotated.access_code());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->id, id);

  request.set_organisation("Acme BV");
  v1::RotateAccessCodeResponse by_name;
  status = Call(&v1::Admin::Stub::RotateAccessCode, request, &by_name);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(absl::IsNotFound(FindByCode(rotated.access_code()).status()));
  EXPECT_TRUE(FindByCode(by_name.access_code()).ok());
}

TEST_F(AdminServiceTest, RotateAccessCodeOfUnknownOrganisationFails) {
  MustCreateOrg("Acme BV");
  v1::RotateAccessCodeRequest request;
  v1::RotateAccessCodeResponse response;
  request.set_organisation("acme bv");
  grpc::Status status =
      Call(&v1::Admin::Stub::RotateAccessCode, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "did you mean"))
      << status.error_message();

  request.set_organisation("0123456789abcdef");
  status = Call(&v1::Admin::Stub::RotateAccessCode, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  request.set_organisation("");
  status = Call(&v1::Admin::Stub::RotateAccessCode, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AdminServiceTest, InviteForTwoOrganisationsWorksExactlyOnce) {
  const std::string acme = MustCreateOrg("Acme BV").organisation().id();
  const std::string beta = MustCreateOrg("Beta").organisation().id();

  v1::CreateInviteResponse invite;
  const grpc::Status status = CreateInvite({acme, "Beta"}, 0, &invite);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(invite.invite_code().size(), 5u * 5 + 4);
  ASSERT_EQ(invite.organisations_size(), 2);
  EXPECT_EQ(invite.organisations(0).id(), acme);
  EXPECT_EQ(invite.organisations(1).id(), beta);
  EXPECT_EQ(invite.expires(), "2024-03-08T10:00:00Z");
  EXPECT_EQ(MustStats().open_invites(), 1u);

  absl::StatusOr<AccountRecord> account =
      UseInvite(invite.invite_code(), clock_.NowHour(), 'a');
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->organisation_ids, (std::vector<std::string>{acme, beta}));
  EXPECT_TRUE(absl::IsNotFound(
      UseInvite(invite.invite_code(), clock_.NowHour(), 'b').status()));
  // An invite is no access code, and the other way round.
  EXPECT_FALSE(FindByCode(invite.invite_code()).ok());

  v1::ListOrganisationsResponse list = MustList();
  ASSERT_EQ(list.organisations_size(), 2);
  EXPECT_EQ(list.organisations(0).trust_person_count(), 1u);
  EXPECT_EQ(list.organisations(1).trust_person_count(), 1u);
  EXPECT_EQ(MustStats().open_invites(), 0u);
}

TEST_F(AdminServiceTest, InviteExpiresAfterItsValidDays) {
  const std::string acme = MustCreateOrg("Acme BV").organisation().id();
  const uint32_t now = clock_.NowHour();

  v1::CreateInviteResponse week1, week2, day1, day2;
  ASSERT_TRUE(CreateInvite({acme}, 0, &week1).ok());
  ASSERT_TRUE(CreateInvite({acme}, 7, &week2).ok());
  ASSERT_TRUE(CreateInvite({acme}, 1, &day1).ok());
  ASSERT_TRUE(CreateInvite({acme}, 1, &day2).ok());
  EXPECT_EQ(day1.expires(), "2024-03-02T10:00:00Z");

  EXPECT_TRUE(UseInvite(week1.invite_code(), now + 7 * 24 - 1, 'a').ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      UseInvite(week2.invite_code(), now + 7 * 24, 'b').status()));
  EXPECT_TRUE(UseInvite(day1.invite_code(), now + 23, 'c').ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      UseInvite(day2.invite_code(), now + 24, 'd').status()));

  v1::CreateInviteResponse month;
  ASSERT_TRUE(CreateInvite({acme}, 30, &month).ok());
  EXPECT_EQ(month.expires(), "2024-03-31T10:00:00Z");
}

TEST_F(AdminServiceTest, InviteWithUnknownOrganisationStoresNothing) {
  const std::string acme = MustCreateOrg("Acme BV").organisation().id();
  v1::CreateInviteResponse invite;
  const grpc::Status status = CreateInvite({acme, "Nobody"}, 0, &invite);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "Nobody"))
      << status.error_message();
  EXPECT_EQ(MustStats().open_invites(), 0u);
}

TEST_F(AdminServiceTest, InviteArgumentsAreValidated) {
  const std::string acme = MustCreateOrg("Acme BV").organisation().id();
  v1::CreateInviteResponse invite;
  EXPECT_EQ(CreateInvite({}, 0, &invite).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      CreateInvite(std::vector<std::string>(51, acme), 0, &invite).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  const grpc::Status too_long = CreateInvite({acme}, 31, &invite);
  EXPECT_EQ(too_long.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(too_long.error_message(), "valid_days"))
      << too_long.error_message();
  EXPECT_EQ(CreateInvite({acme, ""}, 0, &invite).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(MustStats().open_invites(), 0u);

  // The same organisation twice (by id and by name) is named once.
  ASSERT_TRUE(
      CreateInvite(std::vector<std::string>(50, acme), 0, &invite).ok());
  ASSERT_TRUE(CreateInvite({acme, "Acme BV"}, 0, &invite).ok());
  EXPECT_EQ(invite.organisations_size(), 1);
}

TEST_F(AdminServiceTest, StatsCountWhatIsStored) {
  v1::GetStatsResponse empty = MustStats();
  EXPECT_EQ(empty.organisations(), 0u);
  EXPECT_EQ(empty.employee_accounts(), 0u);
  EXPECT_EQ(empty.bytes_on_disk(), 0u);

  const std::string acme = MustCreateOrg("Acme BV").organisation().id();
  MustCreateOrg("Beta");
  v1::CreateInviteResponse used, open;
  ASSERT_TRUE(CreateInvite({acme}, 0, &used).ok());
  ASSERT_TRUE(CreateInvite({acme}, 0, &open).ok());
  ASSERT_TRUE(UseInvite(used.invite_code(), clock_.NowHour(), 't').ok());

  AccountRecord employee;
  employee.id = std::string(kAccountIdSize, 'e');
  employee.kind = v1::ACCOUNT_KIND_EMPLOYEE;
  employee.secret_hash = std::string(kHashSize, 's');
  employee.organisation_ids = {acme};
  ASSERT_TRUE(storage_->accounts().Create(employee).ok());
  const MailboxId mailbox{std::string(kAccountIdSize, 't'), 1};
  ASSERT_TRUE(
      storage_->mailboxes().Append(mailbox, "one", clock_.NowHour(), 10).ok());
  ASSERT_TRUE(
      storage_->mailboxes().Append(mailbox, "two", clock_.NowHour(), 10).ok());

  v1::GetStatsResponse stats = MustStats();
  EXPECT_EQ(stats.organisations(), 2u);
  EXPECT_EQ(stats.employee_accounts(), 1u);
  EXPECT_EQ(stats.trust_person_accounts(), 1u);
  EXPECT_EQ(stats.queued_envelopes(), 2u);
  EXPECT_EQ(stats.open_invites(), 1u);
  EXPECT_EQ(stats.bytes_on_disk(), 0u);

  clock_.Advance(absl::Hours(7 * 24));
  EXPECT_EQ(MustStats().open_invites(), 0u);
}

TEST_F(AdminServiceTest, BackupChecksItsTargetAndNeedsADiskStore) {
  const std::string target = dir_.path() + "/backup";
  grpc::Status status = Backup(target);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "backup failed: "))
      << status.error_message();
  EXPECT_FALSE(std::filesystem::exists(target));

  status = Backup("relative/backup");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "absolute"))
      << status.error_message();
  EXPECT_EQ(Backup("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Backup(dir_.path()).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  status = Backup(dir_.path() + "/missing/backup");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "does not exist"))
      << status.error_message();
  EXPECT_EQ(MustStats().organisations(), 0u);
}

TEST(AdminServerTest, BackupOfADiskStoreCanBeOpened) {
  TempDir dir;
  base::FakeClock clock(Start());
  base::FakeRandom random(1);
  std::string code;
  {
    absl::StatusOr<std::unique_ptr<Storage>> storage =
        OpenRocksDbStorage(dir.path() + "/db");
    ASSERT_TRUE(storage.ok()) << storage.status();
    AdminServiceImpl service(**storage, clock, random);
    grpc::ServerContext create_context;
    v1::CreateOrganisationRequest create;
    create.set_name("Acme BV");
    v1::CreateOrganisationResponse created;
    ASSERT_TRUE(
        service.CreateOrganisation(&create_context, &create, &created).ok());
    code = created.access_code();

    grpc::ServerContext backup_context;
    v1::BackupRequest backup;
    backup.set_target_dir(dir.path() + "/backup/");
    v1::BackupResponse written;
    const grpc::Status status =
        service.Backup(&backup_context, &backup, &written);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(written.target_dir(), dir.path() + "/backup");
    EXPECT_GT(written.bytes(), 0u);
  }
  absl::StatusOr<std::unique_ptr<Storage>> restored =
      OpenRocksDbStorage(dir.path() + "/backup", {.create_if_missing = false});
  ASSERT_TRUE(restored.ok()) << restored.status();
  absl::StatusOr<OrganisationRecord> org =
      (*restored)->organisations().FindByAccessCode(
          CodeHash(kAccessCodeDomain, code));
  ASSERT_TRUE(org.ok()) << org.status();
  EXPECT_EQ(org->name, "Acme BV");
}

}  // namespace
}  // namespace confidant::server::admin_testing
