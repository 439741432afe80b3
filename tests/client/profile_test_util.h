// Helpers for the tests of client/profile_store: fast Argon2id parameters, a
// passphrase the policy accepts, and raw access to a closed profile's files
// and database (what someone with the disk but not the passphrase has).
#ifndef CONFIDANT_TESTS_CLIENT_PROFILE_TEST_UTIL_H_
#define CONFIDANT_TESTS_CLIENT_PROFILE_TEST_UTIL_H_

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/profile_store.h"
#include "crypto/kdf.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"

namespace confidant::client::testing {

// Cheapest parameters kdf.h accepts, so tests stay fast.
inline constexpr crypto::Argon2Params kFastParams = {1, 8 * 1024, 1};
inline constexpr char kPassphrase[] = "correct horse battery staple";
inline constexpr char kOtherPassphrase[] = "violet lantern drifts over harbour";

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Every regular file under `dir`, by path.
inline std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      out[entry.path().string()] = ReadFile(entry.path().string());
    }
  }
  return out;
}

// The RocksDB directory of the (closed) profile in `profile_dir`.
inline std::string RawDatabaseDir(const std::string& profile_dir) {
  absl::StatusOr<std::string> dir = ProfileStore::DatabaseDir(profile_dir);
  EXPECT_TRUE(dir.ok()) << dir.status();
  return dir.ok() ? *dir : std::string();
}

// The database of a closed profile, opened with RocksDB alone.
inline std::unique_ptr<rocksdb::DB> OpenRaw(const std::string& profile_dir) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Options options;
  rocksdb::Status s =
      rocksdb::DB::Open(options, RawDatabaseDir(profile_dir), &raw);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::unique_ptr<rocksdb::DB>(raw);
}

// Every raw (key, value) of namespace `ns` in a closed profile.
inline std::vector<std::pair<std::string, std::string>> RawRecords(
    const std::string& profile_dir, Namespace ns) {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::DB> db = OpenRaw(profile_dir);
  if (db == nullptr) return out;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key()[0] == static_cast<char>(ns)) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
  }
  return out;
}

}  // namespace confidant::client::testing

#endif  // CONFIDANT_TESTS_CLIENT_PROFILE_TEST_UTIL_H_
