#include "crypto/secret.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/platform_memory.h"
#include "gtest/gtest.h"

namespace confidant::crypto {
namespace {

TEST(SecretBytesTest, CopyMoveCloneAndEquality) {
  SecretBytes a = SecretBytes::CopyOf("key material");
  EXPECT_EQ(a.view(), "key material");
  SecretBytes b = a.Clone();
  EXPECT_TRUE(a.Equals(b));
  SecretBytes c = std::move(a);
  // NOLINTNEXTLINE(bugprone-use-after-move): a moved-from secret is empty
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.view(), "");
  EXPECT_TRUE(c.Equals(b));
  c = SecretBytes(3);
  EXPECT_EQ(c.view(), std::string(3, '\0'));
  EXPECT_FALSE(c.Equals(b));
  SecretBytes empty;
  EXPECT_NE(empty.data(), nullptr);
  EXPECT_TRUE(empty.Equals(SecretBytes::CopyOf("")));
}

TEST(SecretBytesTest, RandomIsFreshAndSized) {
  SecretBytes a = SecretBytes::Random(32);
  SecretBytes b = SecretBytes::Random(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_FALSE(a.Equals(b));
  EXPECT_TRUE(SecretBytes::Random(0).empty());
}

TEST(SecretBytesTest, ManySizesStayDistinct) {
  // Every size class and the page-backed large path, interleaved.
  std::vector<SecretBytes> secrets;
  for (size_t size : {1, 31, 32, 33, 100, 1000, 2048, 2049, 5000, 70000}) {
    for (int i = 0; i < 40; ++i) {
      secrets.push_back(
          SecretBytes::CopyOf(std::string(size, static_cast<char>('a' + i))));
    }
  }
  size_t at = 0;
  for (size_t size : {1, 31, 32, 33, 100, 1000, 2048, 2049, 5000, 70000}) {
    for (int i = 0; i < 40; ++i) {
      EXPECT_EQ(secrets[at++].view(),
                std::string(size, static_cast<char>('a' + i)));
    }
  }
  secrets.clear();
  // Released chunks come back zeroed.
  SecretBytes again(100);
  EXPECT_EQ(again.view(), std::string(100, '\0'));
}

#if defined(__linux__)
// The VmFlags line of the mapping of /proc/self/smaps that holds `address`.
std::string VmFlagsOf(const void* address) {
  const auto target = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> begin >> dash >> end && dash == '-' &&
        line.find(':') > line.find(' ')) {
      inside = begin <= target && target < end;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

TEST(SecretMemoryTest, SecretsAreLeftOutOfCoreDumpsAndLocked) {
  SecretBytes small = SecretBytes::Random(32);
  SecretBytes large = SecretBytes::Random(10000);
  const SecretMemoryProtection protection = GetSecretMemoryProtection();
  if (!protection.excluded_from_dumps) {
    GTEST_SKIP() << "this build keeps secrets on the ordinary heap "
                    "(sanitizer build or no MADV_DONTDUMP)";
  }
  for (const SecretBytes* secret : {&small, &large}) {
    const std::string flags = VmFlagsOf(secret->data());
    ASSERT_FALSE(flags.empty());
    EXPECT_NE(flags.find(" dd"), std::string::npos) << flags;
    if (protection.locked) {
      EXPECT_NE(flags.find(" lo"), std::string::npos) << flags;
    }
  }
}
#endif

}  // namespace
}  // namespace confidant::crypto
