// ProfileStore::Create is all or nothing (docs/profile.md, "Creation"): an
// interruption at any point leaves no profile and a directory where Create()
// works again, or a complete profile that opens.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/profile_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/profile_test_util.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::kFastParams;
using testing::kOtherPassphrase;
using testing::kPassphrase;
using testing::WriteFile;
using Point = ProfileStore::CreationPoint;

constexpr Point kPoints[] = {Point::kHeaderStaged, Point::kDatabaseCreated,
                             Point::kDatabaseWritten, Point::kHeaderPublished};

class ProfileCreationTest : public ::testing::Test {
 protected:
  void TearDown() override { ProfileStore::SetCreationCrashForTesting({}); }

  std::string ProfileDir() const { return tmp_.path() + "/profile"; }

  // Creates with a crash injected at `point`: ABORTED.
  void CreateCrashingAt(Point point) {
    ProfileStore::SetCreationCrashForTesting(
        [point](Point p) { return p == point; });
    auto store = ProfileStore::Create(ProfileDir(), kPassphrase, kFastParams);
    ProfileStore::SetCreationCrashForTesting({});
    ASSERT_EQ(store.status().code(), absl::StatusCode::kAborted)
        << store.status();
  }

  // What an interruption must leave: either a complete profile that opens
  // with `kPassphrase` (and refuses a second Create), or no profile, and then
  // Create() works again without anything removed by hand.
  void ExpectAbsentOrComplete(bool expect_complete) {
    auto opened = ProfileStore::Open(ProfileDir(), kPassphrase);
    if (expect_complete) {
      ASSERT_TRUE(opened.ok()) << opened.status();
      ASSERT_TRUE((*opened)->Put(Namespace::kMessage, "m", "after").ok());
      opened->reset();
      EXPECT_EQ(
          ProfileStore::Create(ProfileDir(), kOtherPassphrase, kFastParams)
              .status()
              .code(),
          absl::StatusCode::kAlreadyExists);
      auto again = ProfileStore::Open(ProfileDir(), kPassphrase);
      ASSERT_TRUE(again.ok()) << again.status();
      EXPECT_EQ(*(*again)->Get(Namespace::kMessage, "m"),
                std::optional<std::string>("after"));
      return;
    }
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kNotFound)
        << opened.status();
    {
      auto store =
          ProfileStore::Create(ProfileDir(), kOtherPassphrase, kFastParams);
      ASSERT_TRUE(store.ok()) << store.status();
      ASSERT_TRUE((*store)->Put(Namespace::kMessage, "m", "new").ok());
    }
    auto store = ProfileStore::Open(ProfileDir(), kOtherPassphrase);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(*(*store)->Get(Namespace::kMessage, "m"),
              std::optional<std::string>("new"));
    // Only the profile is left: header, one generation.
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(ProfileDir())) {
      names.push_back(entry.path().filename().string());
    }
    EXPECT_THAT(names, ::testing::UnorderedElementsAre(kProfileHeaderFile,
                                                       kProfileDatabaseDir));
    EXPECT_EQ(std::distance(fs::directory_iterator(ProfileDir() + "/db"),
                            fs::directory_iterator{}),
              1);
  }

  confidant::testing::TempDir tmp_;
};

TEST_F(ProfileCreationTest, CrashAtEachPointLeavesNoProfileOrAWholeOne) {
  for (Point point : kPoints) {
    SCOPED_TRACE(static_cast<int>(point));
    fs::remove_all(ProfileDir());
    ASSERT_NO_FATAL_FAILURE(CreateCrashingAt(point));
    ASSERT_NO_FATAL_FAILURE(
        ExpectAbsentOrComplete(point == Point::kHeaderPublished));
  }
}

TEST_F(ProfileCreationTest, DirectoryTheUserMadeIsKeptAndReusable) {
  for (Point point : kPoints) {
    SCOPED_TRACE(static_cast<int>(point));
    fs::remove_all(ProfileDir());
    ASSERT_TRUE(fs::create_directory(ProfileDir()));
    ASSERT_NO_FATAL_FAILURE(CreateCrashingAt(point));
    EXPECT_TRUE(fs::is_directory(ProfileDir()));
    ASSERT_NO_FATAL_FAILURE(
        ExpectAbsentOrComplete(point == Point::kHeaderPublished));
  }
}

TEST_F(ProfileCreationTest, HeaderWriteCutShortIsCleanedUp) {
  // A crash inside the atomic write of the staged header leaves only its
  // temporary file.
  ASSERT_TRUE(fs::create_directory(ProfileDir()));
  WriteFile(ProfileDir() + "/profile.meta.creating.tmp", "half a header");
  ASSERT_NO_FATAL_FAILURE(ExpectAbsentOrComplete(false));
}

TEST_F(ProfileCreationTest, FailedWriteLeavesNothing) {
  // A disk error (here: the database directory cannot be made) is undone.
  ASSERT_TRUE(fs::create_directory(ProfileDir()));
  ProfileStore::SetCreationCrashForTesting([this](Point p) {
    if (p == Point::kHeaderStaged) {
      // A file where the database directory goes makes its creation fail.
      WriteFile(ProfileDir() + "/" + kProfileDatabaseDir, "not a directory");
    }
    return false;
  });
  auto store = ProfileStore::Create(ProfileDir(), kPassphrase, kFastParams);
  ProfileStore::SetCreationCrashForTesting({});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().code(), absl::StatusCode::kAborted);
  EXPECT_FALSE(fs::exists(ProfileDir() + "/" + kProfileHeaderFile));
  EXPECT_FALSE(fs::exists(ProfileDir() + "/profile.meta.creating"));
  EXPECT_FALSE(fs::exists(ProfileDir() + "/" + kProfileDatabaseDir));
  ASSERT_NO_FATAL_FAILURE(ExpectAbsentOrComplete(false));
}

TEST_F(ProfileCreationTest, DatabaseWithoutAnyHeaderIsNotRemoved) {
  // Not something Create() leaves: perhaps a profile whose header the user
  // is restoring from a backup. Create() refuses rather than deletes it.
  ASSERT_TRUE(fs::create_directories(ProfileDir() + "/db/1"));
  WriteFile(ProfileDir() + "/db/1/CURRENT", "MANIFEST-000001\n");
  auto store = ProfileStore::Create(ProfileDir(), kPassphrase, kFastParams);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(store.status().message(), HasSubstr("without a header"));
  EXPECT_TRUE(fs::exists(ProfileDir() + "/db/1/CURRENT"));
}

TEST_F(ProfileCreationTest, ConcurrentCreateInTheSameDirectoryIsUnavailable) {
  ASSERT_TRUE(fs::create_directory(ProfileDir()));
  // Another process holding the creation lock, as a running Create() does.
  const int fd = ::open(ProfileDir().c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  auto store = ProfileStore::Create(ProfileDir(), kPassphrase, kFastParams);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable)
      << store.status();
  ::close(fd);
  ASSERT_NO_FATAL_FAILURE(ExpectAbsentOrComplete(false));
}

// A real process killed with SIGKILL: no destructors run, RocksDB is never
// closed, the kernel drops the lock.
TEST_F(ProfileCreationTest, ChildKilledMidCreationLeavesNoProfileOrAWholeOne) {
  for (Point point : kPoints) {
    SCOPED_TRACE(static_cast<int>(point));
    fs::remove_all(ProfileDir());
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::alarm(30);  // a hang fails the test instead of stalling it
      ProfileStore::SetCreationCrashForTesting([point](Point p) {
        if (p == point) ::kill(::getpid(), SIGKILL);
        return false;
      });
      auto store = ProfileStore::Create(ProfileDir(), kPassphrase, kFastParams);
      ::_exit(store.ok() ? 0 : 1);  // not reached
    }
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "child status " << wstatus;
    ASSERT_NO_FATAL_FAILURE(
        ExpectAbsentOrComplete(point == Point::kHeaderPublished));
  }
}

// Killed after a delay instead of at a chosen point: wherever the kill lands.
TEST_F(ProfileCreationTest, ChildKilledAfterVariousDelays) {
  for (int delay_us : {0, 500, 2000, 5000, 10000, 20000, 40000}) {
    SCOPED_TRACE(delay_us);
    fs::remove_all(ProfileDir());
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::alarm(30);
      auto store = ProfileStore::Create(ProfileDir(), kPassphrase, kFastParams);
      ::_exit(store.ok() ? 0 : 1);
    }
    ::usleep(delay_us);
    ::kill(child, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
    const bool finished = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
    ASSERT_TRUE(finished || WIFSIGNALED(wstatus)) << wstatus;
    const bool has_header = fs::exists(ProfileDir() + "/" + kProfileHeaderFile);
    EXPECT_TRUE(has_header || !finished);
    ASSERT_NO_FATAL_FAILURE(ExpectAbsentOrComplete(has_header));
  }
}

}  // namespace
}  // namespace confidant::client
