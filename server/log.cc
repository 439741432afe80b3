#include "server/log.h"

#include <google/protobuf/stubs/logging.h>
#include <grpc/support/log.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace confidant::server {
namespace {

std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

absl::Mutex& OutputMutex() {
  static absl::Mutex* mu = new absl::Mutex;
  return *mu;
}

// What the libraries below the relay log, a client can often make them log
// at will: each library's lines are let through at most this often.
constexpr int kLibraryLinesPerInterval = 10;
constexpr absl::Duration kLibraryLogInterval = absl::Minutes(1);

// Writes a line of `source`'s ("grpc", "protobuf") through `limiter`, its
// addresses scrubbed; the first line let through after refused ones says
// how many were refused.
void LogLimited(LogRateLimiter& limiter, const char* source, LogLevel level,
                std::string_view message) {
  uint64_t suppressed = 0;
  if (!limiter.Admit(&suppressed)) return;
  if (suppressed > 0) {
    Log(LogLevel::kWarning,
        absl::StrCat(source, ": ", suppressed, " lines suppressed (at most ",
                     kLibraryLinesPerInterval, " a minute)"));
  }
  Log(level, absl::StrCat(source, ": ", ScrubAddresses(message)));
}

void GrpcLogSink(gpr_log_func_args* args) {
  LogLevel level = LogLevel::kDebug;
  if (args->severity == GPR_LOG_SEVERITY_ERROR) {
    level = LogLevel::kError;
  } else if (args->severity == GPR_LOG_SEVERITY_INFO) {
    level = LogLevel::kDebug;  // gRPC's info chatter stays out of default logs
  }
  if (static_cast<int>(level) < min_level.load()) return;
  static LogRateLimiter* limiter = new LogRateLimiter(
      kLibraryLinesPerInterval, kLibraryLogInterval, base::RealClock());
  LogLimited(*limiter, "grpc", level, args->message);
}

// libprotobuf 3.21 logs an ERROR line for every string field that is not
// valid UTF-8 in a message it parses, and the relay parses whatever any
// unauthenticated client sends. The parse failure is wanted (the request is
// refused with INVALID_ARGUMENT); the line is not, and protobuf has no switch
// to turn it off, so its log is filtered here rather than avoided.
void ProtobufLogSink(google::protobuf::LogLevel severity, const char* filename,
                     int line, const std::string& message) {
  LogLevel level = LogLevel::kError;
  if (severity == google::protobuf::LOGLEVEL_INFO) {
    level = LogLevel::kDebug;
  } else if (severity == google::protobuf::LOGLEVEL_WARNING) {
    level = LogLevel::kWarning;
  }
  if (static_cast<int>(level) < min_level.load()) return;
  if (severity == google::protobuf::LOGLEVEL_FATAL) {  // protobuf aborts next
    Log(level, absl::StrCat("protobuf: ", ScrubAddresses(message)));
    return;
  }
  static LogRateLimiter* limiter = new LogRateLimiter(
      kLibraryLinesPerInterval, kLibraryLogInterval, base::RealClock());
  LogLimited(*limiter, "protobuf", level, message);
}

bool IsAddressChar(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':' ||
         c == '[' || c == ']' || c == '%';
}

}  // namespace

void SetMinLogLevel(LogLevel level) {
  min_level.store(static_cast<int>(level));
}

void Log(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < min_level.load()) return;
  std::string line =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
  line.append(" ").append(LevelName(level)).append(" ");
  line.append(message.data(), message.size()).append("\n");
  absl::MutexLock lock(&OutputMutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void InstallGrpcLogFilter() {
  gpr_set_log_verbosity(GPR_LOG_SEVERITY_INFO);
  gpr_set_log_function(&GrpcLogSink);
}

void InstallProtobufLogFilter() {
  google::protobuf::SetLogHandler(&ProtobufLogSink);
}

LogRateLimiter::LogRateLimiter(int max_lines, absl::Duration interval,
                               base::Clock& clock)
    : max_lines_(max_lines), interval_(interval), clock_(clock) {}

bool LogRateLimiter::Admit(uint64_t* out_suppressed) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  if (now - interval_start_ >= interval_) {
    interval_start_ = now;
    admitted_ = 0;
  }
  if (admitted_ >= max_lines_) {
    ++suppressed_;
    return false;
  }
  ++admitted_;
  *out_suppressed = suppressed_;
  suppressed_ = 0;
  return true;
}

std::string ScrubAddresses(std::string_view text) {
  // Peer strings first ("ipv4:1.2.3.4:5", "ipv6:[::1]:5", "unix:/path").
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    for (std::string_view prefix :
         {"ipv4:", "ipv6:", "unix:", "unix-abstract:"}) {
      if (text.substr(i, prefix.size()) == prefix) {
        size_t j = i + prefix.size();
        while (j < text.size() &&
               !std::isspace(static_cast<unsigned char>(text[j])) &&
               text[j] != ',' && text[j] != '"' && text[j] != '\'' &&
               text[j] != ')') {
          ++j;
        }
        out += "[address]";
        i = j;
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    // Bare addresses: a run of hex digits, dots and colons that holds at least
    // three dots (IPv4) or two colons (IPv6).
    if (IsAddressChar(text[i]) &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      size_t j = i;
      int dots = 0, colons = 0;
      while (j < text.size() && IsAddressChar(text[j])) {
        dots += text[j] == '.';
        colons += text[j] == ':';
        if (text[j] == '%') {  // IPv6 zone id, e.g. "%eth0"
          while (j + 1 < text.size() &&
                 std::isalnum(static_cast<unsigned char>(text[j + 1]))) {
            ++j;
          }
        }
        ++j;
      }
      if (dots >= 3 || colons >= 2) {
        out += "[address]";
        i = j;
        continue;
      }
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

}  // namespace confidant::server
