#include "client/profile_store.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "tests/client/profile_test_util.h"
#include "tests/testing/test_util.h"

namespace confidant::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

using testing::kFastParams;
using testing::kOtherPassphrase;
using testing::kPassphrase;
using testing::ReadFile;
using testing::Snapshot;
using testing::WriteFile;

class ProfileStoreTest : public ::testing::Test {
 protected:
  std::string ProfileDir() const { return tmp_.path() + "/profile"; }
  std::string HeaderPath() const {
    return absl::StrCat(ProfileDir(), "/", kProfileHeaderFile);
  }

  std::unique_ptr<ProfileStore> CreateProfile() {
    auto store = ProfileStore::Create(ProfileDir(), kPassphrase, kFastParams);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::unique_ptr<ProfileStore> OpenProfile(
      std::string_view passphrase = kPassphrase) {
    auto store = ProfileStore::Open(ProfileDir(), passphrase);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  confidant::testing::TempDir tmp_;
};

TEST_F(ProfileStoreTest, CreateThenReopenKeepsData) {
  {
    std::unique_ptr<ProfileStore> store = CreateProfile();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kCase, "case-1", "open").ok());
    ASSERT_TRUE(store->Put(Namespace::kCase, "case-2", "closed").ok());
    ASSERT_TRUE(store->Put(Namespace::kCase, "case-2", "reopened").ok());
    ASSERT_TRUE(store->Put(Namespace::kCase, "empty", "").ok());
  }
  std::unique_ptr<ProfileStore> store = OpenProfile();
  ASSERT_NE(store, nullptr);
  auto value = store->Get(Namespace::kCase, "case-1");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, std::optional<std::string>("open"));
  EXPECT_EQ(*store->Get(Namespace::kCase, "case-2"),
            std::optional<std::string>("reopened"));
  EXPECT_EQ(*store->Get(Namespace::kCase, "empty"),
            std::optional<std::string>(""));
  EXPECT_EQ(*store->Get(Namespace::kCase, "missing"), std::nullopt);

  ASSERT_TRUE(store->Delete(Namespace::kCase, "case-1").ok());
  ASSERT_TRUE(store->Delete(Namespace::kCase, "never-there").ok());
  store.reset();
  store = OpenProfile();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->Get(Namespace::kCase, "case-1"), std::nullopt);
  EXPECT_EQ(*store->Get(Namespace::kCase, "case-2"),
            std::optional<std::string>("reopened"));
}

TEST_F(ProfileStoreTest, DefaultArgon2Parameters) {
  {
    auto store = ProfileStore::Create(ProfileDir(), kPassphrase);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Put(Namespace::kMeta, "k", "v").ok());
  }
  std::unique_ptr<ProfileStore> store = OpenProfile();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->Get(Namespace::kMeta, "k"),
            std::optional<std::string>("v"));
}

TEST_F(ProfileStoreTest, CreateMakesPrivateDirectoryAndRefusesExisting) {
  std::unique_ptr<ProfileStore> store = CreateProfile();
  ASSERT_NE(store, nullptr);
  struct stat st;
  ASSERT_EQ(stat(ProfileDir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  store.reset();

  auto again =
      ProfileStore::Create(ProfileDir(), kOtherPassphrase, kFastParams);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  // The existing profile still opens.
  EXPECT_NE(OpenProfile(), nullptr);
}

TEST_F(ProfileStoreTest, CreateRejectsBadInput) {
  EXPECT_EQ(ProfileStore::Create(ProfileDir(), "", kFastParams).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ProfileStore::Create(ProfileDir(), kPassphrase, {0, 8 * 1024, 1})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(HeaderPath()));
}

TEST_F(ProfileStoreTest, WeakPassphraseIsRefused) {
  for (const char* weak : {"password123", "Welkom2024!", "demo passphrase",
                           "Tr0ub4dor&3", "vertrouwenspersoon"}) {
    auto store = ProfileStore::Create(ProfileDir(), weak, kFastParams);
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument)
        << weak;
    EXPECT_THAT(store.status().message(), HasSubstr("passphrase too weak"));
    EXPECT_THAT(store.status().message(), HasSubstr("wachtwoordzin te zwak"));
  }
  EXPECT_FALSE(std::filesystem::exists(ProfileDir()));

  std::unique_ptr<ProfileStore> store = CreateProfile();
  ASSERT_NE(store, nullptr);
  const std::map<std::string, std::string> before = Snapshot(ProfileDir());
  absl::Status status = store->ChangePassphrase(kPassphrase, "qwertyuiop");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("passphrase too weak"));
  EXPECT_EQ(Snapshot(ProfileDir()), before);
}

TEST_F(ProfileStoreTest, WrongPassphraseIsClearAndTouchesNothing) {
  {
    std::unique_ptr<ProfileStore> store = CreateProfile();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kMessage, "m1", "hello").ok());
  }
  const std::map<std::string, std::string> before = Snapshot(ProfileDir());
  auto store = ProfileStore::Open(ProfileDir(), "wrong passphrase");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(store.status().message(), HasSubstr("wrong passphrase"));
  EXPECT_EQ(ProfileStore::Open(ProfileDir(), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Snapshot(ProfileDir()), before);
}

TEST_F(ProfileStoreTest, NotAProfile) {
  auto missing = ProfileStore::Open(tmp_.path() + "/nowhere", kPassphrase);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  std::filesystem::create_directory(ProfileDir());
  WriteFile(ProfileDir() + "/unrelated.txt", "hello");
  auto empty = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(empty.status().message(), HasSubstr(kProfileHeaderFile));
}

TEST_F(ProfileStoreTest, CorruptOrTruncatedHeaderIsDataLoss) {
  ASSERT_NE(CreateProfile(), nullptr);
  const std::string header = ReadFile(HeaderPath());
  ASSERT_FALSE(header.empty());

  for (size_t i = 0; i < header.size(); ++i) {
    if (i == 8) continue;  // the version byte: tested below
    std::string corrupt = header;
    corrupt[i] ^= 0x01;
    WriteFile(HeaderPath(), corrupt);
    auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
    EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << i;
  }
  for (size_t n :
       {size_t{0}, size_t{5}, header.size() / 2, header.size() - 1}) {
    WriteFile(HeaderPath(), header.substr(0, n));
    auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
    EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << n;
    if (n > 9) {
      EXPECT_THAT(store.status().message(), HasSubstr("truncated"));
    }
  }
  WriteFile(HeaderPath(), header + "x");
  EXPECT_EQ(ProfileStore::Open(ProfileDir(), kPassphrase).status().code(),
            absl::StatusCode::kDataLoss);

  std::string future = header;
  future[8] = 9;
  WriteFile(HeaderPath(), future);
  auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("version 9"));

  WriteFile(HeaderPath(), header);
  EXPECT_NE(OpenProfile(), nullptr);
}

TEST_F(ProfileStoreTest, MissingOrForeignDatabaseIsClear) {
  const std::string other_dir = tmp_.path() + "/other";
  ASSERT_TRUE(ProfileStore::Create(other_dir, kPassphrase, kFastParams).ok());
  ASSERT_NE(CreateProfile(), nullptr);
  const std::string db = absl::StrCat(ProfileDir(), "/", kProfileDatabaseDir);
  std::filesystem::rename(db, tmp_.path() + "/saved-db");

  auto missing = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("missing"));

  std::filesystem::copy(absl::StrCat(other_dir, "/", kProfileDatabaseDir), db,
                        std::filesystem::copy_options::recursive);
  auto foreign = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(ProfileStoreTest, OpenTwiceIsUnavailable) {
  std::unique_ptr<ProfileStore> store = CreateProfile();
  ASSERT_NE(store, nullptr);
  auto second = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable)
      << second.status();
}

TEST_F(ProfileStoreTest, NothingReachesTheDiskInClear) {
  const std::string key = "KEY-a11ce000000000000000000000000001";
  const std::string value = "VALUE-the-manager-shouts-at-me-every-day";
  const std::string batch_key = "BATCHKEY-b0b00000000000000000000000000002";
  const std::string batch_value = "BATCHVALUE-please-keep-this-confidential";
  {
    std::unique_ptr<ProfileStore> store = CreateProfile();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kMessage, key, value).ok());
    ProfileStore::Batch batch;
    batch.Put(Namespace::kCase, batch_key, batch_value);
    ASSERT_TRUE(store->Write(batch).ok());
  }
  {
    // Reopen so the data also passes through a flush/recovery.
    std::unique_ptr<ProfileStore> store = OpenProfile();
    ASSERT_NE(store, nullptr);
  }
  const std::map<std::string, std::string> files = Snapshot(ProfileDir());
  ASSERT_GT(files.size(), 2u);
  for (const auto& [path, bytes] : files) {
    for (const std::string& needle :
         {key, value, batch_key, batch_value, std::string("a11ce0000000"),
          std::string("shouts")}) {
      EXPECT_EQ(bytes.find(needle), std::string::npos)
          << needle << " found in " << path;
    }
  }
}

// Applies `edit` to every stored value of namespace `ns` through a raw
// RocksDB handle (the profile must be closed).
void EditRawValues(const std::string& profile_dir, Namespace ns,
                   const std::function<std::string(std::string)>& edit) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Options options;
  ASSERT_TRUE(
      rocksdb::DB::Open(options, testing::RawDatabaseDir(profile_dir), &raw)
          .ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<std::pair<std::string, std::string>> entries;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key()[0] == static_cast<char>(ns)) {
      entries.emplace_back(it->key().ToString(), it->value().ToString());
    }
  }
  it.reset();
  std::vector<std::string> values;
  values.reserve(entries.size());
  for (auto& [key, value] : entries) values.push_back(value);
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string edited = edit(entries[i].second);
    if (edited.empty()) edited = values[(i + 1) % values.size()];
    ASSERT_TRUE(db->Put({}, entries[i].first, edited).ok());
  }
  ASSERT_TRUE(db->Close().ok());
}

TEST_F(ProfileStoreTest, TamperedValueIsDataLoss) {
  {
    std::unique_ptr<ProfileStore> store = CreateProfile();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kCase, "case", "original").ok());
    ASSERT_TRUE(store->Put(Namespace::kMessage, "msg", "untouched").ok());
  }
  EditRawValues(ProfileDir(), Namespace::kCase, [](std::string value) {
    value[value.size() / 2] ^= 0x20;
    return value;
  });
  // The manifest's digest no longer matches: the whole profile refuses to
  // open rather than serve a mix.
  auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(store.status().message(),
              HasSubstr("profile was modified outside Confidant"));
}

TEST_F(ProfileStoreTest, SwappedValuesAreDataLoss) {
  {
    std::unique_ptr<ProfileStore> store = CreateProfile();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Put(Namespace::kCase, "a", "value of a").ok());
    ASSERT_TRUE(store->Put(Namespace::kCase, "b", "value of b").ok());
  }
  // An empty result makes EditRawValues use the next entry's value.
  EditRawValues(ProfileDir(), Namespace::kCase,
                [](const std::string&) { return std::string(); });
  auto store = ProfileStore::Open(ProfileDir(), kPassphrase);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(store.status().message(),
              HasSubstr("profile was modified outside Confidant"));
}

TEST_F(ProfileStoreTest, NamespacesAreSeparate) {
  std::unique_ptr<ProfileStore> store = CreateProfile();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Put(Namespace::kCase, "id", "case").ok());
  ASSERT_TRUE(store->Put(Namespace::kMessage, "id", "message").ok());
  EXPECT_EQ(*store->Get(Namespace::kCase, "id"),
            std::optional<std::string>("case"));
  EXPECT_EQ(*store->Get(Namespace::kMessage, "id"),
            std::optional<std::string>("message"));
  EXPECT_EQ(*store->Get(Namespace::kSession, "id"), std::nullopt);
  ASSERT_TRUE(store->Delete(Namespace::kCase, "id").ok());
  EXPECT_EQ(*store->Get(Namespace::kMessage, "id"),
            std::optional<std::string>("message"));
  EXPECT_EQ(store->Get(static_cast<Namespace>(0), "id").status().code(),
            absl::StatusCode::kInvalidArgument);
  // 128..255 belong to the store itself (its manifest).
  for (int ns : {128, 200, 255}) {
    EXPECT_EQ(store->Put(static_cast<Namespace>(ns), "manifest", "x").code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(
        store->Get(static_cast<Namespace>(ns), "manifest").status().code(),
        absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(store->Scan(static_cast<Namespace>(ns)).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST_F(ProfileStoreTest, ScanIsSortedAndPerNamespace) {
  std::unique_ptr<ProfileStore> store = CreateProfile();
  ASSERT_NE(store, nullptr);
  for (const char* key : {"m", "a", "z", "b\x01", "b"}) {
    ASSERT_TRUE(
        store->Put(Namespace::kCase, key, absl::StrCat("v-", key)).ok());
  }
  ASSERT_TRUE(store->Put(Namespace::kMessage, "c", "other").ok());
  ASSERT_TRUE(store->Put(Namespace::kSession, "c", "other").ok());
  auto scan = store->Scan(Namespace::kCase);
  ASSERT_TRUE(scan.ok()) << scan.status();
  EXPECT_THAT(*scan, ElementsAre(Pair("a", "v-a"), Pair("b", "v-b"),
                                 Pair("b\x01", "v-b\x01"), Pair("m", "v-m"),
                                 Pair("z", "v-z")));
  EXPECT_THAT(*store->Scan(Namespace::kMessage),
              ElementsAre(Pair("c", "other")));
  EXPECT_TRUE(store->Scan(Namespace::kPreKey)->empty());
}

TEST_F(ProfileStoreTest, BatchIsAllOrNothing) {
  std::unique_ptr<ProfileStore> store = CreateProfile();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Put(Namespace::kCase, "old", "x").ok());

  ProfileStore::Batch bad;
  bad.Put(Namespace::kCase, "new", "y");
  bad.Delete(Namespace::kCase, "old");
  bad.Put(static_cast<Namespace>(0), "invalid", "z");
  EXPECT_EQ(store->Write(bad).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store->Get(Namespace::kCase, "new"), std::nullopt);
  EXPECT_EQ(*store->Get(Namespace::kCase, "old"),
            std::optional<std::string>("x"));

  ProfileStore::Batch good;
  good.Put(Namespace::kCase, "new", "y");
  good.Delete(Namespace::kCase, "old");
  good.Put(Namespace::kMessage, "m", "1");
  good.Put(Namespace::kMessage, "m", "2");  // later operations win
  EXPECT_EQ(good.size(), 4u);
  ASSERT_TRUE(store->Write(good).ok());
  store.reset();
  store = OpenProfile();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(*store->Scan(Namespace::kCase), ElementsAre(Pair("new", "y")));
  EXPECT_EQ(*store->Get(Namespace::kMessage, "m"),
            std::optional<std::string>("2"));
}

TEST_F(ProfileStoreTest, ChangePassphrase) {
  std::unique_ptr<ProfileStore> store = CreateProfile();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Put(Namespace::kCase, "case", "data").ok());
  const std::string header = ReadFile(HeaderPath());

  EXPECT_EQ(store->ChangePassphrase("wrong", kOtherPassphrase).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store->ChangePassphrase(kPassphrase, "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store
                ->ChangePassphrase(kPassphrase, kOtherPassphrase,
                                   crypto::Argon2Params{0, 8 * 1024, 1})
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadFile(HeaderPath()), header);

  ASSERT_TRUE(store->ChangePassphrase(kPassphrase, kOtherPassphrase).ok());
  EXPECT_NE(ReadFile(HeaderPath()), header);
  EXPECT_FALSE(std::filesystem::exists(HeaderPath() + ".tmp"));
  // The open store keeps working, on the new generation.
  EXPECT_EQ(*store->Get(Namespace::kCase, "case"),
            std::optional<std::string>("data"));
  ASSERT_TRUE(store->Put(Namespace::kCase, "after", "more").ok());
  store.reset();

  EXPECT_EQ(ProfileStore::Open(ProfileDir(), kPassphrase).status().code(),
            absl::StatusCode::kPermissionDenied);
  store = OpenProfile(kOtherPassphrase);
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(*store->Scan(Namespace::kCase),
              ElementsAre(Pair("after", "more"), Pair("case", "data")));
}

TEST_F(ProfileStoreTest, ConcurrentWriters) {
  std::unique_ptr<ProfileStore> store = CreateProfile();
  ASSERT_NE(store, nullptr);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 20; ++i) {
        const std::string key = absl::StrCat(t, "-", i);
        EXPECT_TRUE(store->Put(Namespace::kMessage, key, key).ok());
        EXPECT_EQ(*store->Get(Namespace::kMessage, key),
                  std::optional<std::string>(key));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(store->Scan(Namespace::kMessage)->size(), 80u);
}

}  // namespace
}  // namespace confidant::client
