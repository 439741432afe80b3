// The process environment, behind the client's small platform layer.
#ifndef CONFIDANT_CLIENT_PLATFORM_ENVIRONMENT_H_
#define CONFIDANT_CLIENT_PLATFORM_ENVIRONMENT_H_

namespace confidant::client::platform {

// Removes `name` from this process's environment (and so from that of the
// children it starts later); nothing happens if it is not set. Not
// thread-safe with respect to other environment changes or getenv calls
// running at the same time, as the C library's environment is not.
void RemoveEnvironmentVariable(const char* name);

}  // namespace confidant::client::platform

#endif  // CONFIDANT_CLIENT_PLATFORM_ENVIRONMENT_H_
