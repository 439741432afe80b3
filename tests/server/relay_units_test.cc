// Unit tests of the relay's small parts: signature check, configuration,
// rate limits, display text, the mailbox hub, log scrubbing and rate limits,
// codes.
#include <grpc/support/log.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "base/testing/fake_clock.h"
#include "base/testing/fake_random.h"
#include "gtest/gtest.h"
#include "server/codes.h"
#include "server/config.h"
#include "server/log.h"
#include "server/mailbox_hub.h"
#include "server/rate_limiter.h"
#include "server/signature.h"
#include "server/text.h"
#include "server/worker_pool.h"
#include "tests/testing/test_util.h"

namespace confidant::server {
namespace {

using ::confidant::testing::TempDir;
using ::confidant::testing::XeddsaTestKey;

TEST(SignatureTest, AcceptsXeddsaSignature) {
  XeddsaTestKey identity;
  const std::string message = ::confidant::testing::RandomPublicKey();
  EXPECT_TRUE(VerifyXeddsaSignature(identity.public_key(), message,
                                    identity.Sign(message)));
}

TEST(SignatureTest, RejectsEveryFlippedBit) {
  XeddsaTestKey identity;
  const std::string message = ::confidant::testing::RandomPublicKey();
  const std::string sig = identity.Sign(message);
  for (size_t i = 0; i < sig.size() * 8; i += 7) {
    std::string bad = sig;
    bad[i / 8] = static_cast<char>(bad[i / 8] ^ (1 << (i % 8)));
    EXPECT_FALSE(VerifyXeddsaSignature(identity.public_key(), message, bad))
        << "bit " << i;
  }
  std::string bad_message = message;
  bad_message[5] ^= 1;
  EXPECT_FALSE(VerifyXeddsaSignature(identity.public_key(), bad_message, sig));
}

TEST(SignatureTest, RejectsOtherKeyAndMalformedInput) {
  XeddsaTestKey identity, other;
  const std::string message = "signed pre-key";
  const std::string sig = identity.Sign(message);
  EXPECT_FALSE(VerifyXeddsaSignature(other.public_key(), message, sig));
  EXPECT_FALSE(VerifyXeddsaSignature("", message, sig));
  EXPECT_FALSE(
      VerifyXeddsaSignature(identity.public_key().substr(1), message, sig));
  std::string wrong_type = identity.public_key();
  wrong_type[0] = 0x06;
  EXPECT_FALSE(VerifyXeddsaSignature(wrong_type, message, sig));
  EXPECT_FALSE(
      VerifyXeddsaSignature(identity.public_key(), message, sig.substr(1)));
  EXPECT_FALSE(VerifyXeddsaSignature(identity.public_key(), message, ""));
  // u = p - 1 (that is -1) has no Edwards image.
  std::string minus_one(33, '\xff');
  minus_one[0] = 0x05;
  minus_one[1] = static_cast<char>(0xec);
  minus_one[32] = 0x7f;
  EXPECT_FALSE(VerifyXeddsaSignature(minus_one, message, sig));
}

// A serialized key: 0x05, then u (little-endian) from `u_le` padded with
// zeros.
std::string Key(std::vector<unsigned char> u_le) {
  u_le.resize(32, 0);
  return "\x05" + std::string(u_le.begin(), u_le.end());
}

// u = 2^255 - 19 + delta for small delta, little-endian.
std::string NearP(int delta) {
  std::vector<unsigned char> u(32, 0xff);
  u[0] = static_cast<unsigned char>(0xed + delta);
  u[31] = 0x7f;
  return Key(u);
}

// The points of small order (libsodium's list; RFC 7748 §6.1) and
// non-canonical encodings are refused; keys people make are not.
TEST(PublicKeyCheckTest, RefusesSmallOrderAndNonCanonicalKeys) {
  const std::vector<std::string> small_order = {
      Key({0}),
      Key({1}),
      Key({0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
           0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
           0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00}),
      Key({0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1,
           0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c,
           0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57}),
      NearP(-1),  // p - 1, of order 2
  };
  for (const std::string& key : small_order) {
    EXPECT_EQ(CheckCurve25519PublicKey(key), PublicKeyProblem::kSmallOrder)
        << ::testing::PrintToString(key);
  }
  // p and p + 1 are 0 and 1 again; anything with bit 255 set is a second
  // encoding of a point below 2^255.
  for (const std::string& key : {NearP(0), NearP(1), NearP(18)}) {
    EXPECT_EQ(CheckCurve25519PublicKey(key), PublicKeyProblem::kNonCanonical);
  }
  for (std::string key : small_order) {
    key[32] = static_cast<char>(key[32] | 0x80);
    EXPECT_EQ(CheckCurve25519PublicKey(key), PublicKeyProblem::kNonCanonical);
  }
  XeddsaTestKey identity;
  std::string high = identity.public_key();
  EXPECT_EQ(CheckCurve25519PublicKey(high), PublicKeyProblem::kNone);
  high[32] = static_cast<char>(high[32] | 0x80);
  EXPECT_EQ(CheckCurve25519PublicKey(high), PublicKeyProblem::kNonCanonical);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(CheckCurve25519PublicKey(::confidant::testing::RandomPublicKey()),
              PublicKeyProblem::kNone);
  }
  EXPECT_EQ(CheckCurve25519PublicKey(Key({9})), PublicKeyProblem::kNone);
  EXPECT_EQ(CheckCurve25519PublicKey(NearP(-2)), PublicKeyProblem::kNone);
  EXPECT_EQ(CheckCurve25519PublicKey(""), PublicKeyProblem::kMalformed);
  EXPECT_EQ(CheckCurve25519PublicKey(identity.public_key().substr(1)),
            PublicKeyProblem::kMalformed);
  std::string wrong_type = identity.public_key();
  wrong_type[0] = 0x06;
  EXPECT_EQ(CheckCurve25519PublicKey(wrong_type), PublicKeyProblem::kMalformed);
}

class ConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    const std::string path = dir_.path() + "/relay.toml";
    std::ofstream(path) << text;
    return path;
  }
  TempDir dir_;
};

TEST_F(ConfigTest, ReadsEveryKey) {
  RelayConfig c;
  ASSERT_TRUE(ApplyTomlFile(Write(R"(
data_dir = "/srv/relay"
listen = "[::1]:9000"
insecure = true
log_level = "warning"
worker_threads = 4
[tls]
cert = "/c.pem"
key = "/k.pem"
[retention]
days = 14
[limits]
mailbox_max_envelopes = 50
streams_per_account = 2
one_time_pre_keys = 300
send_per_second = 5.5
send_burst = 10.0
bundle_per_second = 0.5
bundle_burst = 3.0
register_per_second = 2.0
register_burst = 4.0
certificate_per_second = 0.25
certificate_burst = 5.0
)"),
                            &c)
                  .ok());
  EXPECT_EQ(c.data_dir, "/srv/relay");
  EXPECT_EQ(c.listen, "[::1]:9000");
  EXPECT_TRUE(c.insecure);
  EXPECT_EQ(c.log_level, "warning");
  EXPECT_EQ(c.worker_threads, 4);
  EXPECT_EQ(c.tls_cert, "/c.pem");
  EXPECT_EQ(c.tls_key, "/k.pem");
  EXPECT_EQ(c.retention_days, 14u);
  EXPECT_EQ(c.limits.max_queued_per_mailbox, 50u);
  EXPECT_EQ(c.limits.max_streams_per_account, 2);
  EXPECT_EQ(c.limits.max_one_time_pre_keys, 300u);
  EXPECT_DOUBLE_EQ(c.limits.send_per_second, 5.5);
  EXPECT_DOUBLE_EQ(c.limits.bundle_burst, 3.0);
  EXPECT_DOUBLE_EQ(c.limits.register_burst, 4.0);
  EXPECT_DOUBLE_EQ(c.limits.certificate_per_second, 0.25);
  EXPECT_DOUBLE_EQ(c.limits.certificate_burst, 5.0);
}

TEST_F(ConfigTest, RejectsUnknownKeyWrongTypeAndBadSyntax) {
  RelayConfig c;
  absl::Status st = ApplyTomlFile(Write("lisen = \"127.0.0.1:1\"\n"), &c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("lisen"), absl::string_view::npos);
  st = ApplyTomlFile(Write("[retention]\ndays = \"thirty\"\n"), &c);
  EXPECT_NE(st.message().find("retention.days"), absl::string_view::npos);
  st = ApplyTomlFile(Write("[retention]\ndays = 0\n"), &c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  st = ApplyTomlFile(Write("data_dir = \n"), &c);
  EXPECT_NE(st.message().find("line 1"), absl::string_view::npos);
  st = ApplyTomlFile(dir_.path() + "/missing.toml", &c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
}

TEST(ValidateConfigTest, PlaintextOnlyOnLoopbackUnlessInsecure) {
  RelayConfig c;
  c.data_dir = "/tmp/x";
  for (const char* ok :
       {"127.0.0.1:7443", "localhost:1", "[::1]:7443", "127.0.0.9:0"}) {
    c.listen = ok;
    EXPECT_TRUE(ValidateConfig(c).ok()) << ok;
  }
  c.listen = "0.0.0.0:7443";
  EXPECT_EQ(ValidateConfig(c).code(), absl::StatusCode::kInvalidArgument);
  c.insecure = true;
  EXPECT_TRUE(ValidateConfig(c).ok());
  c.insecure = false;
  c.tls_cert = "/c.pem";
  EXPECT_FALSE(ValidateConfig(c).ok());  // key missing
  c.tls_key = "/k.pem";
  EXPECT_TRUE(ValidateConfig(c).ok());
  for (const char* bad :
       {"7443", "host:", "host:99999", "[::1]7443", "a:b:c"}) {
    c.listen = bad;
    EXPECT_FALSE(ValidateConfig(c).ok()) << bad;
  }
  c.listen = "127.0.0.1:1";
  c.data_dir.clear();
  EXPECT_FALSE(ValidateConfig(c).ok());
}

TEST(RateLimiterTest, BurstThenSteadyRatePerKey) {
  base::FakeClock clock(absl::FromUnixSeconds(1000));
  RateLimiter limiter(/*per_second=*/2, /*burst=*/3, clock);
  EXPECT_TRUE(limiter.TryAcquire("a"));
  EXPECT_TRUE(limiter.TryAcquire("a"));
  EXPECT_TRUE(limiter.TryAcquire("a"));
  EXPECT_FALSE(limiter.TryAcquire("a"));
  EXPECT_TRUE(limiter.TryAcquire("b"));  // keys are independent
  clock.Advance(absl::Milliseconds(500));
  EXPECT_TRUE(limiter.TryAcquire("a"));
  EXPECT_FALSE(limiter.TryAcquire("a"));
  clock.Advance(absl::Hours(1));  // refills only up to the burst
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.TryAcquire("a"));
  EXPECT_FALSE(limiter.TryAcquire("a"));
}

TEST(RateLimiterTest, CostsTakeThatManyTokens) {
  base::FakeClock clock(absl::FromUnixSeconds(1000));
  RateLimiter bytes(/*per_second=*/1000, /*burst=*/4000, clock);
  EXPECT_TRUE(bytes.TryAcquire("a", 3000));
  EXPECT_FALSE(bytes.TryAcquire("a", 1500));  // refused: nothing taken
  EXPECT_TRUE(bytes.TryAcquire("a", 1000));
  EXPECT_FALSE(bytes.TryAcquire("b", 4001));  // above the burst: never
  clock.Advance(absl::Hours(1));
  EXPECT_FALSE(bytes.TryAcquire("b", 4001));
  EXPECT_TRUE(bytes.TryAcquire("b", 4000));
  clock.Advance(absl::Milliseconds(500));
  EXPECT_TRUE(bytes.TryAcquire("b", 500));
  EXPECT_FALSE(bytes.TryAcquire("b", 1));
}

TEST(WorkerPoolTest, KeysTakeTurns) {
  WorkerPool pool(1);
  absl::Notification release;
  absl::Mutex mu;
  std::vector<std::string> order;
  auto record = [&](std::string name) {
    absl::MutexLock lock(&mu);
    order.push_back(std::move(name));
  };
  pool.Schedule([&] { release.WaitForNotification(); }, 1);
  for (int i = 0; i < 50; ++i) {
    pool.Schedule([&, i] { record("flood" + std::to_string(i)); }, 1);
  }
  pool.Schedule([&] { record("other"); }, 2);
  release.Notify();
  // Waits for all 51 (a "done" task of a third key would take its turn
  // before the flood has run out).
  absl::MutexLock lock(&mu);
  mu.Await(absl::Condition(
      +[](std::vector<std::string>* o) { return o->size() >= 51; }, &order));
  // The other key is served at its first turn, not after all 50, and the
  // flooding key's tasks stay in order.
  ASSERT_EQ(order.size(), 51u);
  const auto other = std::find(order.begin(), order.end(), "other");
  EXPECT_LE(other - order.begin(), 1);
  order.erase(other);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], "flood" + std::to_string(i));
}

TEST(WorkerPoolTest, DestructorRunsEverythingScheduled) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2);
    for (int i = 0; i < 200; ++i) {
      pool.Schedule([&] { ran.fetch_add(1); }, static_cast<uint64_t>(i % 7));
    }
  }
  EXPECT_EQ(ran.load(), 200);
}

// UTF-8 of code point `cp`.
std::string Utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
  return out;
}

TEST(TextTest, AcceptsTextPeopleWrite) {
  for (std::string_view ok :
       {"Vertrouwenspersoon Noord", "Zoë Çelik-de Vries", "José Müller",
        "Jürgen Groß", "Ελένη", "أمينة", "محمد العلي", "שרה לוי", "Анна",
        "李明 (extern)", "田中さくら", "김민준", "प्रिया शर्मा", "😀",
        "Anna 👍🏽", "Anna ❤️"}) {
    EXPECT_EQ(CheckDisplayText(ok, false), TextProblem::kNone) << ok;
  }
  EXPECT_EQ(CheckDisplayText("regel 1\nregel 2", true), TextProblem::kNone);
}

TEST(TextTest, RefusesControlsAndBadUtf8) {
  EXPECT_EQ(CheckDisplayText("a\nb", false), TextProblem::kControlCharacter);
  for (std::string_view control :
       {"tab\there", "nul\x01", "del\x7f", "c1\xc2\x85", "ls\xe2\x80\xa8",
        "ps\xe2\x80\xa9"}) {
    EXPECT_EQ(CheckDisplayText(control, true), TextProblem::kControlCharacter)
        << control;
  }
  for (std::string_view bad :
       {"\xff", "\xc3", "a\xe2\x82", "\xc0\xaf", "\xed\xa0\x80",
        "\xf4\x90\x80\x80", "\xe2\x28\xa1"}) {
    EXPECT_EQ(CheckDisplayText(bad, false), TextProblem::kInvalidUtf8);
  }
}

// Every format character (Unicode category Cf) can make a name look like
// another: U+202E makes "Jan\u202Egnelav" show as "Janvaleng", U+200B is
// invisible.
TEST(TextTest, RefusesEveryFormatCharacter) {
  std::vector<char32_t> format = {
      0x00AD,                                      // soft hyphen
      0x061C,                                      // Arabic letter mark
      0x180E,                                      // Mongolian vowel separator
      0x200B,  0x200C,  0x200D,  0x200E,  0x200F,  // zero-width, LRM, RLM
      0x202A,  0x202B,  0x202C,  0x202D,  0x202E,  // embeddings, overrides
      0x2060,  0x2061,  0x2062,  0x2063,  0x2064,  // word joiner, invisibles
      0x2066,  0x2067,  0x2068,  0x2069,           // isolates
      0x206A,  0x206B,  0x206C,  0x206D,  0x206E,  0x206F,  // deprecated
      0xFEFF,                                               // byte order mark
      0xFFF9,  0xFFFA,  0xFFFB,  // interlinear annotation
      0x0600,  0x0605,  0x06DD,  0x070F,  0x0890,  0x08E2,  // Arabic, Syriac
      0x110BD, 0x13430, 0x1343F, 0x1BCA0, 0x1BCA3, 0x1D173,
      0x1D17A, 0xE0001, 0xE0020, 0xE007F,  // language tag, tags
  };
  for (char32_t cp : format) {
    for (const std::string& text :
         {"Jan" + Utf8(cp) + "Smit", Utf8(cp) + "Jan", "Jan" + Utf8(cp)}) {
      EXPECT_EQ(CheckDisplayText(text, false), TextProblem::kFormatCharacter)
          << std::hex << "U+" << static_cast<uint32_t>(cp);
      EXPECT_EQ(CheckDisplayText(text, true), TextProblem::kFormatCharacter)
          << std::hex << "U+" << static_cast<uint32_t>(cp);
    }
  }
  // Their neighbours are ordinary text.
  for (char32_t cp : {0x00AC, 0x00AE, 0x061B, 0x2010, 0x2030, 0xFEFC}) {
    EXPECT_EQ(CheckDisplayText("Jan" + Utf8(cp), false), TextProblem::kNone)
        << std::hex << "U+" << static_cast<uint32_t>(cp);
  }
}

// The zero-width non-joiner and joiner are part of how some scripts and
// emoji are written; they pass only where they do that (IDNA's rules, and
// emoji ZWJ sequences), never between Latin letters or at either end.
TEST(TextTest, JoinersOnlyWhereAScriptOrAnEmojiNeedsThem) {
  const std::string zwnj = Utf8(0x200C), zwj = Utf8(0x200D);
  for (const std::string& ok : {
           "\u0645\u06CC" + zwnj +
               "\u062E\u0648\u0627\u0647\u0645",  // "I want"
           "\u0645\u064E" + zwnj + "\u0646",  // a mark (joining type T) between
           "\u0915\u094D" + zwnj + "\u0937",  // Devanagari: after a virama
           "\u0915\u094D" + zwj + "\u0937",
           "\U0001F469" + zwj + "\U0001F4BB",            // woman technologist
           "\U0001F468\U0001F3FD" + zwj + "\U0001F4BB",  // with a skin tone
           "\U0001F3F3\uFE0F" + zwj + "\U0001F308",      // rainbow flag
           "Anna \u2764\uFE0F" + zwj + "\U0001F525",     // heart on fire
       }) {
    EXPECT_EQ(CheckDisplayText(ok, false), TextProblem::kNone) << ok;
  }
  for (const std::string& bad : {
           "Jan" + zwnj + "Smit",
           "Jan" + zwj + "Smit",
           zwnj + "Jan",
           "Jan" + zwj,
           zwj + "\U0001F4BB",
           "\U0001F469" + zwj,
           "\U0001F469" + zwj + "Jan",
           "a" + zwj + "\U0001F4BB",
           // Arabic letters that do not join on that side: alef, then beh.
           "\u0627" + zwnj + "\u0628",
           "\u0645\u06CC" + zwnj,
           "\u0645\u06CC" + zwnj + zwnj + "\u062E",
           "\U0001F469" + zwj + zwj + "\U0001F4BB",
       }) {
    EXPECT_EQ(CheckDisplayText(bad, false), TextProblem::kFormatCharacter)
        << bad;
  }
}

TEST(MailboxHubTest, FullAndShutDownAreDifferentRefusals) {
  struct Listener : MailboxHub::Listener {
    void OnMailboxChanged() override { ++changed; }
    void OnShutdown() override { ++shut_down; }
    int changed = 0;
    int shut_down = 0;
  } a, b, c;
  MailboxHub hub(/*max_listeners_per_mailbox=*/1);
  EXPECT_TRUE(hub.Subscribe("m1", &a).ok());
  EXPECT_EQ(hub.Subscribe("m1", &b).code(),
            absl::StatusCode::kResourceExhausted);
  hub.Notify("m1");
  EXPECT_EQ(a.changed, 1);
  EXPECT_EQ(b.changed, 0);
  hub.Shutdown();
  EXPECT_EQ(a.shut_down, 1);
  absl::Status refused = hub.Subscribe("m2", &c);
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(refused.message(), "relay shutting down");
  EXPECT_EQ(hub.Subscribe("m1", &b).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(hub.ListenerCount(), 1u);
}

TEST(LogTest, ScrubsAddresses) {
  EXPECT_EQ(ScrubAddresses("peer ipv4:10.1.2.3:5555 closed"),
            "peer [address] closed");
  EXPECT_EQ(ScrubAddresses("from ipv6:[2001:db8::1]:443,"), "from [address],");
  EXPECT_EQ(ScrubAddresses("connect to 192.168.0.17 failed"),
            "connect to [address] failed");
  EXPECT_EQ(ScrubAddresses("host fe80::1%eth0 down"), "host [address] down");
  EXPECT_EQ(ScrubAddresses("version 1.51 ok, 3 streams"),
            "version 1.51 ok, 3 streams");
}

TEST(LogRateLimiterTest, AtMostMaxLinesPerIntervalThenCountsTheRest) {
  base::FakeClock clock(absl::FromUnixSeconds(1000));
  LogRateLimiter limiter(/*max_lines=*/3, absl::Minutes(1), clock);
  uint64_t suppressed = 99;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limiter.Admit(&suppressed)) << i;
    EXPECT_EQ(suppressed, 0u);
  }
  for (int i = 0; i < 500; ++i) EXPECT_FALSE(limiter.Admit(&suppressed));
  clock.Advance(absl::Seconds(59));
  EXPECT_FALSE(limiter.Admit(&suppressed));
  clock.Advance(absl::Seconds(1));  // a new interval
  ASSERT_TRUE(limiter.Admit(&suppressed));
  EXPECT_EQ(suppressed, 501u);
  ASSERT_TRUE(limiter.Admit(&suppressed));
  EXPECT_EQ(suppressed, 0u);
  ASSERT_TRUE(limiter.Admit(&suppressed));
  EXPECT_FALSE(limiter.Admit(&suppressed));
  // After a quiet spell the next line starts a fresh interval.
  clock.Advance(absl::Hours(2));
  ASSERT_TRUE(limiter.Admit(&suppressed));
  EXPECT_EQ(suppressed, 1u);
}

// gRPC logs some of what a client does wrong, so a client can make it log at
// will: its lines are scrubbed and let through at most 10 a minute.
TEST(LogFilterTest, GrpcLinesAreScrubbedAndAtMostTenAMinute) {
  InstallGrpcLogFilter();
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 200; ++i) {
    gpr_log(GPR_ERROR, "ipv4:10.1.2.3:4567 sent a bad frame (%d)", i);
  }
  const std::string out = ::testing::internal::GetCapturedStderr();
  const auto lines = std::count(out.begin(), out.end(), '\n');
  EXPECT_GE(lines, 1) << out;
  EXPECT_LE(lines, 10) << out;
  EXPECT_EQ(out.find("10.1.2.3"), std::string::npos) << out;
  EXPECT_NE(out.find(" ERROR grpc: [address] sent a bad frame ("),
            std::string::npos)
      << out;
}

TEST(CodesTest, NormaliseAndHash) {
  base::FakeRandom random(7);
  const std::string code = NewCode(random, kAccessCodeGroups);
  EXPECT_EQ(code.size(), 4u * 5 + 3);
  std::string typed = code;
  for (char& c : typed) c = static_cast<char>(std::tolower(c));
  absl::StatusOr<std::string> a = NormaliseCode(code);
  absl::StatusOr<std::string> b = NormaliseCode(" " + typed + " ");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*NormaliseCode("oil-O"), "0110");
  EXPECT_FALSE(NormaliseCode("").ok());
  EXPECT_FALSE(NormaliseCode("---").ok());
  EXPECT_FALSE(NormaliseCode("ABC!").ok());
  EXPECT_FALSE(NormaliseCode("U").ok());  // not in the alphabet
  EXPECT_FALSE(NormaliseCode(std::string(65, 'A')).ok());
  EXPECT_NE(DomainHash(kAccessCodeDomain, *a), DomainHash(kInviteDomain, *a));
  EXPECT_EQ(DomainHash(kAccessCodeDomain, *a).size(), 32u);
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace confidant::server
