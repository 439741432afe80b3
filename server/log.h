// Event logging for the relay and the admin tool. House rule: log events and
// counts, never account ids, addresses, sizes or content.
#ifndef CONFIDANT_SERVER_LOG_H_
#define CONFIDANT_SERVER_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace confidant::server {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Writes one line "<UTC time> <LEVEL> <message>" to stderr if `level` is at or
// above the minimum. Thread-safe.
void Log(LogLevel level, std::string_view message);
void SetMinLogLevel(LogLevel level);

// Routes gRPC's own log output through Log() at warning level and above, with
// anything that looks like a network address replaced by "[address]", at
// most 10 lines a minute like libprotobuf's below.
void InstallGrpcLogFilter();

// Routes libprotobuf's log output through Log(), addresses scrubbed as above,
// at most 10 lines a minute (a client can make it log at will); the first
// line let through after a pause says how many were dropped. Call once,
// before serving.
void InstallProtobufLogFilter();

// Lets at most `max_lines` lines through per `interval`, counted from the
// first line of each interval. Thread-safe; `clock` must outlive it.
class LogRateLimiter {
 public:
  LogRateLimiter(int max_lines, absl::Duration interval, base::Clock& clock);

  // Whether a line may be written now. If so, `*out_suppressed` is set to the
  // number of lines refused since the last one let through (usually 0).
  bool Admit(uint64_t* out_suppressed);

 private:
  const int max_lines_;
  const absl::Duration interval_;
  base::Clock& clock_;
  absl::Mutex mu_;
  absl::Time interval_start_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int admitted_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t suppressed_ ABSL_GUARDED_BY(mu_) = 0;
};

// Replaces IPv4/IPv6 addresses and "ipv4:"/"ipv6:"/"unix:" peer strings in
// `text` by "[address]". Exposed for tests.
std::string ScrubAddresses(std::string_view text);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_LOG_H_
