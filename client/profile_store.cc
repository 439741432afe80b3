#include "client/profile_store.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace confidant::client {
namespace {

using crypto::SecretBytes;
using crypto::WipeString;

struct KdfCtxDeleter {
  void operator()(EVP_KDF_CTX* p) const { EVP_KDF_CTX_free(p); }
};
struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

constexpr size_t kKeySize = 32;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kMacSize = 32;

// Header: magic | version | t_cost | m_cost_kib | parallelism (u32 LE) | salt
// | nonce | GCM(Argon2id key, master key, ad = everything before the nonce)
// | SHA-256 of everything before it.
constexpr std::string_view kMagic = "CFPROFIL";
constexpr uint8_t kFormatVersion = 1;
constexpr size_t kAdSize =
    kMagic.size() + 1 + size_t{3} * 4 + crypto::kPassphraseSaltSize;
constexpr size_t kWrappedSize = kNonceSize + kKeySize + kTagSize;
constexpr size_t kChecksumOffset = kAdSize + kWrappedSize;
constexpr size_t kHeaderSize = kChecksumOffset + SHA256_DIGEST_LENGTH;

constexpr char kValueKeyInfo[] = "confidant profile v1 value key";
constexpr char kMacKeyInfo[] = "confidant profile v1 key mac";
// A record in kMeta that proves the database belongs to the header's key.
constexpr std::string_view kCheckKey = "profile";
constexpr std::string_view kCheckValue = "confidant profile v1";

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

std::string HeaderPath(const std::string& dir) {
  return absl::StrCat(dir, "/", kProfileHeaderFile);
}
std::string DatabasePath(const std::string& dir) {
  return absl::StrCat(dir, "/", kProfileDatabaseDir);
}

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
uint32_t GetU32(std::string_view in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << (8 * i);
  }
  return v;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<uint8_t*>(out.data()), static_cast<int>(n)) !=
      1) {
    // A predictable nonce or key would be worse than stopping.
    abort();
  }
  return out;
}

std::string Sha256(std::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(Bytes(data), data.size(), reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

absl::StatusOr<SecretBytes> Hkdf(const SecretBytes& ikm,
                                 std::string_view info) {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return absl::InternalError("HKDF is not available");
  KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf));
  if (ctx == nullptr) return absl::InternalError("HKDF setup failed");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(ikm.data()), ikm.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
      OSSL_PARAM_construct_end(),
  };
  SecretBytes out_key(kKeySize);
  if (EVP_KDF_derive(ctx.get(), out_key.data(), out_key.size(), params) != 1) {
    return absl::InternalError("HKDF failed");
  }
  return out_key;
}

// nonce | ciphertext | tag.
absl::StatusOr<std::string> GcmSeal(const SecretBytes& key, std::string_view ad,
                                    std::string_view plaintext) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string out = RandomBytes(kNonceSize);
  out.resize(kNonceSize + plaintext.size() + kTagSize);
  auto* cipher = reinterpret_cast<uint8_t*>(out.data()) + kNonceSize;
  int len = 0;
  if (ctx == nullptr ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                         Bytes(out)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(ad),
                        static_cast<int>(ad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          cipher + plaintext.size()) != 1) {
    return absl::InternalError("AES-GCM encryption failed");
  }
  return out;
}

// False if `sealed` does not authenticate under `key` and `ad`.
bool GcmOpen(const SecretBytes& key, std::string_view ad,
             std::string_view sealed, SecretBytes& out_plaintext) {
  if (sealed.size() < kNonceSize + kTagSize) return false;
  const std::string_view nonce = sealed.substr(0, kNonceSize);
  const std::string_view cipher =
      sealed.substr(kNonceSize, sealed.size() - kNonceSize - kTagSize);
  std::array<uint8_t, kTagSize> tag;
  std::memcpy(tag.data(), sealed.data() + sealed.size() - kTagSize, kTagSize);
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  SecretBytes plain(cipher.size());
  int len = 0;
  if (ctx == nullptr ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                         Bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(ad),
                        static_cast<int>(ad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain.data(), &len, Bytes(cipher),
                        static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &len) != 1) {
    ERR_clear_error();
    return false;
  }
  out_plaintext = std::move(plain);
  return true;
}

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message =
      absl::StrCat(std::string(what), ": ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

absl::Status ErrnoError(std::string_view what, const std::string& path) {
  const int error = errno;
  return absl::InternalError(
      absl::StrCat(std::string(what), " ", path, ": ", std::strerror(error)));
}

absl::Status FsyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return ErrnoError("cannot sync", path);
  return absl::OkStatus();
}

// Writes `bytes` to `path` atomically: temporary file, fsync, rename, fsync of
// the directory.
absl::Status WriteFileAtomically(const std::string& dir,
                                 const std::string& path,
                                 std::string_view bytes) {
  const std::string tmp = absl::StrCat(path, ".tmp");
  const int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("cannot create", tmp);
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n =
        ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      absl::Status status = ErrnoError("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return status;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    absl::Status status = ErrnoError("cannot sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return status;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    absl::Status status = ErrnoError("cannot rename to", path);
    ::unlink(tmp.c_str());
    return status;
  }
  return FsyncPath(dir, O_RDONLY | O_DIRECTORY);
}

absl::StatusOr<std::string> ReadHeaderFile(const std::string& dir) {
  const std::string path = HeaderPath(dir);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat("not a profile: ", dir, " has no ", kProfileHeaderFile));
    }
    return ErrnoError("cannot open", path);
  }
  std::string out;
  char buffer[512];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status status = ErrnoError("cannot read", path);
      ::close(fd);
      return status;
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > kHeaderSize) break;
  }
  ::close(fd);
  return out;
}

struct Header {
  crypto::Argon2Params params;
  std::string salt;
  std::string wrapped;  // nonce | GCM(master key) | tag
  std::string ad;       // the bytes the wrap authenticates
};

absl::StatusOr<Header> ParseHeader(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 1 ||
      bytes.substr(0, kMagic.size()) != kMagic) {
    return absl::DataLossError(
        absl::StrCat("profile header ", kProfileHeaderFile,
                     " is corrupt: not a Confidant profile header"));
  }
  const uint8_t version = static_cast<uint8_t>(bytes[kMagic.size()]);
  if (version != kFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("profile header has unsupported format version ", version,
                     " (this build reads version ", kFormatVersion, ")"));
  }
  if (bytes.size() < kHeaderSize) {
    return absl::DataLossError(absl::StrCat(
        "profile header ", kProfileHeaderFile, " is truncated: ", bytes.size(),
        " of ", kHeaderSize, " bytes"));
  }
  if (bytes.size() > kHeaderSize) {
    return absl::DataLossError(absl::StrCat(
        "profile header ", kProfileHeaderFile, " is corrupt: trailing bytes"));
  }
  const std::string checksum = Sha256(bytes.substr(0, kChecksumOffset));
  if (CRYPTO_memcmp(checksum.data(), bytes.data() + kChecksumOffset,
                    checksum.size()) != 0) {
    return absl::DataLossError(absl::StrCat("profile header ",
                                            kProfileHeaderFile,
                                            " is corrupt: checksum mismatch"));
  }
  Header header;
  size_t at = kMagic.size() + 1;
  header.params.t_cost = GetU32(bytes.substr(at, 4));
  header.params.m_cost_kib = GetU32(bytes.substr(at + 4, 4));
  header.params.parallelism = GetU32(bytes.substr(at + 8, 4));
  at += 12;
  header.salt = std::string(bytes.substr(at, crypto::kPassphraseSaltSize));
  header.ad = std::string(bytes.substr(0, kAdSize));
  header.wrapped = std::string(bytes.substr(kAdSize, kWrappedSize));
  return header;
}

absl::Status CheckParams(const crypto::Argon2Params& params) {
  if (params.t_cost < 1 || params.t_cost > crypto::kMaxArgon2TCost ||
      params.m_cost_kib < crypto::kMinArgon2MemoryKib ||
      params.m_cost_kib > crypto::kMaxArgon2MemoryKib ||
      params.parallelism < 1 ||
      params.parallelism > crypto::kMaxArgon2Parallelism) {
    return absl::InvalidArgumentError(
        "Argon2id parameters outside the bounds of crypto/kdf.h");
  }
  return absl::OkStatus();
}

// A header wrapping `master_key` under `passphrase` with a fresh salt.
absl::StatusOr<std::string> BuildHeader(std::string_view passphrase,
                                        const crypto::Argon2Params& params,
                                        const SecretBytes& master_key) {
  std::string out;
  out.reserve(kHeaderSize);
  out.append(kMagic);
  out.push_back(static_cast<char>(kFormatVersion));
  PutU32(out, params.t_cost);
  PutU32(out, params.m_cost_kib);
  PutU32(out, params.parallelism);
  const std::string salt = crypto::NewSalt();
  out.append(salt);
  absl::StatusOr<SecretBytes> wrapping_key =
      crypto::DerivePassphraseKey(passphrase, salt, params, kKeySize);
  if (!wrapping_key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot derive the passphrase key: ", wrapping_key.status().message()));
  }
  absl::StatusOr<std::string> wrapped =
      GcmSeal(*wrapping_key, out, master_key.view());
  if (!wrapped.ok()) return wrapped.status();
  out.append(*wrapped);
  out.append(Sha256(out));
  return out;
}

// The master key of `header` under `passphrase`.
absl::StatusOr<SecretBytes> UnwrapMasterKey(const Header& header,
                                            std::string_view passphrase) {
  if (passphrase.empty()) {
    return absl::PermissionDeniedError("wrong passphrase (empty)");
  }
  if (absl::Status status = CheckParams(header.params); !status.ok()) {
    return absl::DataLossError(
        absl::StrCat("profile header is corrupt: ", status.message()));
  }
  absl::StatusOr<SecretBytes> wrapping_key = crypto::DerivePassphraseKey(
      passphrase, header.salt, header.params, kKeySize);
  if (!wrapping_key.ok()) {
    return absl::InternalError(absl::StrCat(
        "cannot derive the passphrase key: ", wrapping_key.status().message()));
  }
  SecretBytes master_key;
  if (!GcmOpen(*wrapping_key, header.ad, header.wrapped, master_key) ||
      master_key.size() != kKeySize) {
    return absl::PermissionDeniedError("wrong passphrase");
  }
  return master_key;
}

rocksdb::Options DatabaseOptions() {
  rocksdb::Options options;
  options.create_if_missing = false;
  options.paranoid_checks = true;
  options.keep_log_file_num = 2;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  return options;
}

rocksdb::WriteOptions SyncedWrites() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

absl::Status CheckNamespace(Namespace ns) {
  if (static_cast<uint8_t>(ns) == 0) {
    return absl::InvalidArgumentError("namespace 0 is invalid");
  }
  return absl::OkStatus();
}

absl::Status Corrupt(std::string_view what) {
  return absl::DataLossError(
      absl::StrCat("profile entry does not authenticate (", std::string(what),
                   "): tampered or corrupt"));
}

}  // namespace

ProfileStore::Batch::~Batch() {
  for (Op& op : ops_) {
    WipeString(op.key);
    if (op.value.has_value()) WipeString(*op.value);
  }
}

void ProfileStore::Batch::Put(Namespace ns, std::string_view key,
                              std::string_view value) {
  ops_.push_back(Op{ns, std::string(key), std::string(value)});
}

void ProfileStore::Batch::Delete(Namespace ns, std::string_view key) {
  ops_.push_back(Op{ns, std::string(key), std::nullopt});
}

ProfileStore::ProfileStore(std::string dir, std::unique_ptr<rocksdb::DB> db,
                           SecretBytes master_key, SecretBytes value_key,
                           SecretBytes mac_key)
    : dir_(std::move(dir)),
      db_(std::move(db)),
      master_key_(std::move(master_key)),
      value_key_(std::move(value_key)),
      mac_key_(std::move(mac_key)) {}

ProfileStore::~ProfileStore() {
  if (db_ != nullptr) db_->Close().PermitUncheckedError();
}

namespace {

struct OpenedDatabase {
  std::unique_ptr<rocksdb::DB> db;
  SecretBytes value_key;
  SecretBytes mac_key;
};

absl::StatusOr<OpenedDatabase> OpenDatabase(const std::string& dir,
                                            const SecretBytes& master_key,
                                            bool create) {
  OpenedDatabase out;
  absl::StatusOr<SecretBytes> value_key = Hkdf(master_key, kValueKeyInfo);
  if (!value_key.ok()) return value_key.status();
  absl::StatusOr<SecretBytes> mac_key = Hkdf(master_key, kMacKeyInfo);
  if (!mac_key.ok()) return mac_key.status();
  out.value_key = *std::move(value_key);
  out.mac_key = *std::move(mac_key);

  const std::string path = DatabasePath(dir);
  if (!create && !Exists(path)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "profile database is missing: ", dir, " has no ", kProfileDatabaseDir));
  }
  rocksdb::Options options = DatabaseOptions();
  options.create_if_missing = create;
  options.error_if_exists = create;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, path, &raw);
  if (!s.ok()) {
    return FromRocks(s, "cannot open the profile database");
  }
  out.db.reset(raw);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProfileStore>> ProfileStore::Create(
    const std::string& dir, std::string_view passphrase,
    const crypto::Argon2Params& params) {
  if (passphrase.empty()) {
    return absl::InvalidArgumentError("the passphrase must not be empty");
  }
  if (absl::Status status = CheckParams(params); !status.ok()) return status;
  if (Exists(HeaderPath(dir)) || Exists(DatabasePath(dir))) {
    return absl::AlreadyExistsError(
        absl::StrCat(dir, " already holds a profile"));
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  if (::chmod(dir.c_str(), 0700) != 0) return ErrnoError("cannot chmod", dir);

  SecretBytes master_key = SecretBytes::CopyOf(RandomBytes(kKeySize));
  absl::StatusOr<std::string> header =
      BuildHeader(passphrase, params, master_key);
  if (!header.ok()) return header.status();

  absl::StatusOr<OpenedDatabase> opened =
      OpenDatabase(dir, master_key, /*create=*/true);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<ProfileStore> store(new ProfileStore(
      dir, std::move(opened->db), std::move(master_key),
      std::move(opened->value_key), std::move(opened->mac_key)));
  absl::Status status = store->Put(Namespace::kMeta, kCheckKey, kCheckValue);
  // The header goes last: a profile without one is not a profile.
  if (status.ok()) status = WriteFileAtomically(dir, HeaderPath(dir), *header);
  if (!status.ok()) {
    store.reset();
    std::filesystem::remove_all(DatabasePath(dir), error);
    return status;
  }
  return store;
}

absl::StatusOr<std::unique_ptr<ProfileStore>> ProfileStore::Open(
    const std::string& dir, std::string_view passphrase) {
  absl::StatusOr<std::string> bytes = ReadHeaderFile(dir);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<Header> header = ParseHeader(*bytes);
  if (!header.ok()) return header.status();
  absl::StatusOr<SecretBytes> master_key = UnwrapMasterKey(*header, passphrase);
  if (!master_key.ok()) return master_key.status();

  absl::StatusOr<OpenedDatabase> opened =
      OpenDatabase(dir, *master_key, /*create=*/false);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<ProfileStore> store(new ProfileStore(
      dir, std::move(opened->db), *std::move(master_key),
      std::move(opened->value_key), std::move(opened->mac_key)));
  absl::StatusOr<std::optional<std::string>> check =
      store->Get(Namespace::kMeta, kCheckKey);
  if (!check.ok() || !check->has_value() || **check != kCheckValue) {
    return absl::DataLossError(
        "profile database does not belong to this profile header (or lost "
        "its check record)");
  }
  return store;
}

std::string ProfileStore::StorageKey(Namespace ns, std::string_view key) const {
  std::string input;
  input.reserve(1 + key.size());
  input.push_back(static_cast<char>(ns));
  input.append(key);
  std::string out(1 + kMacSize, '\0');
  out[0] = static_cast<char>(ns);
  unsigned int len = 0;
  HMAC(EVP_sha256(), mac_key_.data(), static_cast<int>(mac_key_.size()),
       Bytes(input), input.size(), reinterpret_cast<uint8_t*>(out.data()) + 1,
       &len);
  WipeString(input);
  return out;
}

absl::StatusOr<std::string> ProfileStore::SealValue(
    std::string_view storage_key, std::string_view key,
    std::string_view value) const {
  if (key.size() > UINT32_MAX) {
    return absl::InvalidArgumentError("key too long");
  }
  std::string plain;
  plain.reserve(4 + key.size() + value.size());
  PutU32(plain, static_cast<uint32_t>(key.size()));
  plain.append(key);
  plain.append(value);
  absl::StatusOr<std::string> sealed = GcmSeal(value_key_, storage_key, plain);
  WipeString(plain);
  return sealed;
}

absl::Status ProfileStore::OpenValue(std::string_view storage_key,
                                     std::string_view sealed,
                                     std::string& out_key,
                                     std::string& out_value) const {
  SecretBytes plain;
  if (!GcmOpen(value_key_, storage_key, sealed, plain)) {
    return Corrupt("authentication failed");
  }
  const std::string_view view = plain.view();
  if (view.size() < 4) return Corrupt("short record");
  const uint32_t key_size = GetU32(view);
  if (view.size() - 4 < key_size) return Corrupt("bad key length");
  out_key = std::string(view.substr(4, key_size));
  out_value = std::string(view.substr(4 + key_size));
  return absl::OkStatus();
}

absl::Status ProfileStore::Put(Namespace ns, std::string_view key,
                               std::string_view value) {
  Batch batch;
  batch.Put(ns, key, value);
  return Write(batch);
}

absl::Status ProfileStore::Delete(Namespace ns, std::string_view key) {
  Batch batch;
  batch.Delete(ns, key);
  return Write(batch);
}

absl::Status ProfileStore::Write(const Batch& batch) {
  rocksdb::WriteBatch write;
  for (const Batch::Op& op : batch.ops_) {
    if (absl::Status status = CheckNamespace(op.ns); !status.ok()) {
      return status;
    }
    const std::string storage_key = StorageKey(op.ns, op.key);
    rocksdb::Status s;
    if (op.value.has_value()) {
      absl::StatusOr<std::string> sealed =
          SealValue(storage_key, op.key, *op.value);
      if (!sealed.ok()) return sealed.status();
      s = write.Put(storage_key, *sealed);
    } else {
      s = write.Delete(storage_key);
    }
    if (!s.ok()) return FromRocks(s, "cannot build the write batch");
  }
  return FromRocks(db_->Write(SyncedWrites(), &write),
                   "cannot write to the profile database");
}

absl::StatusOr<std::optional<std::string>> ProfileStore::Get(
    Namespace ns, std::string_view key) {
  if (absl::Status status = CheckNamespace(ns); !status.ok()) return status;
  const std::string storage_key = StorageKey(ns, key);
  std::string sealed;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), storage_key, &sealed);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "cannot read the profile database");
  std::string stored_key, value;
  absl::Status status = OpenValue(storage_key, sealed, stored_key, value);
  const bool same_key = stored_key == key;
  WipeString(stored_key);
  if (!status.ok()) return status;
  if (!same_key) {
    WipeString(value);
    return Corrupt("key mismatch");
  }
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ProfileStore::Scan(Namespace ns) {
  if (absl::Status status = CheckNamespace(ns); !status.ok()) return status;
  const char prefix = static_cast<char>(ns);
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(rocksdb::Slice(&prefix, 1));
       it->Valid() && !it->key().empty() && it->key()[0] == prefix;
       it->Next()) {
    std::string key, value;
    absl::Status status = OpenValue(it->key().ToStringView(),
                                    it->value().ToStringView(), key, value);
    if (!status.ok()) {
      for (auto& [k, v] : out) {
        WipeString(k);
        WipeString(v);
      }
      return status;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  if (!it->status().ok()) {
    return FromRocks(it->status(), "cannot scan the profile database");
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

absl::Status ProfileStore::ChangePassphrase(std::string_view old_passphrase,
                                            std::string_view new_passphrase) {
  if (new_passphrase.empty()) {
    return absl::InvalidArgumentError("the new passphrase must not be empty");
  }
  absl::MutexLock lock(&header_mu_);
  absl::StatusOr<std::string> bytes = ReadHeaderFile(dir_);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<Header> header = ParseHeader(*bytes);
  if (!header.ok()) return header.status();
  absl::StatusOr<SecretBytes> master_key =
      UnwrapMasterKey(*header, old_passphrase);
  if (!master_key.ok()) return master_key.status();
  if (!master_key->Equals(master_key_)) {
    return absl::DataLossError(
        "profile header on disk no longer matches the open profile");
  }
  absl::StatusOr<std::string> new_header =
      BuildHeader(new_passphrase, header->params, master_key_);
  if (!new_header.ok()) return new_header.status();
  return WriteFileAtomically(dir_, HeaderPath(dir_), *new_header);
}

}  // namespace confidant::client
