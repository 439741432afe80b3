// RelayTransport over gRPC: TLS by default, plaintext only to loopback, and
// optionally through an HTTP CONNECT proxy such as Tor's HTTPTunnelPort.
#ifndef CONFIDANT_CLIENT_GRPC_TRANSPORT_H_
#define CONFIDANT_CLIENT_GRPC_TRANSPORT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/transport.h"

namespace confidant::client {

struct GrpcTransportOptions {
  // The relay as HOST:PORT ("relay.example.org:7443", "127.0.0.1:7443",
  // "[::1]:7443").
  std::string address;
  // PEM file of the CAs to trust; empty: gRPC's default roots (the system's
  // CA bundle, or $GRPC_DEFAULT_SSL_ROOTS_FILE_PATH).
  std::string tls_ca_file;
  // Plaintext instead of TLS. Refused unless the host is loopback
  // (localhost, 127.0.0.0/8, ::1).
  bool insecure = false;
  // "http://HOST:PORT" of an HTTP CONNECT proxy (for Tor: its
  // HTTPTunnelPort). Set as the `grpc.http_proxy` channel argument: the relay
  // host name is resolved by the proxy, never locally. No connection
  // bypasses it: gRPC would obey no_grpc_proxy and no_proxy, so the program
  // clears them at its start (ClearProxyExceptions) and CreateGrpcTransport
  // refuses a proxy while either is set. Empty: no proxy, and the
  // environment's http_proxy variables are ignored too.
  std::string http_proxy;
  // Deadline of every unary call.
  absl::Duration call_timeout = absl::Seconds(20);
};

// Removes no_grpc_proxy and no_proxy from the process environment. Every
// client program calls it first thing in main(), before any thread runs:
// changing the environment races with gRPC's threads reading it. Without a
// proxy the variables mean nothing to the client (no proxy is used at all).
void ClearProxyExceptions();

// A transport for `options`. INVALID_ARGUMENT for a malformed address or
// proxy, plaintext to a non-loopback host, or an unreadable CA file;
// FAILED_PRECONDITION for a proxy while no_proxy or no_grpc_proxy is set
// (ClearProxyExceptions was not called). Does not connect yet: an
// unreachable relay shows on the first call.
absl::StatusOr<std::unique_ptr<RelayTransport>> CreateGrpcTransport(
    const GrpcTransportOptions& options);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_GRPC_TRANSPORT_H_
