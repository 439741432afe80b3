#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace confidant::base {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  for (const std::string& s : std::vector<std::string>{
           "", "plain ascii", "Grüße", "日本語", "emoji \xF0\x9F\x98\x80",
           "\x7f", "\xC2\x80", "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF",
           std::string("nul\0inside", 10)}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
  }
}

TEST(Utf8Test, RefusesMalformedText) {
  for (const std::string& s : std::vector<std::string>{
           "\x80",                  // lone continuation byte
           "\xC3",                  // truncated two-byte form
           "ab\xE6\x97",            // truncated three-byte form at the end
           "\xC0\xAF",              // overlong '/'
           "\xE0\x80\xAF",          // overlong, three bytes
           "\xF0\x80\x80\xAF",      // overlong, four bytes
           "\xED\xA0\x80",          // UTF-16 surrogate U+D800
           "\xF4\x90\x80\x80",      // beyond U+10FFFF
           "\xF8\x88\x80\x80\x80",  // five-byte form
           "\xFF",
           "\xC3(",  // continuation byte missing
       }) {
    EXPECT_FALSE(IsValidUtf8(s)) << testing::PrintToString(s);
  }
}

TEST(Utf8Test, DecodesCodePointsAndTheirLengths) {
  const std::string text = "a\xC3\xBC\xE6\x97\xA5\xF0\x9F\x98\x80";
  uint32_t cp = 0;
  EXPECT_EQ(DecodeUtf8(text, 0, cp), 1u);
  EXPECT_EQ(cp, 'a');
  EXPECT_EQ(DecodeUtf8(text, 1, cp), 2u);
  EXPECT_EQ(cp, 0xFCu);
  EXPECT_EQ(DecodeUtf8(text, 3, cp), 3u);
  EXPECT_EQ(cp, 0x65E5u);
  EXPECT_EQ(DecodeUtf8(text, 6, cp), 4u);
  EXPECT_EQ(cp, 0x1F600u);
  cp = 42;
  EXPECT_EQ(DecodeUtf8(text, 2, cp), 0u);  // inside a sequence
  EXPECT_EQ(cp, 42u);
}

}  // namespace
}  // namespace confidant::base
