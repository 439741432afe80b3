#include "tools/loadgen/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace confidant::loadgen {
namespace {

// A file descriptor closed on destruction.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::vector<char*> ArgvPointers(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

int ExitCodeOf(int wstatus) {
  return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

}  // namespace

absl::StatusOr<CommandOutput> RunCommand(const std::vector<std::string>& argv,
                                         absl::Duration timeout) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);
  std::vector<char*> args = ArgvPointers(argv);
  const pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Only async-signal-safe calls until exec.
    dup2(out_write.get(), STDOUT_FILENO);
    dup2(err_write.get(), STDERR_FILENO);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    execv(args[0], args.data());
    _exit(127);
  }
  out_write.Reset();
  err_write.Reset();

  CommandOutput result;
  const absl::Time deadline = absl::Now() + timeout;
  bool out_open = true, err_open = true, timed_out = false;
  while (out_open || err_open) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_open ? out_read.get() : -1, POLLIN, 0},
                     {err_open ? err_read.get() : -1, POLLIN, 0}};
    const int ready =
        poll(fds, 2, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0 && errno != EINTR) break;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
      } else {
        (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  if (timed_out) kill(pid, SIGKILL);
  int wstatus = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &wstatus, timed_out ? 0 : WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (done == 0 && absl::Now() >= deadline) {
      timed_out = true;
      kill(pid, SIGKILL);
    } else if (done == 0) {
      absl::SleepFor(absl::Milliseconds(5));
    }
  }
  if (timed_out) {
    return absl::DeadlineExceededError(absl::StrCat(
        argv[0], " did not finish within ", absl::FormatDuration(timeout)));
  }
  result.exit_code = ExitCodeOf(wstatus);
  if (result.exit_code == 127 && result.out.empty() && result.err.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("cannot run ", argv[0]));
  }
  return result;
}

absl::StatusOr<pid_t> SpawnLogged(const std::vector<std::string>& argv,
                                  const std::string& log_path) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  if (access(argv[0].c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(argv[0], " is not an executable file"));
  }
  Fd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                0600));
  if (log.get() < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot open log file ", log_path, ": ", std::strerror(errno)));
  }
  std::vector<char*> args = ArgvPointers(argv);
  const pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    dup2(log.get(), STDOUT_FILENO);
    dup2(log.get(), STDERR_FILENO);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

absl::StatusOr<ProcessSample> SampleProcess(pid_t pid) {
  ProcessSample sample;
  sample.when = absl::Now();
  const std::string base = absl::StrCat("/proc/", pid);
  std::string stat;
  {
    std::ifstream in(base + "/stat");
    if (!in)
      return absl::NotFoundError(absl::StrCat("process ", pid, " is gone"));
    std::getline(in, stat);
  }
  // Fields after the command name, which may hold spaces and parentheses.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) {
    return absl::InternalError(absl::StrCat("cannot parse ", base, "/stat"));
  }
  std::vector<absl::string_view> fields = absl::StrSplit(
      absl::string_view(stat).substr(close + 1), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  uint64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::InternalError(absl::StrCat("cannot parse ", base, "/stat"));
  }
  sample.cpu_seconds = static_cast<double>(utime + stime) /
                       static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status(base + "/status");
  if (!status)
    return absl::NotFoundError(absl::StrCat("process ", pid, " is gone"));
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view v = line;
    int64_t* target = nullptr;
    if (absl::ConsumePrefix(&v, "VmRSS:")) target = &sample.rss_bytes;
    if (absl::ConsumePrefix(&v, "VmHWM:")) target = &sample.hwm_bytes;
    if (target != nullptr) {
      v = absl::StripAsciiWhitespace(v);
      absl::ConsumeSuffix(&v, "kB");
      int64_t kb = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(v), &kb)) {
        *target = kb * 1024;
      }
    }
    if (absl::ConsumePrefix(&v, "Threads:")) {
      (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(v), &sample.threads);
    }
  }
  std::ifstream io(base + "/io");
  while (io && std::getline(io, line)) {
    absl::string_view v = line;
    if (absl::ConsumePrefix(&v, "write_bytes:")) {
      (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(v),
                             &sample.disk_write_bytes);
    }
  }
  return sample;
}

double CpuPercent(const ProcessSample& from, const ProcessSample& to) {
  const double wall = absl::ToDoubleSeconds(to.when - from.when);
  if (wall <= 0) return 0;
  return 100.0 * (to.cpu_seconds - from.cpu_seconds) / wall;
}

absl::StatusOr<DiskUsage> MeasureDisk(const std::string& dir) {
  namespace fs = std::filesystem;
  DiskUsage usage;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    struct stat st;
    if (lstat(it->path().c_str(), &st) != 0) continue;  // vanished
    if (!S_ISREG(st.st_mode)) continue;
    usage.apparent_bytes += static_cast<uint64_t>(st.st_size);
    const uint64_t allocated = static_cast<uint64_t>(st.st_blocks) * 512;
    usage.allocated_bytes += allocated;
    ++usage.files;
    const std::string ext = it->path().extension().string();
    (ext == ".log"   ? usage.wal_bytes
     : ext == ".sst" ? usage.sst_bytes
                     : usage.other_bytes) += allocated;
  }
  if (ec) {
    return absl::InternalError(
        absl::StrCat("cannot walk ", dir, ": ", ec.message()));
  }
  return usage;
}

std::string FormatBytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? absl::StrFormat("%.0f B", bytes)
                   : absl::StrFormat("%.1f %s", bytes, kUnits[unit]);
}

}  // namespace confidant::loadgen
