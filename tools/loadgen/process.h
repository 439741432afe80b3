// Child processes and what /proc tells about a process, for the load
// generator. Linux only.
#ifndef CONFIDANT_TOOLS_LOADGEN_PROCESS_H_
#define CONFIDANT_TOOLS_LOADGEN_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confidant::loadgen {

struct CommandOutput {
  int exit_code = -1;  // -1 if killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with its stdout and stderr captured. After `timeout`
// the child is killed and DEADLINE_EXCEEDED returned.
absl::StatusOr<CommandOutput> RunCommand(const std::vector<std::string>& argv,
                                         absl::Duration timeout);

// Starts argv[0] (a path) with stdout and stderr appended to `log_path`. The
// child gets SIGTERM if this process dies. Returns its pid.
absl::StatusOr<pid_t> SpawnLogged(const std::vector<std::string>& argv,
                                  const std::string& log_path);

// One reading of /proc/PID/stat and /proc/PID/status.
struct ProcessSample {
  double cpu_seconds = 0;  // utime + stime
  int64_t rss_bytes = 0;   // VmRSS
  int64_t hwm_bytes = 0;   // VmHWM, the peak of VmRSS
  int threads = 0;
  // write_bytes of /proc/PID/io: what the process made the kernel write to
  // storage (-1 if unreadable).
  int64_t disk_write_bytes = -1;
  absl::Time when;
};

// NOT_FOUND if the process is gone.
absl::StatusOr<ProcessSample> SampleProcess(pid_t pid);

// CPU used between two samples of one process, as % of one core.
double CpuPercent(const ProcessSample& from, const ProcessSample& to);

struct DiskUsage {
  uint64_t apparent_bytes = 0;   // sum of file sizes
  uint64_t allocated_bytes = 0;  // sum of allocated blocks, as du counts
  uint64_t files = 0;
  // Allocated bytes by kind of file (RocksDB's names): write-ahead logs
  // (*.log), tables (*.sst), everything else.
  uint64_t wal_bytes = 0;
  uint64_t sst_bytes = 0;
  uint64_t other_bytes = 0;
};

// Walks `dir`; files vanishing during the walk are skipped.
absl::StatusOr<DiskUsage> MeasureDisk(const std::string& dir);

// "12.3 MiB" style.
std::string FormatBytes(double bytes);

}  // namespace confidant::loadgen

#endif  // CONFIDANT_TOOLS_LOADGEN_PROCESS_H_
