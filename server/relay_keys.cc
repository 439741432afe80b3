#include "server/relay_keys.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/bytes.h"
#include "base/files.h"
#include "server/log.h"

namespace confidant::server {
namespace {

// File layout (all integers big-endian):
//   magic "CFDRKEYS" | version (u8) | key count (u32) |
//   per key: id (u32) | public key (32) | created hour (u32) |
//            endorsement length (u8: 0 for key 1, else 64) | endorsement |
//   seed of the last key (32) | SHA-256 of every byte before (32)
constexpr std::string_view kMagic = "CFDRKEYS";
constexpr uint8_t kFileVersion = 1;
constexpr size_t kChecksumSize = SHA256_DIGEST_LENGTH;
constexpr uint32_t kMaxKeys = 100000;

std::string Sha256(std::string_view bytes) {
  std::string out(kChecksumSize, '\0');
  SHA256(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
         reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

std::string ErrnoText(int err) { return std::strerror(err); }

// The relay's start-up treats these as problems of its data directory.
absl::Status AsStartError(absl::Status status) {
  if (status.ok()) return status;
  return absl::FailedPreconditionError(status.message());
}

absl::Status SyncDirectory(const std::string& dir) {
  return AsStartError(base::SyncDirectory(dir));
}

absl::Status WriteFileAtomically(const std::string& path,
                                 std::string_view bytes) {
  return AsStartError(base::WriteFileAtomically(path, bytes));
}

// The bytes of `path`, nullopt if it does not exist; FAILED_PRECONDITION if
// it exists but cannot be read. The caller wipes the bytes.
absl::StatusOr<std::optional<std::string>> ReadIfExists(
    const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot read the relay key file ", path, ": ", ErrnoText(errno)));
  }
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      crypto::WipeString(out);
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot read the relay key file ", path, ": ", ErrnoText(err)));
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > (size_t{1} << 24)) {
      ::close(fd);
      crypto::WipeString(out);
      return absl::DataLossError(absl::StrCat("the relay key file ", path,
                                              " is far too large: corrupt"));
    }
  }
  OPENSSL_cleanse(buffer, sizeof(buffer));
  ::close(fd);
  return std::optional<std::string>(std::move(out));
}

// Reads and parses the key file at `path`; nullopt if there is none. Error
// messages name the file and say that nothing was changed.
absl::StatusOr<std::optional<RelayKeyFile>> LoadIfExists(
    const std::string& path) {
  absl::StatusOr<std::optional<std::string>> bytes = ReadIfExists(path);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<RelayKeyFile>();
  absl::StatusOr<RelayKeyFile> parsed = ParseRelayKeyFile(**bytes);
  crypto::WipeString(**bytes);
  if (!parsed.ok()) {
    return absl::Status(
        parsed.status().code(),
        absl::StrCat("the relay key file ", path,
                     " is unusable: ", parsed.status().message(),
                     ". The relay does not make new keys in its place (every "
                     "client pinned the old ones): restore the file from a "
                     "backup (docs/operations.md, \"The relay key\")"));
  }
  return std::optional<RelayKeyFile>(*std::move(parsed));
}

// Whether the shorter of two chains is the start of the longer one.
bool OneExtendsTheOther(const std::vector<crypto::RelayPublicKey>& a,
                        const std::vector<crypto::RelayPublicKey>& b) {
  const size_t n = std::min(a.size(), b.size());
  return std::equal(a.begin(), a.begin() + n, b.begin());
}

// Makes sure DATA_DIR/relay-keys is the one key file: a key file inside
// DATA_DIR/db/ (where moving a backup into place as db/ puts it) is taken
// over if DATA_DIR has none or an older state of the same chain, and removed
// otherwise.
absl::Status AdoptRestoredKeyFile(const std::string& path,
                                  const std::string& restored) {
  absl::StatusOr<std::optional<RelayKeyFile>> from_backup =
      LoadIfExists(restored);
  if (!from_backup.ok()) return from_backup.status();
  if (!from_backup->has_value()) return absl::OkStatus();
  absl::StatusOr<std::optional<RelayKeyFile>> current = LoadIfExists(path);
  if (!current.ok()) return current.status();
  bool take_backup = !current->has_value();
  if (current->has_value()) {
    const auto& mine = (*current)->chain;
    const auto& theirs = (*from_backup)->chain;
    if (mine.front() != theirs.front() || !OneExtendsTheOther(mine, theirs)) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, " and ", restored,
          " hold the keys of different relays (root fingerprints ",
          crypto::RelayKeyFingerprint(mine.front().public_key), " and ",
          crypto::RelayKeyFingerprint(theirs.front().public_key),
          "): keep the file whose root fingerprint your organisation "
          "published and remove the other"));
    }
    take_backup = theirs.size() > mine.size();
  }
  if (take_backup) {
    if (::rename(restored.c_str(), path.c_str()) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot move ", restored, " to ", path, ": ", ErrnoText(errno)));
    }
    if (absl::Status s = SyncDirectory(base::ParentDirectory(path)); !s.ok())
      return s;
    Log(LogLevel::kInfo, "relay keys: taken over from the restored backup");
  } else {
    if (::unlink(restored.c_str()) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot remove ", restored, ": ", ErrnoText(errno)));
    }
    Log(LogLevel::kInfo,
        "relay keys: kept the data directory's key file; removed the older "
        "copy from the restored backup");
  }
  return SyncDirectory(base::ParentDirectory(restored));
}

// Sets the mode of an existing key file to 0600 if it was more open.
absl::Status FixMode(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot stat ", path, ": ", ErrnoText(errno)));
  }
  if ((st.st_mode & 07777) == 0600) return absl::OkStatus();
  if (::chmod(path.c_str(), 0600) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot set the mode of ", path, " to 0600: ", ErrnoText(errno)));
  }
  Log(LogLevel::kWarning,
      absl::StrFormat("relay keys: the key file had mode %04o; set to 0600",
                      st.st_mode & 07777));
  return absl::OkStatus();
}

}  // namespace

crypto::SecretBytes SerializeRelayKeyFile(
    const std::vector<crypto::RelayPublicKey>& chain,
    const crypto::SecretBytes& seed) {
  std::string out(kMagic);
  out.push_back(static_cast<char>(kFileVersion));
  base::PutBigEndian(out, static_cast<uint32_t>(chain.size()), 4);
  for (const crypto::RelayPublicKey& key : chain) {
    base::PutBigEndian(out, key.id, 4);
    out.append(key.public_key);
    base::PutBigEndian(out, key.created_hour, 4);
    out.push_back(static_cast<char>(key.endorsement.size()));
    out.append(key.endorsement);
  }
  out.append(seed.view());
  out.append(Sha256(out));
  crypto::SecretBytes secret = crypto::SecretBytes::CopyOf(out);
  crypto::WipeString(out);
  return secret;
}

absl::StatusOr<RelayKeyFile> ParseRelayKeyFile(std::string_view bytes) {
  auto corrupt = [](const std::string& why) {
    return absl::DataLossError(absl::StrCat("corrupt (", why, ")"));
  };
  if (bytes.size() < kMagic.size() + 1 ||
      bytes.substr(0, kMagic.size()) != kMagic) {
    return corrupt("not a relay key file");
  }
  const uint8_t version = static_cast<uint8_t>(bytes[kMagic.size()]);
  if (version != kFileVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "version ", version, " of the key file is unknown to this relay (",
        "written by a newer version?)"));
  }
  if (bytes.size() <
      kMagic.size() + 1 + 4 + crypto::kRelaySeedSize + kChecksumSize) {
    return corrupt("truncated");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumSize);
  if (CRYPTO_memcmp(Sha256(body).data(), bytes.data() + body.size(),
                    kChecksumSize) != 0) {
    return corrupt("checksum mismatch");
  }
  size_t at = kMagic.size() + 1;
  const uint32_t count =
      static_cast<uint32_t>(base::GetBigEndian(body.substr(at, 4), 4));
  at += 4;
  if (count == 0 || count > kMaxKeys) return corrupt("bad key count");
  RelayKeyFile out;
  for (uint32_t i = 0; i < count; ++i) {
    if (body.size() - at < 4 + crypto::kRelayPublicKeySize + 4 + 1) {
      return corrupt("truncated");
    }
    crypto::RelayPublicKey key;
    key.id = static_cast<uint32_t>(base::GetBigEndian(body.substr(at, 4), 4));
    at += 4;
    key.public_key = std::string(body.substr(at, crypto::kRelayPublicKeySize));
    at += crypto::kRelayPublicKeySize;
    key.created_hour =
        static_cast<uint32_t>(base::GetBigEndian(body.substr(at, 4), 4));
    at += 4;
    const size_t endorsement = static_cast<uint8_t>(body[at]);
    at += 1;
    if (body.size() - at < endorsement) return corrupt("truncated");
    key.endorsement = std::string(body.substr(at, endorsement));
    at += endorsement;
    out.chain.push_back(std::move(key));
  }
  if (body.size() - at != crypto::kRelaySeedSize) {
    return corrupt("wrong length");
  }
  out.seed = crypto::SecretBytes::CopyOf(body.substr(at));
  absl::StatusOr<crypto::RelayKeyRing> ring =
      crypto::RelayKeyRing::FromChain(out.chain);
  if (!ring.ok()) {
    return corrupt(absl::StrCat("the key chain does not verify: ",
                                ring.status().message()));
  }
  const crypto::RelayPublicKey& last = out.chain.back();
  absl::StatusOr<crypto::RelaySigningKey> signer =
      crypto::RelaySigningKey::FromSeed(last.id, last.created_hour, out.seed);
  if (!signer.ok() || signer->public_key() != last.public_key) {
    return corrupt("the stored seed does not belong to the current key");
  }
  return out;
}

RelayKeys::RelayKeys(base::Clock& clock, std::string path,
                     std::vector<crypto::RelayPublicKey> chain,
                     crypto::RelaySigningKey current)
    : clock_(clock),
      path_(std::move(path)),
      chain_(std::move(chain)),
      current_(std::move(current)) {}

RelayKeys::~RelayKeys() = default;

absl::StatusOr<std::unique_ptr<RelayKeys>> RelayKeys::Open(
    const std::string& data_dir, base::Clock& clock, OpenOptions options) {
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const std::string path = absl::StrCat(dir, "/", kRelayKeysFileName);
  const std::string restored = absl::StrCat(dir, "/db/", kRelayKeysFileName);
  if (absl::Status s = AdoptRestoredKeyFile(path, restored); !s.ok()) return s;

  absl::StatusOr<std::optional<RelayKeyFile>> file = LoadIfExists(path);
  if (!file.ok()) return file.status();
  if (file->has_value()) {
    if (absl::Status s = FixMode(path); !s.ok()) return s;
    RelayKeyFile& f = **file;
    const crypto::RelayPublicKey& last = f.chain.back();
    absl::StatusOr<crypto::RelaySigningKey> current =
        crypto::RelaySigningKey::FromSeed(last.id, last.created_hour, f.seed);
    if (!current.ok()) return current.status();  // checked by the parser
    return std::unique_ptr<RelayKeys>(
        new RelayKeys(clock, path, std::move(f.chain), *std::move(current)));
  }

  if (options.database_in_use && !options.allow_new_root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the relay key file ", path,
        " is missing, but the database already holds accounts, whose "
        "clients would refuse a new relay key: restore the file from the "
        "backup (docs/operations.md, \"The relay key\"). Only if this relay "
        "never had a key file (it ran a version without sender "
        "certificates), start it once with --create-relay-key"));
  }
  absl::StatusOr<crypto::RelaySigningKey> first =
      crypto::RelaySigningKey::Generate(1, clock.NowHour());
  if (!first.ok()) return first.status();
  std::vector<crypto::RelayPublicKey> chain = {first->Published("")};
  const crypto::SecretBytes bytes = SerializeRelayKeyFile(chain, first->seed());
  if (absl::Status s = WriteFileAtomically(path, bytes.view()); !s.ok()) {
    return s;
  }
  Log(LogLevel::kInfo, "relay keys: made relay key 1 (first start)");
  return std::unique_ptr<RelayKeys>(
      new RelayKeys(clock, path, std::move(chain), *std::move(first)));
}

absl::StatusOr<std::unique_ptr<RelayKeys>> RelayKeys::InMemory(
    base::Clock& clock, std::string_view seed) {
  if (seed.size() != crypto::kRelaySeedSize) {
    return absl::InvalidArgumentError("a relay key seed is 32 bytes");
  }
  absl::StatusOr<crypto::RelaySigningKey> first =
      crypto::RelaySigningKey::FromSeed(1, clock.NowHour(),
                                        crypto::SecretBytes::CopyOf(seed));
  if (!first.ok()) return first.status();
  std::vector<crypto::RelayPublicKey> chain = {first->Published("")};
  return std::unique_ptr<RelayKeys>(
      new RelayKeys(clock, "", std::move(chain), *std::move(first)));
}

std::vector<crypto::RelayPublicKey> RelayKeys::Chain() const {
  absl::MutexLock lock(&mu_);
  return chain_;
}

std::string RelayKeys::RootFingerprint() const {
  absl::MutexLock lock(&mu_);
  return crypto::RelayKeyFingerprint(chain_.front().public_key);
}

absl::StatusOr<std::string> RelayKeys::Issue(
    std::string_view account_id, std::string_view identity_key) const {
  const uint32_t expiry =
      clock_.NowHour() + crypto::kSenderCertificateLifetimeHours;
  absl::MutexLock lock(&mu_);
  absl::StatusOr<crypto::SenderCertificate> certificate =
      current_.Issue(account_id, identity_key, expiry);
  if (!certificate.ok()) return certificate.status();
  return certificate->Serialize();
}

absl::StatusOr<crypto::RelayPublicKey> RelayKeys::Rotate() {
  absl::MutexLock lock(&mu_);
  // A clock that went back must not make a key older than its predecessor,
  // which clients would refuse.
  const uint32_t created =
      std::max(clock_.NowHour(), chain_.back().created_hour);
  absl::StatusOr<crypto::RelaySigningKey> next =
      crypto::RelaySigningKey::Generate(current_.id() + 1, created);
  if (!next.ok()) return next.status();
  absl::StatusOr<std::string> endorsement =
      current_.Endorse(next->Published(""));
  if (!endorsement.ok()) return endorsement.status();
  std::vector<crypto::RelayPublicKey> chain = chain_;
  chain.push_back(next->Published(*std::move(endorsement)));
  if (!path_.empty()) {
    const crypto::SecretBytes bytes =
        SerializeRelayKeyFile(chain, next->seed());
    if (absl::Status s = WriteFileAtomically(path_, bytes.view()); !s.ok()) {
      return s;
    }
  }
  chain_ = std::move(chain);
  current_ = *std::move(next);
  Log(LogLevel::kInfo,
      absl::StrCat("relay keys: rotated; now signing with relay key ",
                   current_.id()));
  return chain_.back();
}

absl::Status RelayKeys::WriteCopy(const std::string& path) const {
  if (path_.empty()) {
    return absl::FailedPreconditionError(
        "these relay keys are kept in memory only");
  }
  absl::MutexLock lock(&mu_);
  const crypto::SecretBytes bytes =
      SerializeRelayKeyFile(chain_, current_.seed());
  return WriteFileAtomically(path, bytes.view());
}

}  // namespace confidant::server
