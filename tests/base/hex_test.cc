#include "base/hex.h"

#include <gtest/gtest.h>

#include <string>

namespace confidant::base {
namespace {

TEST(HexTest, EncodesLowerCaseTwoDigitsAByte) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
}

TEST(HexTest, DecodesEitherCaseAndRoundTrips) {
  EXPECT_EQ(HexDecode(""), std::string());
  EXPECT_EQ(HexDecode("0001ABff"), std::string("\x00\x01\xab\xff", 4));
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(HexDecode(HexEncode(all)), all);
}

TEST(HexTest, RefusesOddLengthAndNonHex) {
  for (const char* bad : {"0", "abc", "0g", "g0", " 00", "00 ", "0x00", "--"}) {
    EXPECT_EQ(HexDecode(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace confidant::base
