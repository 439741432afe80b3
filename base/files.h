// Durable file writes, as the relay (its key file) and the clients (the
// profile header) both need them. POSIX; errors are INTERNAL with the path
// and the system's reason.
#ifndef CONFIDANT_BASE_FILES_H_
#define CONFIDANT_BASE_FILES_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace confidant::base {

// Writes `bytes` to `path` so that a crash leaves either the old file or the
// new one: a temporary file beside it (mode 0600, never through a symbolic
// link), fsync, rename over `path`, fsync of the directory.
absl::Status WriteFileAtomically(const std::string& path,
                                 std::string_view bytes);

// Makes the entries of directory `path` (creations, renames, removals)
// durable.
absl::Status SyncDirectory(const std::string& path);

// The directory part of `path` ("." for a bare name).
std::string ParentDirectory(const std::string& path);

}  // namespace confidant::base

#endif  // CONFIDANT_BASE_FILES_H_
