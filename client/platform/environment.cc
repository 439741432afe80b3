#include "client/platform/environment.h"

#include <cstdlib>

namespace confidant::client::platform {

void RemoveEnvironmentVariable(const char* name) {
#if defined(_WIN32)
  // An empty value removes the variable on Windows.
  _putenv_s(name, "");
#else
  unsetenv(name);
#endif
}

}  // namespace confidant::client::platform
