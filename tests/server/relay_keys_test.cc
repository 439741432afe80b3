// The relay's key file (server/relay_keys.h): made once, kept across
// restarts, rotated with an endorsement, refused when corrupt, and carried
// through a backup and restore.
#include "server/relay_keys.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "crypto/sender_certificate.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace confidant::server {
namespace {

namespace fs = std::filesystem;
using ::confidant::testing::ReadFileOrDie;
using ::confidant::testing::TempDir;

const std::string kAccount(16, '\x11');
const std::string kIdentity = "\x05" + std::string(32, '\x22');

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

int Mode(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : -1;
}

class RelayKeysTest : public ::testing::Test {
 protected:
  std::unique_ptr<RelayKeys> OpenOrDie(const std::string& dir) {
    absl::StatusOr<std::unique_ptr<RelayKeys>> keys =
        RelayKeys::Open(dir, clock_);
    EXPECT_TRUE(keys.ok()) << keys.status();
    return keys.ok() ? *std::move(keys) : nullptr;
  }

  // The certificate `keys` issues now, checked against its chain.
  crypto::SenderCertificate IssueAndVerify(const RelayKeys& keys) {
    absl::StatusOr<std::string> wire = keys.Issue(kAccount, kIdentity);
    EXPECT_TRUE(wire.ok()) << wire.status();
    absl::StatusOr<crypto::SenderCertificate> certificate =
        crypto::ParseSenderCertificate(wire.ok() ? *wire : "");
    EXPECT_TRUE(certificate.ok()) << certificate.status();
    absl::StatusOr<crypto::RelayKeyRing> ring =
        crypto::RelayKeyRing::FromChain(keys.Chain());
    EXPECT_TRUE(ring.ok()) << ring.status();
    if (!certificate.ok() || !ring.ok()) return {};
    EXPECT_TRUE(ring->Verify(*certificate, clock_.NowHour()).ok());
    return *certificate;
  }

  TempDir dir_;
  base::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
};

TEST_F(RelayKeysTest, MadeAtFirstStartAndKeptAcrossRestarts) {
  std::unique_ptr<RelayKeys> keys = OpenOrDie(dir_.path());
  ASSERT_NE(keys, nullptr);
  const std::string path = dir_.path() + "/relay-keys";
  EXPECT_EQ(keys->path(), path);
  EXPECT_EQ(Mode(path), 0600);
  ASSERT_EQ(keys->Chain().size(), 1u);
  EXPECT_EQ(keys->Chain()[0].id, 1u);
  EXPECT_EQ(keys->Chain()[0].created_hour, clock_.NowHour());
  EXPECT_TRUE(keys->Chain()[0].endorsement.empty());
  EXPECT_EQ(keys->RootFingerprint(),
            crypto::RelayKeyFingerprint(keys->Chain()[0].public_key));
  const crypto::SenderCertificate certificate = IssueAndVerify(*keys);
  EXPECT_EQ(certificate.account_id, kAccount);
  EXPECT_EQ(certificate.identity_key, kIdentity);
  EXPECT_EQ(certificate.signer_key_id, 1u);
  EXPECT_EQ(certificate.expiry_hour, clock_.NowHour() + 168);

  const std::vector<crypto::RelayPublicKey> chain = keys->Chain();
  keys.reset();
  clock_.Advance(absl::Hours(30));
  keys = OpenOrDie(dir_.path());
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(keys->Chain(), chain);
  // Ed25519 is deterministic: the same key signs the same bytes alike.
  clock_.Advance(absl::Hours(-30));
  EXPECT_EQ(IssueAndVerify(*keys), certificate);
}

TEST_F(RelayKeysTest, RotationEndorsesTheNewKeyAndForgetsTheOldSeed) {
  std::unique_ptr<RelayKeys> keys = OpenOrDie(dir_.path());
  ASSERT_NE(keys, nullptr);
  const std::string path = keys->path();
  absl::StatusOr<RelayKeyFile> before = ParseRelayKeyFile(ReadFileOrDie(path));
  ASSERT_TRUE(before.ok()) << before.status();
  const std::string old_seed(before->seed.view());
  const crypto::SenderCertificate old_certificate = IssueAndVerify(*keys);

  clock_.Advance(absl::Hours(5));
  absl::StatusOr<crypto::RelayPublicKey> rotated = keys->Rotate();
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ(rotated->id, 2u);
  EXPECT_EQ(rotated->created_hour, clock_.NowHour());
  const std::vector<crypto::RelayPublicKey> chain = keys->Chain();
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[1], *rotated);
  EXPECT_TRUE(crypto::VerifyRelaySignature(
      chain[0].public_key, chain[1].EndorsedBytes(), chain[1].endorsement));
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::FromChain(chain);
  ASSERT_TRUE(ring.ok()) << ring.status();
  // The root, which clients pinned, stays.
  EXPECT_EQ(ring->RootFingerprint(), keys->RootFingerprint());
  EXPECT_EQ(crypto::RelayKeyFingerprint(chain[0].public_key),
            keys->RootFingerprint());

  const crypto::SenderCertificate new_certificate = IssueAndVerify(*keys);
  EXPECT_EQ(new_certificate.signer_key_id, 2u);
  EXPECT_TRUE(ring->Verify(old_certificate, clock_.NowHour()).ok());

  const std::string file = ReadFileOrDie(path);
  EXPECT_FALSE(absl::StrContains(file, old_seed));
  EXPECT_EQ(Mode(path), 0600);
  absl::StatusOr<RelayKeyFile> after = ParseRelayKeyFile(file);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->chain, chain);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  keys.reset();
  keys = OpenOrDie(dir_.path());
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(keys->Chain(), chain);
  EXPECT_EQ(IssueAndVerify(*keys).signer_key_id, 2u);
}

TEST_F(RelayKeysTest, AClockThatWentBackMakesNoKeyOlderThanItsPredecessor) {
  std::unique_ptr<RelayKeys> keys = OpenOrDie(dir_.path());
  ASSERT_NE(keys, nullptr);
  const uint32_t first = keys->Chain()[0].created_hour;
  clock_.Advance(absl::Hours(-3));
  absl::StatusOr<crypto::RelayPublicKey> rotated = keys->Rotate();
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ(rotated->created_hour, first);
  EXPECT_TRUE(crypto::RelayKeyRing::FromChain(keys->Chain()).ok());
}

TEST_F(RelayKeysTest, ACorruptKeyFileIsRefusedAndLeftAlone) {
  ASSERT_NE(OpenOrDie(dir_.path()), nullptr);
  const std::string path = dir_.path() + "/relay-keys";
  const std::string good = ReadFileOrDie(path);

  auto expect_refused = [&](const std::string& bytes, absl::StatusCode code,
                            const std::string& words) {
    WriteFile(path, bytes);
    absl::StatusOr<std::unique_ptr<RelayKeys>> keys =
        RelayKeys::Open(dir_.path(), clock_);
    ASSERT_FALSE(keys.ok());
    EXPECT_EQ(keys.status().code(), code) << keys.status();
    EXPECT_TRUE(absl::StrContains(keys.status().message(), path))
        << keys.status();
    EXPECT_TRUE(absl::StrContains(keys.status().message(), words))
        << keys.status();
    EXPECT_TRUE(absl::StrContains(keys.status().message(), "backup"))
        << keys.status();
    EXPECT_EQ(ReadFileOrDie(path), bytes);  // never replaced
  };
  for (size_t i : {size_t{0}, size_t{12}, good.size() / 2, good.size() - 1}) {
    std::string flipped = good;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    expect_refused(flipped, absl::StatusCode::kDataLoss, "corrupt");
  }
  expect_refused(good.substr(0, good.size() - 1), absl::StatusCode::kDataLoss,
                 "corrupt");
  expect_refused("", absl::StatusCode::kDataLoss, "corrupt");
  expect_refused(good + "x", absl::StatusCode::kDataLoss, "corrupt");
  std::string future = good;
  future[8] = 2;
  expect_refused(future, absl::StatusCode::kFailedPrecondition, "version 2");

  // A well-formed file whose seed is not the current key's.
  absl::StatusOr<RelayKeyFile> parsed = ParseRelayKeyFile(good);
  ASSERT_TRUE(parsed.ok());
  const crypto::SecretBytes other =
      crypto::SecretBytes::CopyOf(std::string(32, '\x42'));
  expect_refused(
      std::string(SerializeRelayKeyFile(parsed->chain, other).view()),
      absl::StatusCode::kDataLoss, "seed");

  // Unreadable: a directory in its place.
  fs::remove(path);
  fs::create_directory(path);
  absl::StatusOr<std::unique_ptr<RelayKeys>> keys =
      RelayKeys::Open(dir_.path(), clock_);
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kFailedPrecondition)
      << keys.status();
  EXPECT_TRUE(fs::is_directory(path));
}

TEST_F(RelayKeysTest, AMissingKeyFileBesideADatabaseInUseIsNotRemade) {
  absl::StatusOr<std::unique_ptr<RelayKeys>> keys =
      RelayKeys::Open(dir_.path(), clock_, {.database_in_use = true});
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(keys.status().message(), "--create-relay-key"))
      << keys.status();
  EXPECT_FALSE(fs::exists(dir_.path() + "/relay-keys"));
  keys = RelayKeys::Open(dir_.path(), clock_,
                         {.database_in_use = true, .allow_new_root = true});
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_TRUE(fs::exists(dir_.path() + "/relay-keys"));
}

TEST_F(RelayKeysTest, AMoreOpenModeIsNarrowedTo0600) {
  ASSERT_NE(OpenOrDie(dir_.path()), nullptr);
  const std::string path = dir_.path() + "/relay-keys";
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  ASSERT_NE(OpenOrDie(dir_.path()), nullptr);
  EXPECT_EQ(Mode(path), 0600);
}

// Moving a backup into place as DATA_DIR/db puts its copy of the key file
// in db/: the relay takes it over, or keeps a newer state of the same chain.
TEST_F(RelayKeysTest, TheKeyFileOfARestoredBackupIsTakenOver) {
  const std::string live = dir_.path() + "/live";
  fs::create_directories(live);
  std::unique_ptr<RelayKeys> keys = OpenOrDie(live);
  ASSERT_NE(keys, nullptr);
  const std::string backup = dir_.path() + "/backup";
  fs::create_directories(backup);
  ASSERT_TRUE(keys->WriteCopy(backup + "/relay-keys").ok());
  EXPECT_EQ(Mode(backup + "/relay-keys"), 0600);

  // On a new machine: only the backup.
  const std::string fresh = dir_.path() + "/fresh";
  fs::create_directories(fresh);
  fs::copy(backup, fresh + "/db");
  std::unique_ptr<RelayKeys> restored = OpenOrDie(fresh);
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(restored->Chain(), keys->Chain());
  EXPECT_FALSE(fs::exists(fresh + "/db/relay-keys"));
  EXPECT_EQ(Mode(fresh + "/relay-keys"), 0600);

  // In place, after a rotation since the backup: the newer file stays.
  ASSERT_TRUE(keys->Rotate().ok());
  const std::vector<crypto::RelayPublicKey> rotated = keys->Chain();
  keys.reset();
  fs::remove_all(live + "/db");
  fs::copy(backup, live + "/db");
  keys = OpenOrDie(live);
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(keys->Chain(), rotated);
  EXPECT_FALSE(fs::exists(live + "/db/relay-keys"));

  // Another relay's backup: refused, both files left.
  const std::string other = dir_.path() + "/other";
  fs::create_directories(other);
  ASSERT_NE(OpenOrDie(other), nullptr);
  fs::copy(backup, other + "/db");
  absl::StatusOr<std::unique_ptr<RelayKeys>> mixed =
      RelayKeys::Open(other, clock_);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(mixed.status().message(), "different relays"))
      << mixed.status();
  EXPECT_TRUE(fs::exists(other + "/db/relay-keys"));
  EXPECT_TRUE(fs::exists(other + "/relay-keys"));
}

TEST_F(RelayKeysTest, KeysInMemoryServeAndRotateWithoutAFile) {
  absl::StatusOr<std::unique_ptr<RelayKeys>> keys =
      RelayKeys::InMemory(clock_, std::string(32, 'k'));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_TRUE((*keys)->path().empty());
  IssueAndVerify(**keys);
  ASSERT_TRUE((*keys)->Rotate().ok());
  EXPECT_EQ(IssueAndVerify(**keys).signer_key_id, 2u);
  EXPECT_FALSE((*keys)->WriteCopy(dir_.path() + "/copy").ok());
  EXPECT_FALSE(RelayKeys::InMemory(clock_, "short").ok());
  // A malformed identity key gets no certificate.
  EXPECT_EQ((*keys)->Issue(kAccount, std::string(33, '\x06')).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace confidant::server
