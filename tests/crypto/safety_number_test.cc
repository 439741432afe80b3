// Safety numbers: agreement between the two sides, grouping, scannable
// comparison, known-answer vectors, and an independent recomputation of the
// digits with OpenSSL.
#include "crypto/safety_number.h"

#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/hex.h"
#include "crypto/errors.h"
#include "crypto/keys.h"
#include "gtest/gtest.h"

namespace confidant::crypto {
namespace {

constexpr char kAliceId[] = "a11ce000000000000000000000000001";
constexpr char kBobId[] = "b0b00000000000000000000000000002";

std::string NewKey() {
  absl::StatusOr<IdentityKeyPair> pair = IdentityKeyPair::Generate();
  EXPECT_TRUE(pair.ok());
  return pair->public_key();
}

std::string Hex(std::string_view bytes) { return base::HexEncode(bytes); }

// The vector files hold well-formed hex; anything else fails the test.
std::string Unhex(std::string_view hex) {
  std::optional<std::string> bytes = base::HexDecode(hex);
  EXPECT_TRUE(bytes.has_value()) << hex;
  return bytes.value_or("");
}

// libsignal's numeric fingerprint of one side, recomputed with OpenSSL:
// h = 0x0000 || key || id; 5200 times h = SHA-512(h || key); then six
// 5-byte big-endian chunks, each mod 100000 as 5 digits.
std::string IndependentHalf(const std::string& id, const std::string& key) {
  std::string hash = std::string(2, '\0') + key + id;
  for (int i = 0; i < kSafetyNumberIterations; ++i) {
    const std::string input = hash + key;
    unsigned char out[64];
    unsigned int len = 0;
    EXPECT_EQ(EVP_Digest(input.data(), input.size(), out, &len, EVP_sha512(),
                         nullptr),
              1);
    hash.assign(reinterpret_cast<char*>(out), len);
  }
  std::string digits;
  for (int i = 0; i < 30; i += 5) {
    uint64_t chunk = 0;
    for (int j = 0; j < 5; ++j) {
      chunk = (chunk << 8) | static_cast<unsigned char>(hash[i + j]);
    }
    char group[6];
    std::snprintf(group, sizeof(group), "%05d",
                  static_cast<int>(chunk % 100000));
    digits += group;
  }
  return digits;
}

TEST(SafetyNumberTest, BothSidesAgree) {
  const std::string alice = NewKey();
  const std::string bob = NewKey();
  absl::StatusOr<SafetyNumber> at_alice =
      ComputeSafetyNumber(kAliceId, alice, kBobId, bob);
  absl::StatusOr<SafetyNumber> at_bob =
      ComputeSafetyNumber(kBobId, bob, kAliceId, alice);
  ASSERT_TRUE(at_alice.ok()) << at_alice.status();
  ASSERT_TRUE(at_bob.ok()) << at_bob.status();
  EXPECT_EQ(at_alice->digits, at_bob->digits);
  ASSERT_EQ(at_alice->digits.size(), 60u);
  for (char c : at_alice->digits) EXPECT_TRUE(c >= '0' && c <= '9');
  EXPECT_NE(at_alice->scannable, at_bob->scannable);
  EXPECT_EQ(*MatchesScanned(*at_alice, at_bob->scannable), true);
  EXPECT_EQ(*MatchesScanned(*at_bob, at_alice->scannable), true);
}

TEST(SafetyNumberTest, MatchesAnIndependentImplementation) {
  const std::string alice = NewKey();
  const std::string bob = NewKey();
  absl::StatusOr<SafetyNumber> number =
      ComputeSafetyNumber(kAliceId, alice, kBobId, bob);
  ASSERT_TRUE(number.ok());
  const std::string a = IndependentHalf(kAliceId, alice);
  const std::string b = IndependentHalf(kBobId, bob);
  EXPECT_EQ(number->digits, a < b ? a + b : b + a);
}

TEST(SafetyNumberTest, DifferentKeysDiffer) {
  const std::string alice = NewKey();
  const std::string bob = NewKey();
  const std::string mallory = NewKey();
  absl::StatusOr<SafetyNumber> real =
      ComputeSafetyNumber(kAliceId, alice, kBobId, bob);
  // Bob's side when a man in the middle swapped Alice's key for his own.
  absl::StatusOr<SafetyNumber> attacked =
      ComputeSafetyNumber(kBobId, bob, kAliceId, mallory);
  ASSERT_TRUE(real.ok());
  ASSERT_TRUE(attacked.ok());
  EXPECT_NE(real->digits, attacked->digits);
  EXPECT_EQ(*MatchesScanned(*real, attacked->scannable), false);
  EXPECT_EQ(*MatchesScanned(*attacked, real->scannable), false);
  // Our own code read back (local and remote not swapped) does not match.
  EXPECT_EQ(*MatchesScanned(*real, real->scannable), false);
  // The account ids count too.
  absl::StatusOr<SafetyNumber> other_id = ComputeSafetyNumber(
      "c0ffee00000000000000000000000003", alice, kBobId, bob);
  ASSERT_TRUE(other_id.ok());
  EXPECT_NE(other_id->digits, real->digits);
}

TEST(SafetyNumberTest, Grouped) {
  SafetyNumber number;
  for (int i = 0; i < 60; ++i) number.digits.push_back('0' + i % 10);
  EXPECT_EQ(number.Grouped(),
            "01234 56789 01234 56789 01234 56789 01234 56789 01234 56789 "
            "01234 56789");
  absl::StatusOr<SafetyNumber> real =
      ComputeSafetyNumber(kAliceId, NewKey(), kBobId, NewKey());
  ASSERT_TRUE(real.ok());
  const std::string grouped = real->Grouped();
  ASSERT_EQ(grouped.size(), 71u);
  for (size_t i = 5; i < grouped.size(); i += 6) EXPECT_EQ(grouped[i], ' ');
}

TEST(SafetyNumberTest, MalformedScannedCodes) {
  absl::StatusOr<SafetyNumber> mine =
      ComputeSafetyNumber(kAliceId, NewKey(), kBobId, NewKey());
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(GetCryptoError(MatchesScanned(*mine, "").status()),
            CryptoError::kInvalidMessage);
  EXPECT_EQ(GetCryptoError(MatchesScanned(*mine, "\xff\xff\xff").status()),
            CryptoError::kInvalidMessage);
  // Field 1 (version) is the first varint: 0x08 0x01.
  ASSERT_EQ(mine->scannable.substr(0, 2), std::string("\x08\x01", 2));
  std::string version2 = mine->scannable;
  version2[1] = 0x02;
  EXPECT_EQ(GetCryptoError(MatchesScanned(*mine, version2).status()),
            CryptoError::kBadVersion);
  std::string version0 = mine->scannable;
  version0[1] = 0x00;  // version 0 needs identifiers: not a valid code
  EXPECT_FALSE(MatchesScanned(*mine, version0).ok());
  EXPECT_FALSE(MatchesScanned(
                   *mine, mine->scannable.substr(0, mine->scannable.size() - 4))
                   .ok());
}

TEST(SafetyNumberTest, RejectsBadInput) {
  const std::string key = NewKey();
  EXPECT_EQ(
      GetCryptoError(
          ComputeSafetyNumber(kAliceId, key.substr(1), kBobId, key).status()),
      CryptoError::kInvalidKey);
  EXPECT_EQ(GetCryptoError(ComputeSafetyNumber("", key, kBobId, key).status()),
            CryptoError::kInvalidMessage);
  EXPECT_EQ(GetCryptoError(
                ComputeSafetyNumber(std::string("a\0b", 3), key, kBobId, key)
                    .status()),
            CryptoError::kInvalidMessage);
}

// Reads testdata/fingerprint_vectors.txt (format at the top of that file).
std::vector<std::map<std::string, std::string>> ReadVectors() {
  std::ifstream in(std::string(CONFIDANT_CRYPTO_TESTDATA) +
                   "/fingerprint_vectors.txt");
  EXPECT_TRUE(in.good());
  std::vector<std::map<std::string, std::string>> records;
  std::map<std::string, std::string> current;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    if (line.empty()) {
      if (!current.empty()) records.push_back(std::move(current));
      current.clear();
      continue;
    }
    const size_t eq = line.find(" = ");
    EXPECT_NE(eq, std::string::npos) << line;
    if (eq == std::string::npos) continue;
    current[line.substr(0, eq)] = line.substr(eq + 3);
  }
  if (!current.empty()) records.push_back(std::move(current));
  return records;
}

TEST(SafetyNumberTest, KnownAnswerVectors) {
  const auto records = ReadVectors();
  ASSERT_GE(records.size(), 3u);
  for (const auto& r : records) {
    const std::string local_key = Unhex(r.at("local_key"));
    const std::string remote_key = Unhex(r.at("remote_key"));
    absl::StatusOr<SafetyNumber> number = ComputeSafetyNumber(
        r.at("local_id"), local_key, r.at("remote_id"), remote_key);
    ASSERT_TRUE(number.ok()) << number.status();
    EXPECT_EQ(number->digits, r.at("digits")) << r.at("local_id");
    EXPECT_EQ(Hex(number->scannable), r.at("scannable")) << r.at("local_id");
    absl::StatusOr<SafetyNumber> other = ComputeSafetyNumber(
        r.at("remote_id"), remote_key, r.at("local_id"), local_key);
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->digits, r.at("digits"));
    EXPECT_EQ(*MatchesScanned(*other, Unhex(r.at("scannable"))), true);
  }
}

// Prints fresh vectors in the file's format; run with
// --gtest_also_run_disabled_tests --gtest_filter='*PrintVectors' to make new
// ones (the checked-in file was made this way, once).
TEST(SafetyNumberTest, DISABLED_PrintVectors) {
  const std::vector<std::pair<std::string, std::string>> ids = {
      {kAliceId, kBobId},
      {"00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff"},
      {"5afe7700000000000000000000000abc", "7e57000000000000000000000000d00d"},
  };
  for (const auto& [local_id, remote_id] : ids) {
    const std::string local_key = NewKey();
    const std::string remote_key = NewKey();
    absl::StatusOr<SafetyNumber> number =
        ComputeSafetyNumber(local_id, local_key, remote_id, remote_key);
    ASSERT_TRUE(number.ok());
    std::printf(
        "local_id = %s\nlocal_key = %s\nremote_id = %s\nremote_key = %s\n"
        "digits = %s\nscannable = %s\n\n",
        local_id.c_str(), Hex(local_key).c_str(), remote_id.c_str(),
        Hex(remote_key).c_str(), number->digits.c_str(),
        Hex(number->scannable).c_str());
  }
}

}  // namespace
}  // namespace confidant::crypto
