// ProfileStore::Transaction: writes of one thread staged into one batch.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "client/profile_store.h"
#include "crypto/secret.h"

namespace confidant::client {
namespace {

// The open transaction of this thread and the store it belongs to.
struct Current {
  ProfileStore* store = nullptr;
  ProfileStore::Transaction* transaction = nullptr;
};
thread_local Current t_current;

}  // namespace

ProfileStore::Transaction::Transaction(ProfileStore& store) : store_(store) {
  // Nesting would commit the inner transaction's writes on their own.
  if (t_current.transaction != nullptr) {
    std::fputs("one ProfileStore::Transaction per thread at a time\n", stderr);
    std::abort();
  }
  t_current = Current{&store, this};
}

ProfileStore::Transaction::~Transaction() {
  if (active_) t_current = Current{};
}

absl::Status ProfileStore::Transaction::Commit(const Batch& also) {
  if (active_) {
    active_ = false;
    t_current = Current{};
  }
  for (const Batch::Op& op : also.ops_) staged_.ops_.push_back(op);
  if (staged_.size() == 0) return absl::OkStatus();
  absl::Status status = store_.Write(staged_);
  staged_ = Batch();
  last_.clear();
  return status;
}

void ProfileStore::Transaction::Stage(const Batch::Op& op) {
  last_[{op.ns, op.key}] = staged_.ops_.size();
  staged_.ops_.push_back(op);
}

bool ProfileStore::Transaction::Lookup(
    Namespace ns, std::string_view key,
    std::optional<std::string>& value) const {
  auto it = last_.find({ns, std::string(key)});
  if (it == last_.end()) return false;
  value = staged_.ops_[it->second].value;
  return true;
}

void ProfileStore::Transaction::MergeInto(
    Namespace ns,
    std::vector<std::pair<std::string, std::string>>& entries) const {
  bool touched = false;
  for (const Batch::Op& op : staged_.ops_) touched |= op.ns == ns;
  if (!touched) return;
  std::map<std::string, std::optional<std::string>> merged;
  for (auto& [key, value] : entries) merged[key] = std::move(value);
  for (const Batch::Op& op : staged_.ops_) {
    if (op.ns == ns) merged[op.key] = op.value;
  }
  for (auto& [key, value] : entries) crypto::WipeString(key);
  entries.clear();
  for (auto& [key, value] : merged) {
    if (value.has_value()) entries.emplace_back(key, std::move(*value));
  }
}

ProfileStore::Transaction* ProfileStore::ActiveTransaction() {
  return t_current.store == this ? t_current.transaction : nullptr;
}

}  // namespace confidant::client
