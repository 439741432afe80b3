// confidant-desktop-bench [INBOX.png]: the desktop app's targets of issue 14,
// measured on the real window (offscreen platform, software renderer) over
// an in-process fake relay. Not a test (nothing here asserts a time); the
// results go into docs/benchmarks.md.
//   Unlock   Session::unlock() of a trust person with 1,000 cases of 5
//            messages (Argon2id at the app's defaults) until the inbox model
//            holds 1,000 rows; against App::Open and Argon2id alone.
//   Memory   VmRSS and VmHWM with those 1,000 cases in the inbox.
//   Arrival  a message into the open case: from the App's observer call to
//            the conversation model's new row and the next frame showing it.
#include <malloc.h>

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QGuiApplication>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/hex.h"
#include "client/app/app.h"
#include "client/testing/fake_relay.h"
#include "crypto/kdf.h"
#include "tests/desktop/harness.h"

namespace confidant::desktop::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr char kPassphrase[] = "correct horse battery staple";
constexpr crypto::Argon2Params kCheapArgon2 = {1, 8192, 1};
constexpr int kEmployees = 10;
constexpr int kCasesEach = 100;  // 1,000 cases in all
constexpr int kCases = kEmployees * kCasesEach;
constexpr int kArrivals = 100;
constexpr int kUnlocks = 3;

constexpr const char* kTexts[] = {
    "My manager keeps joking about my background, also in team meetings. I "
    "don't really know what to do.",
    "It happened again yesterday, in front of two colleagues.",
    "Thank you for telling me. Everything you tell me stays between us. "
    "Shall we talk on the phone this week?",
    "Yes, Thursday afternoon works for me.",
    "Good. I will call you at two. Write down what happened and when, if "
    "you can.",
};

double Ms(SteadyClock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// Runs the event loop until `ready` holds, handling each event as it comes
// (QTest::qWaitFor naps 10 ms between rounds, which would be measured too).
bool Spin(const std::function<bool()>& ready, int timeout_ms = 120000) {
  const auto deadline =
      SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  QTimer tick;  // wakes the loop to check the deadline
  tick.start(20);
  QEventLoop loop;
  while (!ready()) {
    if (SteadyClock::now() > deadline) return false;
    loop.processEvents(QEventLoop::WaitForMoreEvents);
  }
  return true;
}

void SpinFor(int ms) {
  const auto until = SteadyClock::now() + std::chrono::milliseconds(ms);
  Spin([&] { return SteadyClock::now() >= until; });
}

// VmRSS and VmHWM of this process, in MiB.
struct Memory {
  double rss = 0;
  double hwm = 0;
};

Memory ReadMemory() {
  Memory m;
  std::ifstream status("/proc/self/status");
  std::string key;
  double kib = 0;
  while (status >> key) {
    if (key == "VmRSS:" && status >> kib) m.rss = kib / 1024;
    if (key == "VmHWM:" && status >> kib) m.hwm = kib / 1024;
  }
  return m;
}

// Gives freed heap back and starts VmHWM again from the current RSS, so that
// building the data does not count.
void ResetPeak() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

void Check(const absl::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

template <typename T>
T Take(absl::StatusOr<T> v, const char* what) {
  Check(v.status(), what);
  return *std::move(v);
}

void SendAll(client::App& app) {
  for (int i = 0; i < 20 && Take(app.SendQueued(), "send") > 0; ++i) {
  }
}

// When the App's event thread last reported an incoming message.
class ArrivalClock : public client::AppObserver {
 public:
  void OnMessage(const std::string&, const client::CaseMessage& m,
                 bool) override {
    if (m.direction != client::Direction::kIncoming) return;
    at_ = SteadyClock::now().time_since_epoch().count();
    count_.fetch_add(1);
  }
  int count() const { return count_.load(); }
  SteadyClock::time_point at() const {
    return SteadyClock::time_point(SteadyClock::duration(at_.load()));
  }

 private:
  std::atomic<int> count_{0};
  std::atomic<SteadyClock::rep> at_{0};
};

// The trust person's profile with 1,000 cases, 10 employees with 100 each:
// 3 messages from the employee, 2 answers. Every case file registered, as
// after the trust person's first look at the inbox.
struct World {
  std::unique_ptr<client::FakeRelay> relay;
  client::AppOptions cheap;  // for building the data
  client::AppOptions app;    // what the measured window uses: the defaults
  std::string tp_dir;
  std::string employee_dir;  // employee 0
  std::string open_case;     // one of employee 0's cases
};

World Build(const std::string& base) {
  World w;
  w.relay = Take(client::FakeRelay::Create(), "relay");
  client::FakeRelay* relay = w.relay.get();
  auto org = Take(relay->CreateOrganisation("Gemeente Voorbeeld"), "org");
  auto transport = [relay](const client::ConnectionSettings&)
      -> absl::StatusOr<std::unique_ptr<client::RelayTransport>> {
    return relay->NewTransport();
  };
  w.app.make_transport = transport;
  w.cheap.make_transport = transport;
  w.cheap.argon2 = kCheapArgon2;
  w.cheap.messenger.receipt_delay_min = absl::ZeroDuration();
  w.cheap.messenger.receipt_delay_max = absl::ZeroDuration();

  w.tp_dir = base + "/trust-person";
  client::TrustPersonProfile profile;
  profile.display_name = "Anna de Vries";
  profile.affiliation = client::Affiliation::kExternal;
  profile.languages = {"nl", "en"};
  auto invite = Take(relay->CreateInvite({org.organisation.id}), "invite");
  auto tp = Take(client::App::Enroll(w.tp_dir, kPassphrase, {}, invite, profile,
                                     relay->RootFingerprint(), w.cheap),
                 "enroll");
  std::vector<std::unique_ptr<client::App>> employees;
  for (int e = 0; e < kEmployees; ++e) {
    const std::string dir = absl::StrCat(base, "/employee-", e);
    if (e == 0) w.employee_dir = dir;
    employees.push_back(
        Take(client::App::Join(dir, kPassphrase, {}, org.access_code,
                               relay->RootFingerprint(), w.cheap),
             "join"));
    for (int c = 0; c < kCasesEach; ++c) {
      auto id = Take(employees.back()->OpenCase(tp->account_id(), kTexts[0]),
                     "open case");
      if (e == 0 && c == 0) w.open_case = id;
      (void)Take(employees.back()->Send(id, kTexts[1]), "send");
      (void)Take(employees.back()->Send(id, kTexts[3]), "send");
    }
    SendAll(*employees.back());
  }
  std::vector<client::CaseSummary> cases;
  for (int round = 0; round < 20 && cases.size() < kCases; ++round) {
    (void)Take(tp->SyncOnce(), "sync");
    cases = Take(tp->Cases(), "cases");
  }
  if (cases.size() != kCases) Check(absl::InternalError("cases"), "receive");
  for (const client::CaseSummary& s : cases) {
    (void)Take(tp->CaseFile(s.case_id), "case file");
    (void)Take(tp->Send(s.case_id, kTexts[2]), "answer");
    (void)Take(tp->Send(s.case_id, kTexts[4]), "answer");
  }
  SendAll(*tp);
  for (auto& e : employees) (void)Take(e->SyncOnce(), "sync");
  (void)Take(tp->SyncOnce(), "sync");  // their receipts
  // The profile as the app's first run would have made it.
  Check(tp->ChangePassphrase(kPassphrase, kPassphrase,
                             crypto::kDefaultArgon2Params),
        "re-key");
  return w;
}

int Run(const char* shot) {
  const std::string base = QDir::tempPath().toStdString() + "/confidant-bench";
  QDir(QString::fromStdString(base)).removeRecursively();
  const auto build_start = SteadyClock::now();
  World w = Build(base);
  std::printf("data: %d cases of 5 messages, built in %.1f s\n", kCases,
              Ms(SteadyClock::now() - build_start) / 1000);

  // 1. What unlocking costs without the window.
  std::vector<double> argon2_ms, open_ms;
  for (int i = 0; i < kUnlocks; ++i) {
    auto t0 = SteadyClock::now();
    (void)Take(crypto::DerivePassphraseKey(kPassphrase, crypto::NewSalt()),
               "argon2id");
    argon2_ms.push_back(Ms(SteadyClock::now() - t0));
    t0 = SteadyClock::now();
    auto app = Take(client::App::Open(w.tp_dir, kPassphrase, w.app), "open");
    open_ms.push_back(Ms(SteadyClock::now() - t0));
  }
  const double argon2 = Median(argon2_ms), open = Median(open_ms);
  std::printf("argon2id alone (t=%u, %u MiB, p=%u): median %.1f ms\n",
              crypto::kDefaultArgon2Params.t_cost,
              crypto::kDefaultArgon2Params.m_cost_kib / 1024,
              crypto::kDefaultArgon2Params.parallelism, argon2);
  std::printf("App::Open alone: median %.1f ms\n", open);

  ResetPeak();
  const Memory before = ReadMemory();
  Session::Options options;
  options.profile_dir = w.tp_dir;
  options.app = w.app;
  Harness h(options, QStringLiteral("en"));
  if (h.window() == nullptr) Check(absl::InternalError("no window"), "qml");
  SpinFor(500);
  const Memory window = ReadMemory();

  // 1. The window's unlock, until the inbox model holds every case.
  Session& session = h.session();
  SteadyClock::time_point main_at;
  QObject::connect(&session, &Session::stageChanged, [&] {
    if (session.stage() == Session::Main) main_at = SteadyClock::now();
  });
  Memory loaded;
  std::vector<double> totals;
  for (int i = 0; i < kUnlocks; ++i) {
    if (i > 0) session.lock();
    const auto t0 = SteadyClock::now();
    session.unlock(QString::fromLatin1(kPassphrase));
    if (!Spin([&] {
          return session.stage() == Session::Main &&
                 session.cases()->count() == kCases;
        })) {
      Check(absl::DeadlineExceededError("inbox not filled"), "unlock");
    }
    const auto t1 = SteadyClock::now();
    totals.push_back(Ms(t1 - t0));
    std::printf(
        "unlock %d: %.1f ms to %d rows; %.1f ms of it after the App was "
        "adopted; beyond App::Open %.1f ms, beyond Argon2id %.1f ms\n",
        i + 1, Ms(t1 - t0), session.cases()->count(), Ms(t1 - main_at),
        Ms(t1 - t0) - open, Ms(t1 - t0) - argon2);
    if (i == 0) {
      // 2. Memory with the inbox shown.
      SpinFor(1000);
      loaded = ReadMemory();
      if (shot != nullptr) h.Save(QString::fromLocal8Bit(shot));
    }
  }
  std::printf("memory before the window: RSS %.1f MiB\n", before.rss);
  std::printf("memory with the unlock window: RSS %.1f MiB\n", window.rss);
  std::printf(
      "memory with %d cases in the inbox: RSS %.1f MiB, HWM %.1f MiB "
      "(peak since the window opened, Argon2id's %u MiB included)\n",
      kCases, loaded.rss, loaded.hwm,
      crypto::kDefaultArgon2Params.m_cost_kib / 1024);

  // 3. Arrivals into the open case.
  session.openCase(QString::fromStdString(base::HexEncode(w.open_case)));
  ConversationModel* conversation = session.currentCase()->conversation();
  if (!Spin([&] { return conversation->count() == 5; })) {
    Check(absl::DeadlineExceededError("case not shown"), "open case");
  }
  SpinFor(500);
  QQuickItem* list = h.Item(QStringLiteral("messageList"));
  ArrivalClock arrivals;
  session.app()->AddObserver(&arrivals);
  auto employee =
      Take(client::App::Open(w.employee_dir, kPassphrase, w.cheap), "employee");
  SteadyClock::time_point row_at, frame_at;
  bool want_row = false, want_frame = false;
  QObject::connect(conversation, &QAbstractItemModel::rowsInserted, [&] {
    if (!want_row) return;
    row_at = SteadyClock::now();
    want_row = false;
    want_frame = true;
  });
  // The first frame after the row with the list scrolled down to it (the
  // list's bottom margin aside, which positionViewAtEnd leaves out).
  auto last_row_in_view = [list] {
    return list->property("contentY").toDouble() + list->height() >=
           list->property("originY").toDouble() +
               list->property("contentHeight").toDouble() - 0.5;
  };
  QObject::connect(
      h.window(), &QQuickWindow::frameSwapped, h.window(),
      [&] {
        if (!want_frame || !last_row_in_view()) return;
        frame_at = SteadyClock::now();
        want_frame = false;
      },
      Qt::DirectConnection);
  std::vector<double> to_row, to_frame;
  int missing_frames = 0;
  for (int i = 0; i < kArrivals; ++i) {
    const int rows = conversation->count();
    const int seen = arrivals.count();
    want_row = true;
    want_frame = false;
    frame_at = {};
    (void)Take(employee->Send(w.open_case,
                              absl::StrCat("Message ", i, ": ", kTexts[1])),
               "send");
    SendAll(*employee);
    if (!Spin([&] { return conversation->count() > rows; }, 10000)) {
      Check(absl::DeadlineExceededError("message not shown"), "arrival");
    }
    Spin([&] { return !want_frame; }, 1000);
    if (arrivals.count() != seen + 1) {
      Check(absl::InternalError("one arrival expected"), "arrival");
    }
    to_row.push_back(Ms(row_at - arrivals.at()));
    if (frame_at == SteadyClock::time_point{}) {
      ++missing_frames;
    } else {
      to_frame.push_back(Ms(frame_at - arrivals.at()));
    }
    SpinFor(200);  // messages come seconds apart; let the inbox refresh
  }
  session.app()->RemoveObserver(&arrivals);
  std::printf(
      "arrival to row (%d messages): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      kArrivals, Percentile(to_row, 0.5), Percentile(to_row, 0.99),
      Percentile(to_row, 1.0));
  std::printf(
      "arrival to frame: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d without "
      "a frame within 1 s)\n",
      Percentile(to_frame, 0.5), Percentile(to_frame, 0.99),
      Percentile(to_frame, 1.0), missing_frames);
  std::printf("unlock median of %d: %.1f ms\n", kUnlocks, Median(totals));
  return 0;
}

}  // namespace
}  // namespace confidant::desktop::testing

int main(int argc, char** argv) {
  confidant::desktop::testing::UseOffscreenPlatform();
  QGuiApplication app(argc, argv);
  QGuiApplication::setOrganizationName(QStringLiteral("confidant-bench"));
  return confidant::desktop::testing::Run(argc > 1 ? argv[1] : nullptr);
}
