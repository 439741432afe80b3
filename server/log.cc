#include "server/log.h"

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

void GrpcLogSink(gpr_log_func_args* args) {
  LogLevel level = LogLevel::kDebug;
  if (args->severity == GPR_LOG_SEVERITY_ERROR) {
    level = LogLevel::kError;
  } else if (args->severity == GPR_LOG_SEVERITY_INFO) {
    level = LogLevel::kDebug;  // gRPC's info chatter stays out of default logs
  }
  if (static_cast<int>(level) < min_level.load()) return;
  Log(level, absl::StrCat("grpc: ", ScrubAddresses(args->message)));
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
