// Helpers shared by the relay's tests: temporary directories, running
// binaries, a relay in a child process, and Curve25519 keys whose XEdDSA
// signatures the relay accepts (made with OpenSSL alone).
#ifndef CONFIDANT_TESTS_TESTING_TEST_UTIL_H_
#define CONFIDANT_TESTS_TESTING_TEST_UTIL_H_

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace confidant::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is a path), waits, and captures stdout and stderr.
CommandResult RunCommand(const std::vector<std::string>& argv);

std::string ReadFileOrDie(const std::string& path);

// confidant-relay in a child process, listening on 127.0.0.1 port 0 with its
// stderr in `log_path()`.
class RelayProcess {
 public:
  // `binary` is the relay executable; `extra_args` are appended.
  RelayProcess(std::string binary, std::string data_dir,
               std::vector<std::string> extra_args = {});
  ~RelayProcess();  // kills the child if still running

  // Starts the child and waits (up to 30 s) until it serves. False if it
  // exited or never served; `exit_code()` then tells how it ended.
  bool Start();
  // Starts the child without waiting for it to serve (to kill it while it
  // starts up). False if it could not be forked.
  bool Launch();
  // After Launch(): waits up to `timeout_ms` until the child serves. False
  // (and the child is killed) if it exited or did not serve in time.
  bool WaitUntilServing(int timeout_ms);
  // SIGTERM, then waits; returns the exit code (-1 on a signal death).
  int Stop();
  // SIGKILL, then waits.
  void Kill();
  // Waits for the child to exit by itself; returns its exit code.
  int Wait();

  int port() const { return port_; }
  // The child's process id, or -1 when none runs.
  pid_t pid() const { return pid_; }
  // Starts later children with this soft limit on open files (as a service
  // manager would set it); 0 keeps the inherited limit.
  void set_open_files_soft_limit(long limit) { open_files_soft_limit_ = limit; }
  // Later children listen on `address` (default 127.0.0.1:0): a relay
  // restarted on its old port, as clients would find it again.
  void set_listen(std::string address) { listen_ = std::move(address); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }
  std::string log_path() const { return data_dir_ + ".relay.log"; }
  std::string Log() const;
  int exit_code() const { return exit_code_; }

 private:
  std::string binary_;
  std::string data_dir_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  long open_files_soft_limit_ = 0;
  std::string listen_ = "127.0.0.1:0";
  int port_ = 0;
  int exit_code_ = -1;
};

// A Curve25519 key pair expressed as an Ed25519 key, so tests can make the
// XEdDSA signatures libsignal makes without linking libsignal.
class XeddsaTestKey {
 public:
  XeddsaTestKey();
  ~XeddsaTestKey();
  XeddsaTestKey(const XeddsaTestKey&) = delete;
  XeddsaTestKey& operator=(const XeddsaTestKey&) = delete;

  // 33 bytes: 0x05, then the Montgomery u coordinate.
  const std::string& public_key() const { return public_key_; }
  // 64-byte signature in libsignal's format.
  std::string Sign(const std::string& message) const;

 private:
  void* pkey_ = nullptr;  // EVP_PKEY*
  std::string public_key_;
  unsigned char sign_bit_ = 0;
};

// A random serialized Curve25519 public key (33 bytes, 0x05 prefix, top bit
// of u clear, so the relay takes it as canonical).
std::string RandomPublicKey();

// Resident memory of process `pid` in KiB (VmRSS in /proc/PID/status), or -1
// if it cannot be read.
long ResidentKib(pid_t pid);

// Open file descriptors of process `pid`, or -1 if they cannot be listed.
int OpenFileCount(pid_t pid);

}  // namespace confidant::testing

#endif  // CONFIDANT_TESTS_TESTING_TEST_UTIL_H_
