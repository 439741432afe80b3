#include "tests/integration/raw_http2.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

namespace confidant::hostile_testing {

int ConnectRaw(int port, int receive_buffer) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (receive_buffer > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
                 sizeof(receive_buffer));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool PeerClosed(int fd) {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

std::string Frame(uint8_t type, uint8_t flags, uint32_t stream,
                  const std::string& payload) {
  std::string f;
  const uint32_t len = static_cast<uint32_t>(payload.size());
  f.push_back(static_cast<char>(len >> 16));
  f.push_back(static_cast<char>(len >> 8));
  f.push_back(static_cast<char>(len));
  f.push_back(static_cast<char>(type));
  f.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) {
    f.push_back(static_cast<char>((stream >> shift) & 0x7f));
  }
  return f + payload;
}

std::string Settings(const std::vector<std::pair<uint16_t, uint32_t>>& s) {
  std::string payload;
  for (auto [id, value] : s) {
    payload.push_back(static_cast<char>(id >> 8));
    payload.push_back(static_cast<char>(id));
    for (int shift = 24; shift >= 0; shift -= 8) {
      payload.push_back(static_cast<char>(value >> shift));
    }
  }
  return Frame(0x4, 0, 0, payload);
}

namespace {

// HPACK: a string literal without Huffman coding.
void AppendHpackString(std::string* out, const std::string& s) {
  size_t len = s.size();
  if (len < 127) {
    out->push_back(static_cast<char>(len));
  } else {
    out->push_back(static_cast<char>(127));
    len -= 127;
    while (len >= 128) {
      out->push_back(static_cast<char>((len & 0x7f) | 0x80));
      len >>= 7;
    }
    out->push_back(static_cast<char>(len));
  }
  out->append(s);
}

std::string Base64(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 0x3f]);
    }
  }
  if (count > 0) out.push_back(kAlphabet[(bits << (6 - count)) & 0x3f]);
  return out;
}

}  // namespace

std::string RequestHeaders(uint32_t stream, const std::string& method,
                           const Account& account) {
  std::string block;
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{
           {":method", "POST"},
           {":scheme", "http"},
           {":path", method},
           {":authority", "localhost"},
           {"content-type", "application/grpc"},
           {"te", "trailers"},
           {"x-confidant-account-bin", Base64(account.id)},
           {"x-confidant-secret-bin", Base64(account.secret)}}) {
    block.push_back(0);  // literal header field without indexing, new name
    AppendHpackString(&block, name);
    AppendHpackString(&block, value);
  }
  return Frame(0x1, 0x4 /* END_HEADERS */, stream, block);
}

std::string GrpcMessage(const std::string& bytes, uint32_t declared_length) {
  std::string out(1, '\0');
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(declared_length >> shift));
  }
  return out + bytes;
}

}  // namespace confidant::hostile_testing
