#include "crypto/kdf.h"

#include <chrono>
#include <iostream>
#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "crypto/errors.h"
#include "gtest/gtest.h"

namespace confidant::crypto {
namespace {

// Cheap parameters inside DerivePassphraseKey's bounds, for tests that do
// not care about cost.
constexpr Argon2Params kFastParams = {1, kMinArgon2MemoryKib, 1};

std::string Hex(const SecretBytes& key) {
  return absl::BytesToHexString(std::string(key.view()));
}

// RFC 9106 section 5.3: Argon2id, version 0x13.
TEST(Argon2idTest, Rfc9106TestVector) {
  absl::StatusOr<SecretBytes> tag = Argon2id(
      std::string(32, '\x01'), std::string(16, '\x02'), std::string(8, '\x03'),
      std::string(12, '\x04'), Argon2Params{3, 32, 4}, 32);
  ASSERT_TRUE(tag.ok()) << tag.status();
  EXPECT_EQ(Hex(*tag),
            "0d640df58d78766c08c037a34a8b53c9"
            "d01ef0452d75b65eb52520e96b01e659");
}

// Computed once with libargon2 20171227 through this code, to pin the
// passphrase path (UTF-8 bytes, no secret, no associated data) and the
// default parameters.
TEST(DerivePassphraseKeyTest, StoredVectorWithDefaultParams) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<SecretBytes> key = DerivePassphraseKey(
      "correct horse battery staple",
      absl::HexStringToBytes("000102030405060708090a0b0c0d0e0f"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(Hex(*key),
            "853b272a44db1421c02962669a55eb09"
            "94f3cab385ed1c4c79253eee19bab49e");
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  // Reported, not asserted: timing belongs to benchmarks.
  std::cout << "Argon2id default parameters (t=" << kDefaultArgon2Params.t_cost
            << ", m=" << kDefaultArgon2Params.m_cost_kib
            << " KiB, p=" << kDefaultArgon2Params.parallelism << "): " << ms
            << " ms\n";
  ::testing::Test::RecordProperty("argon2id_default_ms", std::to_string(ms));
}

TEST(DerivePassphraseKeyTest, DeterministicAndSensitiveToEveryInput) {
  const std::string salt = NewSalt();
  absl::StatusOr<SecretBytes> a =
      DerivePassphraseKey("passphrase", salt, kFastParams);
  absl::StatusOr<SecretBytes> again =
      DerivePassphraseKey("passphrase", salt, kFastParams);
  ASSERT_TRUE(a.ok() && again.ok());
  EXPECT_TRUE(a->Equals(*again));
  EXPECT_EQ(a->size(), 32u);

  std::set<std::string> keys = {Hex(*a)};
  auto add = [&](absl::StatusOr<SecretBytes> key) {
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_TRUE(keys.insert(Hex(*key)).second);
  };
  add(DerivePassphraseKey("passphrasf", salt, kFastParams));
  add(DerivePassphraseKey("passphrase", NewSalt(), kFastParams));
  add(DerivePassphraseKey("passphrase", salt,
                          Argon2Params{2, kMinArgon2MemoryKib, 1}));
  add(DerivePassphraseKey("passphrase", salt,
                          Argon2Params{1, kMinArgon2MemoryKib + 8, 1}));
  add(DerivePassphraseKey("passphrase", salt,
                          Argon2Params{1, kMinArgon2MemoryKib, 2}));
  absl::StatusOr<SecretBytes> longer =
      DerivePassphraseKey("passphrase", salt, kFastParams, 64);
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(longer->size(), 64u);
  // Argon2's output length feeds its initial hash: not a prefix extension.
  EXPECT_NE(Hex(*longer).substr(0, 64), Hex(*a));
}

TEST(DerivePassphraseKeyTest, NonAsciiPassphraseIsBytes) {
  const std::string salt(16, 's');
  absl::StatusOr<SecretBytes> composed =
      DerivePassphraseKey("caf\xc3\xa9", salt, kFastParams);
  absl::StatusOr<SecretBytes> decomposed =
      DerivePassphraseKey("cafe\xcc\x81", salt, kFastParams);
  ASSERT_TRUE(composed.ok() && decomposed.ok());
  // No Unicode normalization here: the UI must normalize (NFC) first.
  EXPECT_FALSE(composed->Equals(*decomposed));
}

void ExpectRejected(absl::StatusOr<SecretBytes> key, std::string_view what) {
  ASSERT_FALSE(key.ok()) << what;
  EXPECT_EQ(GetCryptoError(key.status()), CryptoError::kInvalidKey)
      << what << ": " << key.status();
}

TEST(DerivePassphraseKeyTest, ValidatesInputs) {
  const std::string salt(16, 's');
  ExpectRejected(DerivePassphraseKey("", salt, kFastParams), "empty");
  ExpectRejected(DerivePassphraseKey("p", std::string(15, 's'), kFastParams),
                 "short salt");
  ExpectRejected(DerivePassphraseKey("p", std::string(17, 's'), kFastParams),
                 "long salt");
  ExpectRejected(DerivePassphraseKey("p", salt, kFastParams, 15), "key 15");
  ExpectRejected(DerivePassphraseKey("p", salt, kFastParams, 65), "key 65");
  ExpectRejected(
      DerivePassphraseKey("p", salt, Argon2Params{0, kMinArgon2MemoryKib, 1}),
      "t_cost 0");
  ExpectRejected(
      DerivePassphraseKey("p", salt, Argon2Params{101, kMinArgon2MemoryKib, 1}),
      "t_cost 101");
  ExpectRejected(
      DerivePassphraseKey("p", salt, Argon2Params{1, kMinArgon2MemoryKib, 0}),
      "parallelism 0");
  ExpectRejected(
      DerivePassphraseKey("p", salt, Argon2Params{1, kMinArgon2MemoryKib, 17}),
      "parallelism 17");
  ExpectRejected(DerivePassphraseKey(
                     "p", salt, Argon2Params{1, kMinArgon2MemoryKib - 1, 1}),
                 "memory below the floor");
  ExpectRejected(DerivePassphraseKey(
                     "p", salt, Argon2Params{1, kMaxArgon2MemoryKib + 1, 1}),
                 "memory above the ceiling");
  EXPECT_TRUE(DerivePassphraseKey("p", salt, kFastParams, 16).ok());
  EXPECT_TRUE(DerivePassphraseKey("p", salt, kFastParams, 64).ok());
}

TEST(Argon2idTest, LibraryLimitsAreInvalidKey) {
  ExpectRejected(Argon2id("p", "short", "", "", Argon2Params{1, 64, 1}, 32),
                 "salt below 8 bytes");
  ExpectRejected(Argon2id("p", "saltsalt", "", "", Argon2Params{1, 64, 1}, 3),
                 "output below 4 bytes");
  ExpectRejected(Argon2id("p", "saltsalt", "", "", Argon2Params{1, 8, 4}, 32),
                 "memory below 8 per lane");
}

TEST(NewSaltTest, SixteenFreshBytes) {
  std::set<std::string> salts;
  for (int i = 0; i < 100; ++i) {
    const std::string salt = NewSalt();
    EXPECT_EQ(salt.size(), kPassphraseSaltSize);
    salts.insert(salt);
  }
  EXPECT_EQ(salts.size(), 100u);
}

}  // namespace
}  // namespace confidant::crypto
