// Event logging for the relay and the admin tool. House rule: log events and
// counts, never account ids, addresses, sizes or content.
#ifndef CONFIDANT_SERVER_LOG_H_
#define CONFIDANT_SERVER_LOG_H_

#include <string>
#include <string_view>

namespace confidant::server {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Writes one line "<UTC time> <LEVEL> <message>" to stderr if `level` is at or
// above the minimum. Thread-safe.
void Log(LogLevel level, std::string_view message);
void SetMinLogLevel(LogLevel level);

// Routes gRPC's own log output through Log() at warning level and above, with
// anything that looks like a network address replaced by "[address]".
void InstallGrpcLogFilter();

// Replaces IPv4/IPv6 addresses and "ipv4:"/"ipv6:"/"unix:" peer strings in
// `text` by "[address]". Exposed for tests.
std::string ScrubAddresses(std::string_view text);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_LOG_H_
