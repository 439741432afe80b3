// libFuzzer entry point for one relay request handler; CMake builds it once
// per handler with CONFIDANT_FUZZ_HANDLER set to an enumerator of
// RelayHandler (kRegister, kSend, ...), so each handler is its own binary with
// its own corpus. The harness and its oracle: relay_fuzz_harness.h.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/relay_fuzz_harness.h"

#ifndef CONFIDANT_FUZZ_HANDLER
#error "CONFIDANT_FUZZ_HANDLER must name a RelayHandler enumerator"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ::confidant::fuzz::RunRelayFuzzInput(
      ::confidant::fuzz::RelayHandler::CONFIDANT_FUZZ_HANDLER, data, size);
}
