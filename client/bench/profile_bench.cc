// confidant-profile-bench: what the profile's protections at rest cost. A
// synced write with its manifest update, a session replaced (forgetting
// deferred), a pre-key deleted (forgetting at once), opening a profile of N
// records (the manifest check reads them all), and a passphrase change
// (re-encrypting N records). Results: docs/profile.md, "Costs".
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/profile_store.h"

namespace confidant::client {
namespace {

// A fresh directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ =
        absl::StrCat(base != nullptr ? base : "/tmp", "/profile-bench-XXXXXX");
    if (mkdtemp(templ.data()) == nullptr) abort();
    path_ = templ;
  }
  ~TempDir() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

constexpr crypto::Argon2Params kFastParams = {1, 8 * 1024, 1};
constexpr char kPassphrase[] = "correct horse battery staple";
constexpr char kOtherPassphrase[] = "violet lantern drifts over harbour";

// A profile of `records` messages of 300 bytes and 20 sessions of 1 KiB.
std::unique_ptr<ProfileStore> MakeProfile(const std::string& dir, int records) {
  auto store = *ProfileStore::Create(dir, kPassphrase, kFastParams);
  ProfileStore::Batch batch;
  for (int i = 0; i < records; ++i) {
    batch.Put(Namespace::kMessage, absl::StrCat("case/", i),
              std::string(300, 'm'));
    if (batch.size() == 500) {
      if (!store->Write(batch).ok()) abort();
      batch = ProfileStore::Batch();
    }
  }
  for (int i = 0; i < 20; ++i) {
    batch.Put(Namespace::kSession, absl::StrCat("peer-", i, ".1"),
              std::string(1024, 's'));
  }
  if (!store->Write(batch).ok()) abort();
  return store;
}

void BM_PutMessage(benchmark::State& state) {
  TempDir tmp;
  auto store = MakeProfile(tmp.path() + "/p", 1000);
  int i = 0;
  for (auto _ : state) {
    if (!store
             ->Put(Namespace::kMessage, absl::StrCat("new/", i++),
                   std::string(300, 'n'))
             .ok()) {
      state.SkipWithError("put failed");
    }
  }
}
BENCHMARK(BM_PutMessage)->Unit(benchmark::kMicrosecond);

void BM_ReplaceSession(benchmark::State& state) {
  TempDir tmp;
  auto store = MakeProfile(tmp.path() + "/p", 1000);
  for (auto _ : state) {
    if (!store->Put(Namespace::kSession, "peer-0.1", std::string(1024, 'S'))
             .ok()) {
      state.SkipWithError("put failed");
    }
  }
}
BENCHMARK(BM_ReplaceSession)->Unit(benchmark::kMicrosecond);

// A pre-key deleted: the write plus an immediate forgetting pass.
void BM_DeletePreKey(benchmark::State& state) {
  TempDir tmp;
  auto store = MakeProfile(tmp.path() + "/p", state.range(0));
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string id = std::to_string(i++);
    if (!store->Put(Namespace::kPreKey, id, std::string(100, 'k')).ok()) {
      state.SkipWithError("put failed");
    }
    state.ResumeTiming();
    if (!store->Delete(Namespace::kPreKey, id).ok()) {
      state.SkipWithError("delete failed");
    }
  }
}
BENCHMARK(BM_DeletePreKey)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

// Open with the manifest check (Argon2id at the cheapest parameters).
void BM_Open(benchmark::State& state) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/p";
  MakeProfile(dir, state.range(0)).reset();
  for (auto _ : state) {
    auto store = ProfileStore::Open(dir, kPassphrase);
    if (!store.ok()) state.SkipWithError("open failed");
  }
}
BENCHMARK(BM_Open)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(
    benchmark::kMillisecond);

// Two passphrase changes per iteration (there and back): re-encryption of
// every record into a new generation, twice.
void BM_ChangePassphraseTwice(benchmark::State& state) {
  TempDir tmp;
  auto store = MakeProfile(tmp.path() + "/p", state.range(0));
  for (auto _ : state) {
    if (!store->ChangePassphrase(kPassphrase, kOtherPassphrase).ok() ||
        !store->ChangePassphrase(kOtherPassphrase, kPassphrase).ok()) {
      state.SkipWithError("change failed");
    }
  }
}
BENCHMARK(BM_ChangePassphraseTwice)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace confidant::client

BENCHMARK_MAIN();
