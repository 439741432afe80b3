#include "server/mailbox_hub.h"

namespace confidant::server {

absl::Status MailboxHub::Subscribe(const std::string& mailbox_key,
                                   Listener* listener) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return absl::UnavailableError("relay shutting down");
  auto& set = listeners_[mailbox_key];
  if (static_cast<int>(set.size()) >= max_per_mailbox_) {
    if (set.empty()) listeners_.erase(mailbox_key);
    return absl::ResourceExhaustedError(
        "too many open Receive streams for this account");
  }
  set.insert(listener);
  return absl::OkStatus();
}

void MailboxHub::Unsubscribe(const std::string& mailbox_key,
                             Listener* listener) {
  absl::MutexLock lock(&mu_);
  auto it = listeners_.find(mailbox_key);
  if (it == listeners_.end()) return;
  it->second.erase(listener);
  if (it->second.empty()) listeners_.erase(it);
}

void MailboxHub::Notify(const std::string& mailbox_key) {
  absl::MutexLock lock(&mu_);
  auto it = listeners_.find(mailbox_key);
  if (it == listeners_.end()) return;
  for (Listener* l : it->second) l->OnMailboxChanged();
}

void MailboxHub::Shutdown() {
  absl::MutexLock lock(&mu_);
  shut_down_ = true;
  for (auto& [key, set] : listeners_) {
    for (Listener* l : set) l->OnShutdown();
  }
}

size_t MailboxHub::ListenerCount() {
  absl::MutexLock lock(&mu_);
  size_t n = 0;
  for (auto& [key, set] : listeners_) n += set.size();
  return n;
}

}  // namespace confidant::server
