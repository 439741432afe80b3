// Raw sockets and hand-made HTTP/2 for the hostile-client tests: clients no
// gRPC library would be (half a preface, calls that never finish, streams
// that never read).
#ifndef CONFIDANT_TESTS_INTEGRATION_RAW_HTTP2_H_
#define CONFIDANT_TESTS_INTEGRATION_RAW_HTTP2_H_

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/hostile_fixture.h"

namespace confidant::hostile_testing {

inline constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// A TCP connection to 127.0.0.1:`port` with a receive buffer of
// `receive_buffer` bytes (the system's default if 0); -1 if it fails.
int ConnectRaw(int port, int receive_buffer = 0);

// Sends all of `bytes`; false if the connection fails first.
bool SendAll(int fd, const std::string& bytes);

// True once the peer closed (or reset) the connection; never blocks.
bool PeerClosed(int fd);

// An HTTP/2 frame.
std::string Frame(uint8_t type, uint8_t flags, uint32_t stream,
                  const std::string& payload);

// A SETTINGS frame with `s` (identifier, value).
std::string Settings(const std::vector<std::pair<uint16_t, uint32_t>>& s);

// A HEADERS frame opening a gRPC call to `method` as `account`.
std::string RequestHeaders(uint32_t stream, const std::string& method,
                           const Account& account);

// gRPC's length-prefixed message framing.
std::string GrpcMessage(const std::string& bytes, uint32_t declared_length);

// Raw sockets closed on destruction.
class Sockets {
 public:
  ~Sockets() {
    for (int fd : fds_) ::close(fd);
  }
  void Add(int fd) { fds_.push_back(fd); }
  const std::vector<int>& fds() const { return fds_; }
  size_t ClosedByPeer() const {
    return std::count_if(fds_.begin(), fds_.end(), PeerClosed);
  }

 private:
  std::vector<int> fds_;
};

}  // namespace confidant::hostile_testing

#endif  // CONFIDANT_TESTS_INTEGRATION_RAW_HTTP2_H_
