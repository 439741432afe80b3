// "HOST:PORT" addresses as the relay's --listen and the clients' --relay take
// them, and the loopback test that decides whether plaintext is allowed.
#ifndef CONFIDANT_BASE_HOST_PORT_H_
#define CONFIDANT_BASE_HOST_PORT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confidant::base {

struct HostPort {
  std::string host;  // without the brackets of "[V6]:PORT"; never empty
  int port = 0;      // 0..65535; 0 is "any port" to a listener
};

// Splits "HOST:PORT" or "[V6]:PORT". INVALID_ARGUMENT naming the address if
// the host is empty, an unbracketed host holds a colon, or the port is not a
// number in 0..65535.
absl::StatusOr<HostPort> ParseHostPort(std::string_view address);

// True for "localhost", "::1" and 127.0.0.0/8 (a host, without a port).
bool IsLoopbackHost(std::string_view host);

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_HOST_PORT_H_
