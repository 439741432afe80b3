// Passphrases: from a file, the environment or the terminal, into secret
// memory only.
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli.h"
#include "crypto/secret.h"

namespace confidant::cli {

// Reads a passphrase from the terminal without echo, a byte at a time into
// secret memory: no stream buffer or growing string keeps a copy.
absl::StatusOr<crypto::SecretBytes> Prompt(const char* question) {
  constexpr size_t kMaxPassphrase = 1024;
  std::fprintf(stderr, "%s", question);
  std::fflush(stderr);
  termios old_attr;
  bool restore = tcgetattr(STDIN_FILENO, &old_attr) == 0;
  if (restore) {
    termios no_echo = old_attr;
    no_echo.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &no_echo);
  }
  crypto::SecretBytes buffer(kMaxPassphrase);
  size_t size = 0;
  bool got = false;
  bool too_long = false;
  for (;;) {
    uint8_t c = 0;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got = true;
    if (c == '\n') break;
    if (size == buffer.size()) {
      too_long = true;
    } else {
      buffer.data()[size++] = c;
    }
    crypto::WipeBytes(&c, 1);
  }
  if (restore) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_attr);
  std::fprintf(stderr, "\n");
  if (!got) return absl::InvalidArgumentError("no passphrase entered");
  if (too_long) {
    return absl::InvalidArgumentError(
        absl::StrCat("passphrase longer than ", kMaxPassphrase, " bytes"));
  }
  while (size > 0 && buffer.data()[size - 1] == '\r') --size;
  return crypto::SecretBytes::CopyOf(buffer.view().substr(0, size));
}

void StripNewline(std::string& s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
}

absl::StatusOr<crypto::SecretBytes> ReadPassphraseFile(
    const std::string& path) {
  constexpr size_t kMaxFile = 4096;
  std::FILE* file = std::fopen(path.c_str(), "rbe");
  if (file == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read passphrase file ", path));
  }
  // Unbuffered: the bytes go from the kernel straight into secret memory.
  std::setvbuf(file, nullptr, _IONBF, 0);
  crypto::SecretBytes buffer(kMaxFile + 1);
  const size_t size_read = std::fread(buffer.data(), 1, buffer.size(), file);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  size_t size = size_read;
  if (failed) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read passphrase file ", path));
  }
  if (size > kMaxFile) {
    return absl::InvalidArgumentError(absl::StrCat(
        "passphrase file ", path, " is over ", kMaxFile, " bytes"));
  }
  while (size > 0 &&
         (buffer.data()[size - 1] == '\n' || buffer.data()[size - 1] == '\r')) {
    --size;
  }
  return crypto::SecretBytes::CopyOf(buffer.view().substr(0, size));
}

// The passphrase from --passphrase-file, CONFIDANT_PASSPHRASE or the
// terminal (asked twice when `confirm`). The variable is wiped and removed
// from the environment once read, so child processes never see it.
absl::StatusOr<crypto::SecretBytes> GetPassphrase(const Request& req,
                                                  bool confirm) {
  crypto::SecretBytes pass;
  if (!req.passphrase_file.empty()) {
    absl::StatusOr<crypto::SecretBytes> read =
        ReadPassphraseFile(req.passphrase_file);
    if (!read.ok()) return read.status();
    pass = *std::move(read);
  } else if (char* env = std::getenv("CONFIDANT_PASSPHRASE"); env != nullptr) {
    const size_t size = std::strlen(env);
    pass = crypto::SecretBytes::CopyOf(std::string_view(env, size));
    crypto::WipeBytes(env, size);
    ::unsetenv("CONFIDANT_PASSPHRASE");
  } else if (isatty(STDIN_FILENO)) {
    absl::StatusOr<crypto::SecretBytes> first =
        Prompt("Passphrase / wachtwoordzin: ");
    if (!first.ok()) return first.status();
    pass = *std::move(first);
    if (confirm) {
      absl::StatusOr<crypto::SecretBytes> second =
          Prompt("Repeat passphrase / herhaal wachtwoordzin: ");
      if (!second.ok()) return second.status();
      if (!second->Equals(pass)) {
        return absl::InvalidArgumentError("the passphrases differ");
      }
    }
  } else {
    return absl::InvalidArgumentError(
        "no passphrase: stdin is not a terminal; use --passphrase-file or "
        "CONFIDANT_PASSPHRASE");
  }
  if (pass.empty()) return absl::InvalidArgumentError("empty passphrase");
  return pass;
}

}  // namespace confidant::cli
