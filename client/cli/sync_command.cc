// sync: one round, or --follow: live until SIGINT or --timeout.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/cli/cli.h"

namespace confidant::cli {
namespace {

std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted.store(true); }

// Prints what arrives while following, and keeps it for the summary.
class Follower : public client::AppObserver {
 public:
  // `follow`: print messages and connection changes as they happen.
  Follower(bool json, bool follow, absl::TimeZone zone)
      : json_(json), follow_(follow), zone_(zone) {}

  void OnMessage(const std::string& case_id, const client::CaseMessage& m,
                 bool new_case) override {
    absl::MutexLock lock(&mu_);
    ++new_per_case_[case_id];
    if (!follow_) return;
    if (json_) {
      messages_.push_back(MessageJson(case_id, m));
    } else {
      Print(absl::StrCat(Hex(case_id), "  ", MessageText(m, zone_)));
    }
  }

  void OnConnectionChanged(const client::ConnectionStatus& status) override {
    if (json_ || !follow_) return;
    std::string line;
    switch (status.state) {
      case client::ConnectionState::kConnected:
        line = "connected / verbonden";
        break;
      case client::ConnectionState::kConnecting:
        line = "connecting / verbinden";
        break;
      case client::ConnectionState::kOffline:
        line = absl::StrCat(
            "offline (", status.error.message(), "); retrying in ",
            absl::ToInt64Seconds(status.retry_in) + 1, " s / opnieuw");
        break;
    }
    if (status.queued > 0) {
      absl::StrAppend(&line, "; ", status.queued,
                      " message(s) queued / in de wachtrij");
    }
    absl::MutexLock lock(&mu_);
    if (line == last_line_) return;
    last_line_ = line;
    std::fprintf(stderr, "confidant: %s\n", line.c_str());
  }

  void OnError(const absl::Status& error) override {
    PrintError(std::string(error.message()));
  }

  std::map<std::string, int> new_per_case() {
    absl::MutexLock lock(&mu_);
    return new_per_case_;
  }
  std::vector<std::string> messages() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }

 private:
  const bool json_;
  const bool follow_;
  const absl::TimeZone zone_;
  absl::Mutex mu_;
  std::map<std::string, int> new_per_case_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> messages_ ABSL_GUARDED_BY(mu_);
  std::string last_line_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

int Sync(const Request& req) {
  auto app = OpenApp(req);
  if (!app.ok()) return Fail(app.status());
  Follower follower(req.json, req.follow, (*app)->time_zone());
  client::SyncReport total;
  if (!req.follow) {
    // Messages are counted, not printed: `confidant read` shows them.
    (*app)->AddObserver(&follower);
    absl::StatusOr<client::SyncReport> report = (*app)->SyncOnce();
    (*app)->RemoveObserver(&follower);
    if (!report.ok()) return Fail(report.status());
    total = *std::move(report);
  } else {
    struct sigaction action = {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    const absl::Time deadline =
        req.timeout_seconds > 0
            ? absl::Now() + absl::Seconds(req.timeout_seconds)
            : absl::InfiniteFuture();
    (*app)->AddObserver(&follower);
    (*app)->Start();
    // The app's threads do the work; this one only waits for the end.
    while (!g_interrupted.load() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    (*app)->Stop();
    (*app)->RemoveObserver(&follower);
    total = (*app)->live_totals();
  }

  std::vector<std::string> cases_json;
  std::string text;
  for (const auto& [case_id, n] : follower.new_per_case()) {
    cases_json.push_back(
        JsonObject().Str("case", Hex(case_id)).Int("new", n).Build());
    if (!req.follow) {
      absl::StrAppend(&text, Hex(case_id), "  ", n, " new / nieuw\n");
    }
  }
  if (req.json) {
    Print(JsonObject()
              .Int("received", total.received)
              .Int("receipts", total.receipts)
              .Int("dropped", total.dropped)
              .Int("blocked", total.blocked)
              .Int("identity_changes", total.identity_changes)
              .Int("unsolicited", total.unsolicited)
              .Int("sent", total.sent)
              .Raw("cases", JsonArray(cases_json))
              .Raw("messages", JsonArray(follower.messages()))
              .Build() +
          "\n");
    return kExitOk;
  }
  absl::StrAppend(&text, "synced: ", total.received,
                  " new message(s) / nieuwe bericht(en), ", total.receipts,
                  " receipt(s)\n");
  if (total.dropped > 0) {
    absl::StrAppend(&text, total.dropped,
                    " unreadable message(s) dropped / onleesbaar\n");
  }
  if (total.blocked > 0) {
    absl::StrAppend(&text, total.blocked,
                    " message(s) of a blocked sender dropped / van een "
                    "geblokkeerde afzender\n");
  }
  if (total.unsolicited > 0) {
    absl::StrAppend(
        &text, total.unsolicited,
        " case(s) opened by a trust person you never wrote to: be careful "
        "/ melding(en) geopend door een vertrouwenspersoon aan wie u nooit "
        "schreef: wees voorzichtig\n");
  }
  if (total.identity_changes > 0) {
    absl::StrAppend(&text,
                    "a safety number changed: see `confidant cases` and "
                    "`confidant safety-number` / veiligheidsnummer "
                    "gewijzigd\n");
  }
  Print(text);
  return kExitOk;
}

}  // namespace confidant::cli
