// Drives one relay request handler with fuzz input: the real RelayServices
// over MemoryStorage behind an in-process gRPC server, called through a
// grpc::GenericStub with the input as the raw request bytes. Every input runs
// on a freshly seeded world (relay_world.h) and is checked against an oracle;
// a violation prints what went wrong and aborts, so libFuzzer reports it.
#ifndef CONFIDANT_TESTS_FUZZ_RELAY_FUZZ_HARNESS_H_
#define CONFIDANT_TESTS_FUZZ_RELAY_FUZZ_HARNESS_H_

#include <cstddef>
#include <cstdint>

namespace confidant::fuzz {

enum class RelayHandler {
  kRegister,
  kGetAccount,
  kUploadKeys,
  kGetPreKeyBundle,
  kGetPreKeyCount,
  kListTrustPersons,
  kGetRelayKeys,
  kGetSenderCertificate,
  kSend,
  kReceive,
  kAck,
};

// Input layout: byte 0 picks the caller (Caller in relay_world.h, modulo
// kCallerCount), the rest is the request message. An empty input is caller 0
// with an empty request. Returns 0; aborts on an oracle violation, a call
// that does not finish, or a harness failure. Not thread-safe.
int RunRelayFuzzInput(RelayHandler handler, const uint8_t* data, size_t size);

}  // namespace confidant::fuzz

#endif  // CONFIDANT_TESTS_FUZZ_RELAY_FUZZ_HARNESS_H_
