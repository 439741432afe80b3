#include "tests/testing/test_util.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "base/openssl.h"

namespace confidant::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base != nullptr ? base : "/tmp") + "/confidant-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> out;
  for (const auto& a : args) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

int DecodeWaitStatus(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv) {
  TempDir dir;
  const std::string out_path = dir.path() + "/out";
  const std::string err_path = dir.path() + "/err";
  std::vector<char*> args = Argv(argv);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out =
        ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err =
        ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::dup2(in, 0);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = DecodeWaitStatus(status);
  result.out = ReadFileOrDie(out_path);
  result.err = ReadFileOrDie(err_path);
  return result;
}

RelayProcess::RelayProcess(std::string binary, std::string data_dir,
                           std::vector<std::string> extra_args)
    : binary_(std::move(binary)),
      data_dir_(std::move(data_dir)),
      extra_args_(std::move(extra_args)) {}

RelayProcess::~RelayProcess() {
  if (pid_ > 0) Kill();
}

bool RelayProcess::Start() { return Launch() && WaitUntilServing(30000); }

bool RelayProcess::Launch() {
  const std::string port_file = data_dir_ + ".port";
  std::error_code ec;
  fs::remove(port_file, ec);
  port_ = 0;
  std::vector<std::string> argv = {binary_,    "--data-dir", data_dir_,
                                   "--listen", listen_,      "--port-file",
                                   port_file};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> args = Argv(argv);
  const std::string log = log_path();
  pid_ = ::fork();
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, 2);
    ::dup2(fd, 1);
    if (open_files_soft_limit_ > 0) {
      rlimit limit{};
      ::getrlimit(RLIMIT_NOFILE, &limit);
      limit.rlim_cur = static_cast<rlim_t>(open_files_soft_limit_);
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid_ > 0;
}

bool RelayProcess::WaitUntilServing(int timeout_ms) {
  if (pid_ <= 0) return false;
  const std::string port_file = data_dir_ + ".port";
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      exit_code_ = DecodeWaitStatus(status);
      return false;
    }
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0) {
      port_ = port;
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Kill();
  return false;
}

int RelayProcess::Stop() {
  if (pid_ <= 0) return exit_code_;
  ::kill(pid_, SIGTERM);
  return Wait();
}

void RelayProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  Wait();
}

int RelayProcess::Wait() {
  if (pid_ <= 0) return exit_code_;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  exit_code_ = DecodeWaitStatus(status);
  return exit_code_;
}

std::string RelayProcess::Log() const {
  std::ifstream in(log_path());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

// u = (1 + y) / (1 - y) mod 2^255 - 19, both little-endian.
std::string EdwardsYToMontgomeryU(const unsigned char* y_le) {
  std::array<unsigned char, 32> y_be;
  std::reverse_copy(y_le, y_le + 32, y_be.begin());
  y_be[0] &= 0x7f;
  base::OpenSslPtr<BN_CTX> ctx(BN_CTX_new());
  base::OpenSslPtr<BIGNUM> p(BN_new()), y(BN_bin2bn(y_be.data(), 32, nullptr)),
      one(BN_new()), num(BN_new()), den(BN_new()), u(BN_new());
  BN_set_bit(p.get(), 255);
  BN_sub_word(p.get(), 19);
  BN_one(one.get());
  BN_mod_add(num.get(), one.get(), y.get(), p.get(), ctx.get());
  BN_mod_sub(den.get(), one.get(), y.get(), p.get(), ctx.get());
  BN_mod_inverse(den.get(), den.get(), p.get(), ctx.get());
  BN_mod_mul(u.get(), num.get(), den.get(), p.get(), ctx.get());
  std::string out(32, '\0');
  BN_bn2lebinpad(u.get(), reinterpret_cast<unsigned char*>(out.data()), 32);
  return out;
}

}  // namespace

XeddsaTestKey::XeddsaTestKey() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) throw std::runtime_error("Ed25519 keygen failed");
  pkey_ = key;
  std::array<unsigned char, 32> ed_public;
  size_t len = ed_public.size();
  EVP_PKEY_get_raw_public_key(key, ed_public.data(), &len);
  sign_bit_ = ed_public[31] & 0x80;
  public_key_ =
      std::string(1, '\x05') + EdwardsYToMontgomeryU(ed_public.data());
}

XeddsaTestKey::~XeddsaTestKey() {
  EVP_PKEY_free(static_cast<EVP_PKEY*>(pkey_));
}

std::string XeddsaTestKey::Sign(const std::string& message) const {
  base::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  size_t len = sig.size();
  EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr,
                     static_cast<EVP_PKEY*>(pkey_));
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(message.data()),
                 message.size());
  sig[63] = static_cast<char>(static_cast<unsigned char>(sig[63]) | sign_bit_);
  return sig;
}

std::string RandomPublicKey() {
  std::string key(33, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(key.data()) + 1, 32);
  key[0] = '\x05';
  key[32] &= 0x7f;  // u below 2^255, so canonical but for 19 values
  return key;
}

long ResidentKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      long kib = -1;
      if (fields >> kib) return kib;
    }
  }
  return -1;
}

int OpenFileCount(pid_t pid) {
  std::error_code ec;
  int n = 0;
  for (fs::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec),
       end;
       !ec && it != end; it.increment(ec)) {
    ++n;
  }
  return ec ? -1 : n;
}

}  // namespace confidant::testing
