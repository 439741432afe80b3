#include "tests/server/admin_service_fixture.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "server/codes.h"

namespace confidant::server::admin_testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(
      base != nullptr && *base != '\0' ? base : "/tmp", "/admin_test.XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed: " << std::strerror(errno);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string CodeHash(std::string_view domain, const std::string& code) {
  absl::StatusOr<std::string> normalised = NormaliseCode(code);
  EXPECT_TRUE(normalised.ok()) << normalised.status();
  return DomainHash(domain, normalised.ok() ? *normalised : "");
}

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

AccountRecord TrustPerson(char fill) {
  AccountRecord account;
  account.id = std::string(kAccountIdSize, fill);
  account.kind = v1::ACCOUNT_KIND_TRUST_PERSON;
  account.secret_hash = std::string(kHashSize, 's');
  account.profile.set_display_name("Trust Person");
  account.profile.set_affiliation(v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
  return account;
}

}  // namespace confidant::server::admin_testing
