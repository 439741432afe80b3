#include "server/admin_service.h"

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "confidant/v1/admin.grpc.pb.h"
#include "server/codes.h"
#include "server/storage/memory_storage.h"
#include "server/storage/rocksdb_storage.h"

namespace confidant::server {
namespace {

using ::testing::Test;

constexpr absl::CivilSecond kStartCivil(2024, 3, 1, 10, 30, 0);

absl::Time Start() { return absl::FromCivil(kStartCivil, absl::UTCTimeZone()); }

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = absl::StrCat(
        base != nullptr && *base != '\0' ? base : "/tmp", "/admin_test.XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed: " << std::strerror(errno);
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs confidant-admin with `args`, the test's environment without
// CONFIDANT_DATA_DIR plus `extra_env`, in `cwd` if given.
CommandResult RunAdmin(const std::vector<std::string>& args,
                       const std::vector<std::string>& extra_env = {},
                       const std::string& cwd = "") {
  CommandResult result;
  TempDir io;
  const std::string out_path = io.path() + "/out";
  const std::string err_path = io.path() + "/err";

  std::vector<std::string> argv_storage = {CONFIDANT_ADMIN_BIN};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_storage.size() + 1);
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!absl::StartsWith(*e, "CONFIDANT_DATA_DIR=")) env_storage.push_back(*e);
  }
  env_storage.insert(env_storage.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  envp.reserve(env_storage.size() + 1);
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  }
  pid_t pid = 0;
  const int spawn_error =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    ADD_FAILURE() << "cannot start " << argv[0] << ": "
                  << std::strerror(spawn_error);
    return result;
  }

  int wstatus = 0;
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (waitpid(pid, &wstatus, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > give_up) {
      kill(pid, SIGKILL);
      waitpid(pid, &wstatus, 0);
      ADD_FAILURE() << "confidant-admin did not finish within 60 s";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(wstatus)) result.exit_code = WEXITSTATUS(wstatus);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

std::string CodeHash(std::string_view domain, const std::string& code) {
  absl::StatusOr<std::string> normalised = NormaliseCode(code);
  EXPECT_TRUE(normalised.ok()) << normalised.status();
  return DomainHash(domain, normalised.ok() ? *normalised : "");
}

// Binds a Unix socket at `path` and closes it: a socket file nobody serves.
void MakeStaleSocket(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof(addr.sun_path));
  std::memcpy(addr.sun_path, path.data(), path.size());
  ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0)
      << std::strerror(errno);
  close(fd);
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

AccountRecord TrustPerson(char fill) {
  AccountRecord account;
  account.id = std::string(kAccountIdSize, fill);
  account.kind = v1::ACCOUNT_KIND_TRUST_PERSON;
  account.secret_hash = std::string(kHashSize, 's');
  account.profile.set_display_name("Trust Person");
  account.profile.set_affiliation(v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
  return account;
}

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

TEST_F(AdminServiceTest, SocketIsPrivate) {
  EXPECT_EQ(server_->socket_path(), dir_.path() + "/admin/admin.sock");
  EXPECT_EQ(AdminSocketPath(dir_.path() + "/"), server_->socket_path());
  EXPECT_EQ(ModeOf(server_->socket_path()), 0600);
  EXPECT_EQ(ModeOf(dir_.path() + "/admin"), 0700);
}

TEST_F(AdminServiceTest, SecondServerOnTheSameSocketIsRefused) {
  absl::StatusOr<std::unique_ptr<AdminServer>> second =
      AdminServer::Start(dir_.path(), *storage_, clock_, random_);
  EXPECT_TRUE(absl::IsFailedPrecondition(second.status())) << second.status();
  EXPECT_EQ(MustStats().organisations(), 0u);
}

TEST_F(AdminServiceTest, ShutdownIsIdempotentAndRemovesTheSocket) {
  server_->Shutdown();
  server_->Shutdown();
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/admin/admin.sock"));
  v1::GetStatsResponse stats;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  EXPECT_FALSE(stub_->GetStats(&context, v1::GetStatsRequest(), &stats).ok());
}

TEST(AdminServerTest, StartFixesModesAndReplacesAStaleSocket) {
  TempDir dir;
  const std::string admin_dir = dir.path() + "/admin";
  ASSERT_EQ(mkdir(admin_dir.c_str(), 0755), 0);
  ASSERT_EQ(chmod(admin_dir.c_str(), 0755), 0);
  MakeStaleSocket(admin_dir + "/admin.sock");
  std::unique_ptr<Storage> storage = NewMemoryStorage();
  base::FakeClock clock(Start());
  base::FakeRandom random(1);

  absl::StatusOr<std::unique_ptr<AdminServer>> server =
      AdminServer::Start(dir.path(), *storage, clock, random);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(ModeOf(admin_dir), 0700);
  EXPECT_EQ(ModeOf(admin_dir + "/admin.sock"), 0600);

  auto stub = v1::Admin::NewStub(grpc::CreateChannel(
      "unix:" + (*server)->socket_path(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::GetStatsResponse stats;
  EXPECT_TRUE(stub->GetStats(&context, v1::GetStatsRequest(), &stats).ok());
}

TEST(AdminServerTest, StartRejectsUnusablePaths) {
  std::unique_ptr<Storage> storage = NewMemoryStorage();
  base::FakeClock clock(Start());
  base::FakeRandom random(1);
  TempDir dir;

  const std::string long_dir = dir.path() + "/" + std::string(100, 'd');
  ASSERT_EQ(mkdir(long_dir.c_str(), 0700), 0);
  absl::StatusOr<std::unique_ptr<AdminServer>> server =
      AdminServer::Start(long_dir, *storage, clock, random);
  EXPECT_TRUE(absl::IsInvalidArgument(server.status())) << server.status();
  EXPECT_TRUE(absl::StrContains(server.status().message(), "shorter"));
  EXPECT_FALSE(std::filesystem::exists(long_dir + "/admin"));

  server = AdminServer::Start(dir.path() + "/missing", *storage, clock, random);
  EXPECT_TRUE(absl::IsFailedPrecondition(server.status())) << server.status();

  ASSERT_EQ(mkdir((dir.path() + "/admin").c_str(), 0700), 0);
  std::ofstream(dir.path() + "/admin/admin.sock") << "not a socket";
  server = AdminServer::Start(dir.path(), *storage, clock, random);
  EXPECT_TRUE(absl::IsFailedPrecondition(server.status())) << server.status();
}

// The confidant-admin binary against the server of the fixture.

TEST_F(AdminServiceTest, CliCreatesOrganisationAsJson) {
  CommandResult run = RunAdmin(Cli({"--json", "org", "create", "Acme BV"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  v1::CreateOrganisationResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &response).ok())
      << run.out;
  EXPECT_EQ(response.organisation().name(), "Acme BV");
  EXPECT_TRUE(absl::StrContains(run.out, "\"access_code\""));
  absl::StatusOr<OrganisationRecord> found = FindByCode(response.access_code());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->id, response.organisation().id());
}

TEST_F(AdminServiceTest, CliListsOrganisationsAsJson) {
  MustCreateOrg("Acme BV");
  MustCreateOrg("Beta");
  CommandResult run = RunAdmin(Cli({"org", "list", "--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  v1::ListOrganisationsResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &response).ok())
      << run.out;
  ASSERT_EQ(response.organisations_size(), 2);
  EXPECT_EQ(response.organisations(0).name(), "Acme BV");
  EXPECT_TRUE(absl::StrContains(run.out, "\"trust_person_count\":0"))
      << run.out;

  run = RunAdmin(Cli({"org", "list"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "Acme BV")) << run.out;
  EXPECT_TRUE(absl::StrContains(run.out, "2024-03-01")) << run.out;
}

TEST_F(AdminServiceTest, CliCreatesInviteByNameAndId) {
  MustCreateOrg("Acme BV");
  const std::string beta = MustCreateOrg("Beta").organisation().id();
  CommandResult run =
      RunAdmin(Cli({"--json", "invite", "create", "--org", "Acme BV", "--org",
                    beta, "--valid-days", "3"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  v1::CreateInviteResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &response).ok())
      << run.out;
  ASSERT_EQ(response.organisations_size(), 2);
  EXPECT_EQ(response.organisations(1).id(), beta);
  EXPECT_EQ(response.expires(), "2024-03-04T10:00:00Z");
  EXPECT_TRUE(UseInvite(response.invite_code(), clock_.NowHour(), 'a').ok());

  run = RunAdmin(Cli({"invite", "create", "--org", beta}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "Geldig tot: 2024-03-08T10:00:00Z"))
      << run.out;
}

TEST_F(AdminServiceTest, CliPrintsStats) {
  MustCreateOrg("Acme BV");
  CommandResult run = RunAdmin(Cli({"--json", "stats"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  v1::GetStatsResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &response).ok())
      << run.out;
  EXPECT_EQ(response.organisations(), 1u);
  EXPECT_TRUE(absl::StrContains(run.out, "\"queued_envelopes\"")) << run.out;

  run = RunAdmin({"stats"}, {"CONFIDANT_DATA_DIR=" + dir_.path()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "Organisaties")) << run.out;
}

TEST_F(AdminServiceTest, CliHumanOutputShowsTheCode) {
  CommandResult run = RunAdmin(Cli({"org", "create", "Acme BV"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string marker = "Toegangscode: ";
  const size_t at = run.out.find(marker);
  ASSERT_NE(at, std::string::npos) << run.out;
  const std::string code = run.out.substr(at + marker.size(), 4 * 5 + 3);
  EXPECT_TRUE(FindByCode(code).ok()) << run.out;
  EXPECT_TRUE(absl::StrContains(run.out, "all staff")) << run.out;

  run = RunAdmin(Cli({"org", "rotate-code", "Acme BV"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(FindByCode(code).ok());
  const size_t new_at = run.out.find(marker);
  ASSERT_NE(new_at, std::string::npos) << run.out;
  EXPECT_TRUE(
      FindByCode(run.out.substr(new_at + marker.size(), 4 * 5 + 3)).ok())
      << run.out;
}

TEST_F(AdminServiceTest, CliReportsRefusalsOnOneLine) {
  MustCreateOrg("Acme BV");
  CommandResult run = RunAdmin(Cli({"org", "create", "acme bv"}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(absl::StrContains(run.err, "already exists")) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;

  run = RunAdmin(Cli({"org", "rotate-code", "Nobody"}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(run.err, "no organisation")) << run.err;

  TempDir cwd;
  run = RunAdmin(Cli({"backup", "relative"}), {}, cwd.path());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(run.err, "backup failed")) << run.err;
  EXPECT_EQ(MustStats().organisations(), 1u);
}

TEST_F(AdminServiceTest, CliBadUsageExitsTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           Cli({"frobnicate"}),
           Cli({}),
           Cli({"org"}),
           Cli({"org", "frobnicate"}),
           Cli({"invite"}),
           Cli({"org", "create"}),
           Cli({"invite", "create"}),
           Cli({"invite", "create", "--org", "x", "--valid-days", "31"}),
           {"stats"},
       }) {
    CommandResult run = RunAdmin(args);
    EXPECT_EQ(run.exit_code, 2) << args.back() << ": " << run.err;
    EXPECT_TRUE(absl::StrContains(run.err, "Usage")) << run.err;
  }
  CommandResult help = RunAdmin({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(help.out, "backup")) << help.out;
}

TEST(AdminCliTest, WithoutARelayExitsOne) {
  TempDir dir;
  CommandResult run = RunAdmin({"--data-dir", dir.path(), "stats"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(absl::StrContains(
      run.err, "no relay is running for data directory " + dir.path()))
      << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "not found")) << run.err;

  run = RunAdmin({"--data-dir", dir.path(), "org"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, "a command is required")) << run.err;
  run = RunAdmin({"--data-dir", "", "stats"});
  EXPECT_EQ(run.exit_code, 2) << run.err;

  ASSERT_EQ(mkdir((dir.path() + "/admin").c_str(), 0700), 0);
  MakeStaleSocket(dir.path() + "/admin/admin.sock");
  run = RunAdmin({"--data-dir", dir.path(), "--json", "stats"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(absl::StrContains(run.err, "no relay is running")) << run.err;
}

}  // namespace
}  // namespace confidant::server
