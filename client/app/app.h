// The application layer every Confidant client sits on: the CLI, and the
// desktop app. An App owns one profile and the whole client stack on it
// (crypto stores, account, sessions, sender certificates, message crypto,
// messenger, transport) and offers one method per user action.
//
// Live: after Start(), the App keeps one Receive stream open on a thread of
// its own and handles every envelope the moment it arrives (decrypt, store,
// ack). When the relay goes away it says so and reconnects with exponential
// backoff and jitter (about 1 s growing to 60 s). A second thread empties
// the outbox: sending only queues a message durably in the profile, so it
// works offline and survives a restart; queued messages leave in order per
// case as soon as the relay can be reached, and delivery receipts leave
// after a random delay (docs/protocol.md, "Receipt timing").
//
// Observers (AppObserver) are called on a third thread of the App, the event
// thread, one event at a time and in the order the events happened; without
// Start(), on the thread of the call that caused the event. They must return
// quickly and never block (hand the event to the UI's own loop); they may
// call the App's methods, AddObserver and RemoveObserver included (an event
// an observer causes is told after it returns), but never Stop() or the
// destructor (checked in debug builds). Events carry plain values only, no
// UI types. No lock of the App is held while an observer runs or while the
// App waits for the relay.
//
// Profile records the App itself keeps (docs/profile.md):
//   kMeta "settings"  the connection settings (ConnectionSettings::Encode)
// Verified safety numbers and everything about cases: client/messenger.h.
#ifndef CONFIDANT_CLIENT_APP_APP_H_
#define CONFIDANT_CLIENT_APP_APP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "base/clock.h"
#include "base/random.h"
#include "client/account.h"
#include "client/app/case_events.h"
#include "client/app/casework.h"
#include "client/app/deadlines.h"
#include "client/app/invoice.h"
#include "client/app/report.h"
#include "client/app/settings.h"
#include "client/messenger.h"
#include "client/transport.h"
#include "crypto/kdf.h"

namespace confidant::client {

class AppStack;

enum class ConnectionState {
  kOffline,     // not connected; a retry is scheduled (see retry_in)
  kConnecting,  // opening the stream and catching up on queued envelopes
  kConnected,   // live: envelopes arrive as they are sent
};

// What the user should see about the connection.
struct ConnectionStatus {
  ConnectionState state = ConnectionState::kOffline;
  // Our messages waiting in the outbox.
  uint32_t queued = 0;
  // Why we are offline (OK otherwise).
  absl::Status error;
  // kOffline: the next attempt comes this much later.
  absl::Duration retry_in;
};

// Receives the App's events; see the comment at the top for the thread.
// Every method has an empty default.
class AppObserver {
 public:
  virtual ~AppObserver() = default;

  // A new message arrived in `case_id` (`new_case`: the peer opened it).
  virtual void OnMessage(const std::string& case_id, const CaseMessage& message,
                         bool new_case) {}
  // One of our messages became sent, delivered or failed.
  virtual void OnDeliveryChanged(const std::string& case_id,
                                 const std::string& message_id,
                                 DeliveryState state) {}
  // Something about a case changed (unread count, status, held messages).
  virtual void OnCaseChanged(const std::string& case_id) {}
  // A peer proved a new identity key: its cases are blocked until the user
  // verifies the new safety number.
  virtual void OnIdentityChanged(const std::string& peer_account_id) {}
  // The connection changed state or the number of queued messages changed.
  virtual void OnConnectionChanged(const ConnectionStatus& status) {}
  // Something failed that no method call returned: a message the relay
  // refused, an envelope that could not be stored. For the user, in words.
  virtual void OnError(const absl::Status& error) {}
};

struct AppOptions {
  // Used instead of the stored connection settings, for this App only.
  std::optional<std::string> relay;
  std::optional<std::string> tls_ca;
  std::optional<std::string> proxy;
  bool insecure = false;
  // Makes the transport for the effective settings; gRPC when unset.
  std::function<absl::StatusOr<std::unique_ptr<RelayTransport>>(
      const ConnectionSettings&)>
      make_transport;
  // The time and randomness (reconnection jitter); the system's when unset.
  // Must outlive the App.
  base::Clock* clock = nullptr;
  base::Random* random = nullptr;
  // Argon2id parameters of a new profile.
  crypto::Argon2Params argon2 = crypto::kDefaultArgon2Params;
  MessengerOptions messenger;
  AccountOptions account;
  // The trust person's time zone (case numbers, deadlines); IANA name.
  std::string time_zone = "Europe/Amsterdam";
  // Reconnection backoff: from `reconnect_min`, doubling up to
  // `reconnect_max`, each wait drawn at random from its upper half.
  absl::Duration reconnect_min = absl::Seconds(1);
  absl::Duration reconnect_max = absl::Seconds(60);
};

class App {
 public:
  // Opens the registered profile in `dir`. NOT_FOUND "no profile in DIR"
  // (with what to run), PERMISSION_DENIED "wrong passphrase", DATA_LOSS for
  // a corrupt or tampered profile, FAILED_PRECONDITION for a profile whose
  // registration never finished.
  static absl::StatusOr<std::unique_ptr<App>> Open(const std::string& dir,
                                                   std::string_view passphrase,
                                                   AppOptions options = {});

  // Creates a profile in `dir` and registers a new employee account with
  // the organisation's access code. Before the relay sees the code, its
  // keys are pinned and checked against `expected_relay_key` (the
  // fingerprint the organisation published; empty: trust on first use).
  // On any failure before registration nothing is left in `dir`.
  static absl::StatusOr<std::unique_ptr<App>> Join(
      const std::string& dir, std::string_view passphrase,
      const ConnectionSettings& settings, std::string_view access_code,
      std::string_view expected_relay_key, AppOptions options = {});
  // The same for a trust person, with a one-time invite code and a public
  // profile.
  static absl::StatusOr<std::unique_ptr<App>> Enroll(
      const std::string& dir, std::string_view passphrase,
      const ConnectionSettings& settings, std::string_view invite_code,
      const TrustPersonProfile& profile, std::string_view expected_relay_key,
      AppOptions options = {});

  // Whether `dir` holds a profile to Open() (rather than to Join or Enroll).
  static bool ProfileExists(const std::string& dir);

  // Stops the live threads and closes the profile.
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Who we are.
  const std::string& account_id() const;  // 16 bytes
  AccountKind kind() const;
  std::vector<Organisation> organisations() const;
  // Our identity public key (33 bytes).
  const std::string& identity_key() const;
  // The fingerprint of the relay's root key, as pinned.
  const std::string& relay_fingerprint() const;
  // The time zone of case numbers, deadlines and appointments.
  absl::TimeZone time_zone() const;
  // The effective connection settings, and the stored ones replaced (used
  // from the next Open()).
  const ConnectionSettings& settings() const;
  absl::Status SaveSettings(const ConnectionSettings& settings);
  // Re-encrypts the profile under `new_passphrase`, with stronger Argon2id
  // parameters if given (docs/profile.md).
  absl::Status ChangePassphrase(
      std::string_view old_passphrase, std::string_view new_passphrase,
      std::optional<crypto::Argon2Params> params = std::nullopt);

  // The trust persons of an organisation (empty: the employee's only one).
  // Asks the relay.
  absl::StatusOr<TrustPersonList> TrustPersons(
      std::string_view organisation_id);

  // Opens a case with a trust person and queues the first message; returns
  // the case id. Works offline.
  absl::StatusOr<std::string> OpenCase(std::string_view trust_person_account_id,
                                       std::string_view first_message);
  // Queues a message; returns its id. Works offline.
  absl::StatusOr<std::string> Send(std::string_view case_id,
                                   std::string_view text);
  absl::StatusOr<std::vector<CaseSummary>> Cases();
  absl::StatusOr<CaseSummary> Case(std::string_view case_id);
  absl::StatusOr<std::vector<CaseMessage>> Read(std::string_view case_id);
  absl::Status MarkRead(std::string_view case_id);
  absl::StatusOr<SafetyNumberState> SafetyNumber(std::string_view case_id);
  // See Messenger::VerifySafetyNumber; held messages then arrive as events.
  absl::StatusOr<SyncReport> Verify(std::string_view case_id,
                                    std::string_view compared);

  // The trust person's registration of a case (casework.h): registered with
  // the next case number on first use. PERMISSION_DENIED for an employee.
  absl::StatusOr<v1::CaseFile> CaseFile(std::string_view case_id);
  absl::StatusOr<v1::CaseFile> UpdateCaseFile(std::string_view case_id,
                                              const CaseFileUpdate& update);
  // A private note: never sent to anyone.
  absl::StatusOr<v1::CaseFile> AddNote(std::string_view case_id,
                                       std::string_view text);
  absl::StatusOr<std::vector<v1::Category>> Categories();
  absl::Status SetCategories(const std::vector<v1::Category>& categories);
  absl::StatusOr<v1::CaseworkSettings> CaseworkSettings();
  absl::Status SaveCaseworkSettings(const v1::CaseworkSettings& settings);

  // Whistleblower reports (deadlines.h): feedback given, the feedback
  // deadline extended with a reason, the deadlines of one case, and what is
  // due across all cases.
  absl::StatusOr<v1::CaseFile> RecordFeedback(std::string_view case_id);
  absl::StatusOr<v1::CaseFile> ExtendDeadline(std::string_view case_id,
                                              std::string_view reason);
  absl::StatusOr<WbkDeadlines> Deadlines(std::string_view case_id);
  absl::StatusOr<std::vector<DueItem>> Due();
  // Removes a closed case entirely; and the closed cases whose retention
  // period ended (also done by Open()).
  absl::Status Purge(std::string_view case_id);
  absl::StatusOr<int> PurgeExpired();

  // The report of an organisation (`organisation_id`, or the only one when
  // empty) over [options.from, options.to] (report.h). The organisation's
  // name, the trust person's name (the invoicing settings', else the
  // directory's: asks the relay) and the category list are filled in when
  // empty. `left_out` counts case files without an organisation that were
  // left out because the trust person serves several.
  absl::StatusOr<client::Report> OrganisationReport(
      std::string_view organisation_id, ReportOptions options,
      int* left_out = nullptr);
  // The anonymised invoice of an organisation for the months
  // [options.from, options.to] (invoice.h): the issuer, rate, VAT and term
  // come from the invoicing settings where `options` leaves them empty; an
  // empty invoice number takes the next of the year ("2026-004"), which is
  // then used up unless `draft` (a preview shows the number the invoice
  // will get).
  absl::StatusOr<client::Invoice> OrganisationInvoice(
      std::string_view organisation_id, InvoiceOptions options,
      bool draft = false);

  // Shared with the employee, inside the encryption (case_policy.h says
  // which side may do what). Each queues one case event and returns its
  // message id; works offline.
  absl::StatusOr<std::string> ShareStatus(std::string_view case_id,
                                          v1::CaseEvent::SharedStatus status);
  // The acknowledgement of receipt: `text`, or the trust person's edited
  // bilingual text (CaseworkSettings) when empty. Recorded for the deadline
  // of a whistleblower report in the same batch.
  absl::StatusOr<std::string> Acknowledge(std::string_view case_id,
                                          std::string_view text = {});
  // Trust person: proposes 1..3 slots; returns the proposal id (16 bytes).
  absl::StatusOr<std::string> ProposeAppointment(
      std::string_view case_id, const std::vector<v1::CaseEvent::Slot>& slots,
      std::string_view note = {});
  // Employee: accepts slot 1..3 of the latest proposal, or 0 to ask for
  // other times. NOT_FOUND for an unknown proposal; FAILED_PRECONDITION if
  // it was replaced by a newer one or answered already.
  absl::StatusOr<std::string> AnswerAppointment(std::string_view case_id,
                                                std::string_view proposal_id,
                                                uint32_t slot,
                                                std::string_view note = {});
  absl::StatusOr<AppointmentState> Appointment(std::string_view case_id);
  absl::StatusOr<std::string> AppointmentICalendar(std::string_view case_id,
                                                   std::string_view summary);
  // Trust person: proposes that `colleague` (a trust person of the case's
  // organisation in the directory: asks the relay) takes the case over;
  // returns the hand-over id. INVALID_ARGUMENT for anyone outside the
  // organisation or oneself.
  absl::StatusOr<std::string> ProposeHandover(
      std::string_view case_id, std::string_view colleague_account_id,
      v1::CaseEvent::HandoverReason reason, std::string_view note = {});
  // Employee: consents to the pending hand-over, forwarding the messages
  // `forward` (ids of text messages of this case, in the case's order) to
  // the new trust person in a new case, and closing this one; or refuses.
  // Returns the new case id on consent, empty on refusal. The colleague is
  // checked against the organisation's directory (asks the relay).
  absl::StatusOr<std::string> AnswerHandover(
      std::string_view case_id, std::string_view handover_id, bool consent,
      const std::vector<std::string>& forward = {});
  absl::StatusOr<HandoverState> Handover(std::string_view case_id);
  // Trust person: drops every later envelope of the case's peer (acked and
  // counted, the relay learns nothing); and undoes it.
  absl::Status Block(std::string_view case_id);
  absl::Status Unblock(std::string_view case_id);
  absl::StatusOr<std::optional<v1::BlockedSender>> Blocked(
      std::string_view case_id);

  // One round without live threads (what `confidant sync` does): key
  // maintenance, every queued envelope received and acked, then the outbox
  // sent as far as it is due. FAILED_PRECONDITION while started.
  absl::StatusOr<SyncReport> SyncOnce();

  // Sends what the outbox has due now, without live threads (what
  // `confidant send` does after queuing); returns how many left. The first
  // transport error otherwise: the outbox keeps the rest. FAILED_PRECONDITION
  // while started.
  absl::StatusOr<int> SendQueued();

  // Starts the live threads (idempotent); Stop() ends them, cancelling the
  // stream and any wait. Both thread-safe.
  void Start();
  void Stop();
  // While offline, makes the next connection attempt start now instead of
  // after ConnectionStatus::retry_in (a "try again" button); the backoff is
  // kept, so a relay that stays away is not asked more often for it.
  // Thread-safe; does nothing unless started.
  void RetryNow();
  ConnectionStatus connection() const;
  // The counts of everything received and sent since Start().
  SyncReport live_totals() const;

  // Observers must outlive their registration. After RemoveObserver()
  // returns the observer is not called again and no call to it runs on
  // another thread; called from inside one of its own callbacks, it returns
  // at once and that callback is the last. Both thread-safe, also from an
  // observer.
  void AddObserver(AppObserver* observer);
  void RemoveObserver(AppObserver* observer);

  // Testing only: the stack, for tests that look inside or forge.
  AppStack& StackForTesting() { return *stack_; }

 private:
  explicit App(std::unique_ptr<AppStack> stack, AppOptions options);

  absl::Time Now() const;
  base::Random& Random() const;
  // The organisation `organisation_id` (the only one when empty) if we
  // serve it.
  absl::StatusOr<Organisation> ServedOrganisation(
      std::string_view organisation_id) const;
  // Our name for the report: the invoicing settings', else the directory's.
  absl::StatusOr<std::string> OwnName();
  // Something was queued: the sender wakes and observers see the count.
  void OutboxChanged();
  // Queues `event` in a case and wakes the sender.
  absl::StatusOr<std::string> SendEvent(std::string_view case_id,
                                        const v1::CaseEvent& event);

  // Envelopes received in one atomic batch, with the relay's keys learnt
  // once if needed; their events published and counts added to `report`.
  // An error means none of them was stored.
  absl::Status HandleBatch(absl::Span<const Envelope> envelopes,
                           bool& relay_keys_fresh, SyncReport* report);
  // Acks `seqs` in calls of at most 1000; the first error.
  absl::Status AckAll(absl::Span<const uint64_t> seqs);
  // Turns what receiving did into events; adds its counts to `report`.
  void Publish(const Received& received, SyncReport* report);
  // Held envelopes whose peer the user accepted, and expired ones dropped.
  absl::StatusOr<SyncReport> ProcessHeld();
  // Sends what the outbox has due; the first transport error (the outbox
  // keeps the rest).
  absl::StatusOr<int> FlushOutbox();
  // Reads the queued count and tells the observers.
  void PublishConnection();

  void ReceiveLoop();
  void SendLoop();
  void EventLoop();
  // Queues `event` for the observers.
  void Emit(std::function<void(AppObserver&)> event);
  // Calls `event` on every observer, with no lock held during a call; an
  // event emitted meanwhile on this thread waits for its turn.
  void Tell(std::function<void(AppObserver&)> event)
      ABSL_LOCKS_EXCLUDED(observers_mu_);
  // Waits `delay` or until stopped (or, with `retry`, until RetryNow());
  // false if stopped.
  bool SleepUnlessStopped(absl::Duration delay, bool retry = false);
  void SetState(ConnectionState state, absl::Status error,
                absl::Duration retry_in);

  std::unique_ptr<AppStack> stack_;
  const AppOptions options_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The sender has work (or a receipt may have become due).
  bool send_wanted_ ABSL_GUARDED_BY(mu_) = false;
  // RetryNow() was called: the receiver's wait ends.
  bool retry_now_ ABSL_GUARDED_BY(mu_) = false;
  ConnectionStatus status_ ABSL_GUARDED_BY(mu_);
  ReceiveStream* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  SyncReport live_totals_ ABSL_GUARDED_BY(mu_);
  std::thread receiver_;
  std::thread sender_;
  std::thread events_;

  absl::Mutex events_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::vector<std::function<void(AppObserver&)>> pending_events_
      ABSL_GUARDED_BY(events_mu_);
  bool events_stopping_ ABSL_GUARDED_BY(events_mu_) = false;
  // The event thread runs; otherwise events are told on the caller's thread.
  bool events_running_ ABSL_GUARDED_BY(events_mu_) = false;

  // Never held while an observer runs.
  absl::Mutex observers_mu_ ABSL_ACQUIRED_AFTER(events_mu_);
  std::vector<AppObserver*> observers_ ABSL_GUARDED_BY(observers_mu_);
  // The calls to observers running now, and on which thread, so that
  // RemoveObserver() can wait for them.
  struct ObserverCall {
    AppObserver* observer;
    std::thread::id thread;
    friend bool operator==(const ObserverCall&, const ObserverCall&) = default;
  };
  std::vector<ObserverCall> running_calls_ ABSL_GUARDED_BY(observers_mu_);
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_APP_H_
