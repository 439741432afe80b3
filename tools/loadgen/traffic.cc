// The closed- and open-loop scenarios: employees send to trust persons whose
// Receive streams are open and acknowledge what arrives.
#include <cmath>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/loadgen/scenarios.h"

namespace confidant::loadgen {
namespace {

constexpr int kSetupConnections = 4;
constexpr absl::Duration kDeliveryTimeout = absl::Seconds(60);

struct Conversation {
  std::vector<Account> employees;      // senders
  std::vector<Account> trust_persons;  // receivers
  std::vector<std::unique_ptr<Endpoint>> sender_eps;
  std::vector<std::unique_ptr<Endpoint>> receiver_eps;
  uint64_t backlog = 0;  // envelopes queued for nobody before the run
  Tracker tracker;
  StreamSet streams;  // last: ends before the tracker goes
};

absl::Status SetUp(Environment& env, const TrafficOptions& o,
                   absl::Duration stream_lifetime, Conversation* c) {
  const std::string& target = env.relay().target();
  const SetupOptions setup = env.setup_options();
  const absl::Time deadline = absl::Now() + absl::Seconds(120) +
                              absl::Milliseconds(10) * o.senders +
                              absl::Seconds(1) * o.receivers;
  std::vector<std::unique_ptr<Endpoint>> setup_eps;
  for (int i = 0; i < kSetupConnections; ++i)
    setup_eps.push_back(Connect(target));
  if (absl::Status st = WaitConnected(setup_eps, deadline); !st.ok()) return st;

  absl::StatusOr<std::vector<Account>> tps = RegisterTrustPersons(
      *setup_eps[0], env.admin(), env.org_name(), o.receivers, setup, deadline);
  if (!tps.ok()) return tps.status();
  c->trust_persons = *std::move(tps);
  absl::StatusOr<std::vector<Account>> employees = RegisterEmployees(
      setup_eps, env.access_code(), o.senders, setup, deadline);
  if (!employees.ok()) return employees.status();
  c->employees = *std::move(employees);
  if (absl::Status st =
          CheckDirectory(*setup_eps[0], c->employees[0],
                         c->trust_persons.size(), setup.rpc_timeout);
      !st.ok()) {
    return st;
  }

  const int connections = o.connections > 0 ? o.connections : o.senders;
  for (int i = 0; i < connections; ++i)
    c->sender_eps.push_back(Connect(target));
  for (int i = 0; i < o.receivers; ++i)
    c->receiver_eps.push_back(Connect(target));
  if (absl::Status st = WaitConnected(c->sender_eps, deadline); !st.ok())
    return st;
  if (absl::Status st = WaitConnected(c->receiver_eps, deadline); !st.ok()) {
    return st;
  }
  for (int i = 0; i < o.receivers; ++i) {
    c->streams
        .Add(std::make_unique<ReceiveStream>(
            *c->receiver_eps[i], c->trust_persons[i], &c->tracker,
            ReceiveStream::Mode::kLive, stream_lifetime, setup.rpc_timeout))
        .Start();
  }
  for (auto& s : c->streams.streams()) {
    if (!s->WaitQueueEmpty(deadline)) {
      return absl::DeadlineExceededError(absl::StrCat(
          "a Receive stream did not report its empty queue in time (status: ",
          s->status().error_message(), ")"));
    }
  }
  if (o.backlog > 0) {
    const absl::Time backlog_deadline =
        absl::Now() + absl::Seconds(120) +
        absl::Milliseconds(10) * o.backlog_mailboxes;
    absl::StatusOr<std::vector<Account>> backlog =
        RegisterEmployees(setup_eps, env.access_code(), o.backlog_mailboxes,
                          setup, backlog_deadline);
    if (!backlog.ok()) return backlog.status();
    Histogram ignored_latency;
    std::atomic<uint64_t> ignored_bytes{0};
    if (absl::Status st =
            SendMany(env, setup_eps, c->trust_persons, *backlog, o.backlog, 64,
                     &ignored_latency, &ignored_bytes);
        !st.ok()) {
      return st;
    }
    c->backlog = o.backlog;
  }
  return absl::OkStatus();
}

// Starts one Send of a stamped envelope from employee `sender`; `done` gets
// the status and the completion time.
void SendOne(Environment& env, Conversation& c, uint64_t index, int sender,
             int64_t stamp_nanos,
             std::function<void(const grpc::Status&, int64_t)> done) {
  struct Call {
    grpc::ClientContext context;
    v1::SendRequest request;
    v1::SendResponse response;
    std::function<void(const grpc::Status&, int64_t)> done;
  };
  auto* call = new Call;  // deleted by its completion callback
  call->done = std::move(done);
  const Account& from = c.employees[sender % c.employees.size()];
  const Account& to = c.trust_persons[sender % c.trust_persons.size()];
  Endpoint& ep = *c.sender_eps[sender % c.sender_eps.size()];
  PrepareCall(&call->context, &from, env.options().rpc_timeout);
  uint64_t random = env.options().seed ^ (index * 0x9e3779b97f4a7c15ULL);
  const size_t size = env.sizes().Pick(SplitMix64(&random));
  call->request.set_recipient_account_id(to.id);
  call->request.set_recipient_device_id(1);
  call->request.set_content(env.payloads().Make(
      size, Stamp{stamp_nanos, static_cast<uint32_t>(sender), index},
      SplitMix64(&random)));
  ep.mailbox->async()->Send(&call->context, &call->request, &call->response,
                            [call](grpc::Status status) {
                              call->done(status, MonotonicNanos());
                              delete call;
                            });
}

struct Delivery {
  uint64_t sent_ok = 0;
  uint64_t unique = 0;
  uint64_t acked = 0;
  uint64_t duplicates = 0;
};

void AddDelivery(const Delivery& d, Report& report) {
  report.Add("delivered", "delivered / sent",
             absl::StrCat(d.unique, " / ", d.sent_ok), false);
  report.Add("acked", "acknowledged (deleted)", absl::StrCat(d.acked), false);
  report.Add("duplicates", "duplicates", absl::StrCat(d.duplicates), false);
}

// Waits until every successfully sent envelope has arrived, then ends the
// streams; adds problems to the report.
Delivery FinishDelivery(Environment& env, Conversation& c, uint64_t sent_ok,
                        uint64_t send_errors, Report& report) {
  const absl::Time deadline = absl::Now() + kDeliveryTimeout;
  while (c.tracker.unique() < sent_ok && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  for (auto& s : c.streams.streams()) s->Cancel();
  uint64_t acked = 0;
  for (auto& s : c.streams.streams()) {
    if (!s->WaitDone(absl::Now() + env.options().rpc_timeout)) {
      Abandon("a Receive stream did not end after cancellation");
    }
    if (!s->status().ok()) {
      report.Fail(absl::StrCat("a Receive stream ended with an error: ",
                               s->status().error_message()));
    }
    if (s->ack_errors().total() > 0) {
      report.Fail(
          absl::StrCat("Ack calls failed: ", s->ack_errors().Describe()));
    }
    acked += s->acked();
  }
  const uint64_t unique = c.tracker.unique();
  if (unique < sent_ok) {
    report.Fail(absl::StrCat(sent_ok - unique, " of ", sent_ok,
                             " acknowledged sends never arrived within ",
                             absl::FormatDuration(kDeliveryTimeout)));
  }
  if (unique > sent_ok + send_errors) {
    report.Fail(absl::StrCat("received ", unique,
                             " distinct envelopes but started only ",
                             sent_ok + send_errors));
  }
  if (c.tracker.foreign() > 0) {
    report.Fail(absl::StrCat(c.tracker.foreign(),
                             " envelopes arrived that this run did not send"));
  }
  if (acked != unique) {
    report.Fail(absl::StrCat("acknowledged ", acked, " envelopes but received ",
                             unique));
  }
  absl::StatusOr<v1::GetStatsResponse> stats = env.admin().Stats();
  if (!stats.ok()) {
    report.Fail(
        absl::StrCat("confidant-admin stats: ", stats.status().message()));
  } else if (stats->queued_envelopes() != c.backlog && env.relay().launched()) {
    report.Fail(absl::StrCat(
        "the relay holds ", stats->queued_envelopes(),
        " queued envelopes after everything was acked (backlog: ", c.backlog,
        ")"));
  }
  return Delivery{sent_ok, unique, acked, c.tracker.duplicates()};
}

std::string LatencyTriple(const Histogram& h) {
  if (h.count() == 0) return "no samples";
  return absl::StrCat(Millis(h.Percentile(0.5)), " / ",
                      Millis(h.Percentile(0.99)), " / ",
                      Millis(h.Percentile(0.999)));
}

void AddLatency(Report& report, const std::string& key,
                const std::string& label, const Histogram& h) {
  report.Add(key, label + " p50/p99/p99.9", LatencyTriple(h));
  report.AddHidden(key + "_p50_ns", absl::StrCat(h.Percentile(0.5)));
  report.AddHidden(key + "_p99_ns", absl::StrCat(h.Percentile(0.99)));
  report.AddHidden(key + "_p999_ns", absl::StrCat(h.Percentile(0.999)));
  report.AddHidden(key + "_max_ns", absl::StrCat(h.max()));
  report.AddHidden(key + "_count", absl::StrCat(h.count()));
}

void SleepUntilNanos(int64_t target) {
  const int64_t now = MonotonicNanos();
  if (target > now) absl::SleepFor(absl::Nanoseconds(target - now));
}

std::string Rate(double per_second) {
  return absl::StrFormat("%.0f", per_second);
}

}  // namespace

absl::StatusOr<Report> RunClosed(Environment& env, const TrafficOptions& o) {
  const absl::Duration run = o.warmup + o.duration;
  Conversation c;
  if (absl::Status st = SetUp(env, o, run * 3 + absl::Seconds(120), &c);
      !st.ok()) {
    return st;
  }
  Report report("closed loop: durable Send vs health check",
                env.options().command_line);
  const double seconds = absl::ToDoubleSeconds(o.duration);

  // Sends, each slot sending again as soon as its previous Send returned.
  const int64_t window_start =
      MonotonicNanos() + absl::ToInt64Nanoseconds(o.warmup);
  const int64_t window_end =
      window_start + absl::ToInt64Nanoseconds(o.duration);
  c.tracker.SetWindow(window_start, window_end);
  Histogram send_latency;
  std::atomic<uint64_t> window_sends{0};
  CallLoop sends(
      o.senders, 0, [&](uint64_t index, int slot, CallLoop::Done done) {
        const int64_t start = MonotonicNanos();
        SendOne(
            env, c, index, slot, start,
            [&, start, done](const grpc::Status& status, int64_t end) {
              if (status.ok() && end >= window_start && end < window_end) {
                window_sends.fetch_add(1);
              }
              if (status.ok() && start >= window_start && start < window_end) {
                send_latency.Record(end - start);
              }
              done(status);
            });
      });
  sends.Start();
  SleepUntilNanos(window_start);
  const std::optional<ProcessSample> relay_from = env.relay().Sample();
  const ProcessSample self_from = SampleSelf();
  SleepUntilNanos(window_end);
  const std::optional<ProcessSample> relay_to = env.relay().Sample();
  const ProcessSample self_to = SampleSelf();
  sends.Stop();
  if (!sends.Wait(absl::Now() + env.options().rpc_timeout + absl::Seconds(5))) {
    Abandon("Send calls did not finish in time");
  }
  if (absl::Status alive = env.relay().CheckAlive(); !alive.ok()) return alive;
  const Delivery delivery =
      FinishDelivery(env, c, sends.ok(), sends.failed(), report);

  // The baseline: the trivial health check at the same concurrency over the
  // same connections.
  double health_per_second = 0;
  std::optional<ProcessSample> health_relay_from, health_relay_to;
  ProcessSample health_self_from, health_self_to;
  uint64_t health_errors = 0;
  std::string health_error_text;
  if (o.baseline) {
    const int64_t hstart =
        MonotonicNanos() + absl::ToInt64Nanoseconds(o.warmup);
    const int64_t hend = hstart + absl::ToInt64Nanoseconds(o.duration);
    std::atomic<uint64_t> window_checks{0};
    CallLoop checks(o.senders, 0, [&](uint64_t, int slot, CallLoop::Done done) {
      struct Call {
        grpc::ClientContext context;
        grpc::health::v1::HealthCheckRequest request;
        grpc::health::v1::HealthCheckResponse response;
      };
      auto* call = new Call;  // deleted by its completion callback
      PrepareCall(&call->context, nullptr, env.options().rpc_timeout);
      Endpoint& ep = *c.sender_eps[slot % c.sender_eps.size()];
      ep.health->async()->Check(
          &call->context, &call->request, &call->response,
          [&, call, done](grpc::Status status) {
            const int64_t end = MonotonicNanos();
            if (status.ok() && end >= hstart && end < hend) {
              window_checks.fetch_add(1);
            }
            delete call;
            done(status);
          });
    });
    checks.Start();
    SleepUntilNanos(hstart);
    health_relay_from = env.relay().Sample();
    health_self_from = SampleSelf();
    SleepUntilNanos(hend);
    health_relay_to = env.relay().Sample();
    health_self_to = SampleSelf();
    checks.Stop();
    if (!checks.Wait(absl::Now() + env.options().rpc_timeout +
                     absl::Seconds(5))) {
      Abandon("health checks did not finish in time");
    }
    health_per_second = static_cast<double>(window_checks.load()) / seconds;
    health_errors = checks.failed();
    health_error_text = checks.errors().Describe();
  }

  const double sends_per_second =
      static_cast<double>(window_sends.load()) / seconds;
  env.AddMachineFigures(report);
  report.Add("concurrency", "concurrency (senders)", absl::StrCat(o.senders));
  report.Add("receivers", "receivers", absl::StrCat(o.receivers));
  report.Add("backlog", "backlog", absl::StrCat(o.backlog));
  report.Add("connections", "sender connections",
             absl::StrCat(c.sender_eps.size()), false);
  report.Add("sizes", "sizes", env.sizes().Describe());
  report.Add("duration_s", "window", absl::FormatDuration(o.duration));
  report.Add("send_per_s", "Send/s (durable)", Rate(sends_per_second));
  report.Add("send_mib_per_s", "Send MiB/s",
             absl::StrFormat("%.1f", sends_per_second *
                                         env.sizes().MeanBytes() / (1 << 20)),
             false);
  AddLatency(report, "send_latency", "Send latency", send_latency);
  AddLatency(report, "e2e_latency", "end-to-end", c.tracker.e2e());
  env.AddProcessFigures(report, "", "", relay_from, relay_to, self_from,
                        self_to, true);
  if (relay_from.has_value() && relay_to.has_value() &&
      window_sends.load() > 0) {
    report.Add(
        "relay_cpu_us_per_send", "relay CPU per Send",
        absl::StrFormat(
            "%.0f us", 1e6 * (relay_to->cpu_seconds - relay_from->cpu_seconds) /
                           static_cast<double>(window_sends.load())),
        false);
  }
  report.Add("send_errors", "Send errors", sends.errors().Describe(), false);
  AddDelivery(delivery, report);
  if (o.baseline) {
    const double ratio =
        health_per_second > 0 ? sends_per_second / health_per_second : 0;
    report.Add("health_per_s", "health checks/s", Rate(health_per_second));
    report.Add("ratio", "Send/health", absl::StrFormat("%.2f", ratio));
    env.AddProcessFigures(report, "health_", "health: ", health_relay_from,
                          health_relay_to, health_self_from, health_self_to,
                          false);
    report.Target(
        "durable Send throughput >= 50% of the health check at equal "
        "concurrency",
        ratio >= 0.5,
        absl::StrFormat("%.0f Send/s vs %.0f checks/s = %.2f", sends_per_second,
                        health_per_second, ratio));
    if (health_errors > 0) {
      report.Fail(absl::StrCat("health checks failed: ", health_error_text));
    }
  }
  if (sends.failed() > 0) {
    report.Fail(absl::StrCat("Send calls failed: ", sends.errors().Describe()));
  }
  if (sends.aborted()) report.Fail("stopped after too many failed Sends");
  return report;
}

absl::StatusOr<Report> RunOpen(Environment& env, const TrafficOptions& o) {
  if (o.rate <= 0) return absl::InvalidArgumentError("--rate must be positive");
  const absl::Duration run = o.warmup + o.duration;
  Conversation c;
  if (absl::Status st = SetUp(env, o, run * 3 + absl::Seconds(120), &c);
      !st.ok()) {
    return st;
  }
  Report report(absl::StrFormat("open loop: %s arrivals at a fixed rate",
                                o.poisson ? "Poisson" : "uniform"),
                env.options().command_line);
  const double seconds = absl::ToDoubleSeconds(o.duration);
  const int64_t start = MonotonicNanos() + 10'000'000;
  const int64_t window_start = start + absl::ToInt64Nanoseconds(o.warmup);
  const int64_t window_end =
      window_start + absl::ToInt64Nanoseconds(o.duration);
  c.tracker.SetWindow(window_start, window_end);

  Histogram send_latency, lag;
  std::atomic<uint64_t> window_sends{0}, sent_ok{0}, offered_in_window{0},
      skipped{0};
  ErrorCounter errors;
  absl::Mutex mu;
  int64_t in_flight = 0;  // guarded by mu

  std::optional<ProcessSample> relay_from, relay_to;
  ProcessSample self_from, self_to;
  bool sampled_start = false;
  uint64_t state = env.options().seed;
  double next = static_cast<double>(start);
  const double mean_gap = 1e9 / o.rate;
  for (uint64_t index = 0;; ++index) {
    const int64_t due = static_cast<int64_t>(next);
    if (due >= window_end) break;
    if (!sampled_start && due >= window_start) {
      SleepUntilNanos(window_start);
      relay_from = env.relay().Sample();
      self_from = SampleSelf();
      sampled_start = true;
    }
    SleepUntilNanos(due);
    const bool in_window = due >= window_start;
    if (in_window) {
      lag.Record(MonotonicNanos() - due);
      offered_in_window.fetch_add(1);
    }
    next +=
        o.poisson
            ? -std::log((static_cast<double>(SplitMix64(&state) >> 11) + 1) /
                        9007199254740992.0) *
                  mean_gap
            : mean_gap;
    {
      absl::MutexLock lock(&mu);
      if (in_flight >= o.max_in_flight) {
        skipped.fetch_add(1);
        continue;
      }
      ++in_flight;
    }
    const int sender = static_cast<int>(index % c.employees.size());
    SendOne(env, c, index, sender, due,
            [&, due](const grpc::Status& status, int64_t end) {
              if (status.ok()) {
                sent_ok.fetch_add(1);
                if (end >= window_start && end < window_end)
                  window_sends.fetch_add(1);
                if (due >= window_start) send_latency.Record(end - due);
              } else {
                errors.Add(status);
              }
              absl::MutexLock lock(&mu);
              --in_flight;
            });
  }
  SleepUntilNanos(window_end);
  relay_to = env.relay().Sample();
  self_to = SampleSelf();
  {
    absl::MutexLock lock(&mu);
    auto none = [&in_flight]() { return in_flight == 0; };
    if (!mu.AwaitWithDeadline(
            absl::Condition(&none),
            absl::Now() + env.options().rpc_timeout + absl::Seconds(5))) {
      Abandon("Send calls did not finish in time");
    }
  }
  if (absl::Status alive = env.relay().CheckAlive(); !alive.ok()) return alive;
  const Delivery delivery =
      FinishDelivery(env, c, sent_ok.load(), errors.total(), report);

  const double achieved = static_cast<double>(window_sends.load()) / seconds;
  env.AddMachineFigures(report);
  report.Add("senders", "senders", absl::StrCat(o.senders));
  report.Add("receivers", "receivers", absl::StrCat(o.receivers));
  report.Add("backlog", "backlog", absl::StrCat(o.backlog));
  report.Add("sizes", "sizes", env.sizes().Describe());
  report.Add("duration_s", "window", absl::FormatDuration(o.duration));
  report.Add("offered_per_s", "offered/s", Rate(o.rate));
  report.Add("send_per_s", "Send/s achieved", Rate(achieved));
  AddLatency(report, "send_latency", "Send latency", send_latency);
  AddLatency(report, "e2e_latency", "end-to-end", c.tracker.e2e());
  env.AddProcessFigures(report, "", "", relay_from, relay_to, self_from,
                        self_to, true);
  report.Add("generator_lag_p99", "generator lag p99 (late starts)",
             Millis(lag.Percentile(0.99)), false);
  report.Add("send_errors", "Send errors", errors.Describe(), false);
  AddDelivery(delivery, report);
  const int64_t e2e_p99 = c.tracker.e2e().Percentile(0.99);
  report.Target(
      "p99 end-to-end latency under 10 ms (at half of maximum load: "
      "give --rate accordingly)",
      c.tracker.e2e().count() > 0 && e2e_p99 < 10'000'000,
      absl::StrCat("p99 ", Millis(e2e_p99), " at ", Rate(o.rate),
                   "/s offered"));
  if (skipped.load() > 0) {
    report.Fail(absl::StrCat(skipped.load(),
                             " sends were skipped: more than --max-in-flight "
                             "were outstanding (the relay cannot keep up with "
                             "this rate)"));
  }
  if (lag.Percentile(0.99) > 5'000'000) {
    report.Note(
        "the generator started 1% of sends more than 5 ms late: the "
        "machine is saturated, latencies include that delay");
  }
  if (errors.total() > 0) {
    report.Fail(absl::StrCat("Send calls failed: ", errors.Describe()));
  }
  return report;
}

}  // namespace confidant::loadgen
