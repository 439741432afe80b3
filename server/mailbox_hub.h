// Connects Send to open Receive streams: who is listening on which mailbox,
// and a wake-up when something new is stored there. Holds no envelopes: a
// woken stream reads them from storage, so a slow reader costs no memory here.
#ifndef CONFIDANT_SERVER_MAILBOX_HUB_H_
#define CONFIDANT_SERVER_MAILBOX_HUB_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace confidant::server {

class MailboxHub {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Something was stored in the mailbox. Called with the hub's lock held:
    // must not block nor call back into the hub.
    virtual void OnMailboxChanged() = 0;
    // The relay is shutting down: finish the stream. Same rules.
    virtual void OnShutdown() = 0;
  };

  explicit MailboxHub(int max_listeners_per_mailbox)
      : max_per_mailbox_(max_listeners_per_mailbox) {}

  // Registers `listener` for `mailbox_key`. RESOURCE_EXHAUSTED if the mailbox
  // already has the maximum number of listeners, UNAVAILABLE once the hub is
  // shut down. Thread-safe.
  absl::Status Subscribe(const std::string& mailbox_key, Listener* listener);
  // Removes `listener`; after this returns it is never called again.
  void Unsubscribe(const std::string& mailbox_key, Listener* listener);
  // Wakes every listener of `mailbox_key`.
  void Notify(const std::string& mailbox_key);
  // Tells every listener to finish and refuses new ones.
  void Shutdown();

  size_t ListenerCount();

 private:
  const int max_per_mailbox_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::flat_hash_set<Listener*>> listeners_
      ABSL_GUARDED_BY(mu_);
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_MAILBOX_HUB_H_
