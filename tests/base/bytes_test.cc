#include "base/bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace confidant::base {
namespace {

TEST(BytesTest, LittleEndianInPlaceMatchesAppendedAndRoundTrips) {
  std::string appended;
  PutLittleEndian(appended, 0x0102030405060708, 8);
  EXPECT_EQ(appended, std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
  std::string buffer(10, '\xff');
  EncodeLittleEndian(&buffer[1], 0x0102030405060708, 8);
  EXPECT_EQ(buffer.substr(1, 8), appended);
  // Only the bytes asked for are written.
  EXPECT_EQ(buffer[0], '\xff');
  EXPECT_EQ(buffer[9], '\xff');
  EncodeLittleEndian(buffer.data(), 0xfffffffe, 4);
  EXPECT_EQ(GetLittleEndian(buffer, 4), 0xfffffffeu);
  EXPECT_EQ(GetLittleEndian(buffer.substr(1), 2), 0xffffu);
}

TEST(BytesTest, BigEndianRoundTrips) {
  std::string out;
  PutBigEndian(out, 0x0102030405060708, 8);
  EXPECT_EQ(out, std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(GetBigEndian(out, 8), 0x0102030405060708u);
}

}  // namespace
}  // namespace confidant::base
