// The idle scenario: many connected Receive streams that carry nothing, and
// what holding them costs the relay.
#include <algorithm>
#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/loadgen/scenarios.h"

namespace confidant::loadgen {

absl::StatusOr<Report> RunIdle(Environment& env, const IdleOptions& o) {
  const std::string& target = env.relay().target();
  const SetupOptions setup = env.setup_options();
  absl::Time deadline =
      absl::Now() + absl::Seconds(120) + absl::Milliseconds(10) * o.receivers;
  std::vector<std::unique_ptr<Endpoint>> setup_eps;
  for (int i = 0; i < 4; ++i) setup_eps.push_back(Connect(target));
  if (absl::Status st = WaitConnected(setup_eps, deadline); !st.ok()) return st;
  absl::StatusOr<std::vector<Account>> prober = RegisterTrustPersons(
      *setup_eps[0], env.admin(), env.org_name(), 1, setup, deadline);
  if (!prober.ok()) return prober.status();
  absl::StatusOr<std::vector<Account>> receivers = RegisterEmployees(
      setup_eps, env.access_code(), o.receivers, setup, deadline);
  if (!receivers.ok()) return receivers.status();

  // The relay before any stream, after registering everyone.
  absl::SleepFor(absl::Seconds(1));
  const std::optional<ProcessSample> relay_before = env.relay().Sample();

  const int spc = std::max(1, o.streams_per_connection);
  const int connections = (o.receivers + spc - 1) / spc;
  std::vector<std::unique_ptr<Endpoint>> eps;

  // Open the streams in batches; a stream counts once the relay has sent its
  // empty-queue marker.
  Tracker tracker;
  StreamSet streams;
  const absl::Duration lifetime =
      o.hold + absl::Seconds(600) + absl::Milliseconds(10) * o.receivers;
  const absl::Time open_start = absl::Now();
  deadline =
      open_start + absl::Seconds(120) + absl::Milliseconds(20) * o.receivers;
  absl::Time last_print = open_start;
  for (int first = 0; first < o.receivers; first += o.open_batch) {
    const int last = std::min(o.receivers, first + o.open_batch);
    // Connect first, so that a slow accept shows as such.
    std::vector<std::unique_ptr<Endpoint>> fresh;
    while (static_cast<int>(eps.size() + fresh.size()) * spc < last) {
      fresh.push_back(Connect(target));
    }
    if (absl::Status st = WaitConnected(fresh, deadline); !st.ok()) {
      return absl::UnavailableError(
          absl::StrCat("after ", eps.size(), " connections: ", st.message()));
    }
    for (auto& ep : fresh) eps.push_back(std::move(ep));
    for (int i = first; i < last; ++i) {
      streams
          .Add(std::make_unique<ReceiveStream>(
              *eps[i / spc], (*receivers)[i], &tracker,
              ReceiveStream::Mode::kLive, lifetime, setup.rpc_timeout))
          .Start();
    }
    if (absl::Now() - last_print >= absl::Seconds(10)) {
      last_print = absl::Now();
      std::fprintf(stderr, "confidant-loadgen: opening streams: %d of %d\n",
                   first, o.receivers);
    }
    for (int i = first; i < last; ++i) {
      ReceiveStream& s = *streams.streams()[i];
      if (!s.WaitQueueEmpty(deadline)) {
        return absl::UnavailableError(absl::StrCat(
            "only ", i, " of ", o.receivers,
            " Receive streams were established; the next one ended with: ",
            s.done() ? s.status().error_message() : "no answer in time"));
      }
    }
  }
  const absl::Duration open_time = absl::Now() - open_start;

  // Hold them, watching the relay's memory.
  const std::optional<ProcessSample> relay_hold_from = env.relay().Sample();
  const ProcessSample self_hold_from = SampleSelf();
  int64_t max_rss = relay_hold_from ? relay_hold_from->rss_bytes : 0;
  const absl::Time hold_end = absl::Now() + o.hold;
  while (absl::Now() < hold_end) {
    absl::SleepFor(std::min(absl::Seconds(1), hold_end - absl::Now()));
    if (auto s = env.relay().Sample())
      max_rss = std::max(max_rss, s->rss_bytes);
    if (absl::Status alive = env.relay().CheckAlive(); !alive.ok())
      return alive;
  }
  const std::optional<ProcessSample> relay_hold_to = env.relay().Sample();
  const ProcessSample self_hold_to = SampleSelf();
  int dropped = 0;
  for (auto& s : streams.streams()) dropped += s->done() ? 1 : 0;

  // Probes: envelopes to random held receivers, one at a time, to see that
  // the streams still deliver and how fast.
  Report report("idle: connected Receive streams", env.options().command_line);
  std::mt19937_64 rng(env.options().seed);
  std::vector<int> order(o.receivers);
  for (int i = 0; i < o.receivers; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  const int probes = std::min(o.probes, o.receivers);
  ErrorCounter probe_errors;
  for (int p = 0; p < probes; ++p) {
    grpc::ClientContext context;
    PrepareCall(&context, &(*prober)[0], setup.rpc_timeout);
    v1::SendRequest request;
    request.set_recipient_account_id((*receivers)[order[p]].id);
    request.set_recipient_device_id(1);
    request.set_content(env.payloads().Make(
        env.sizes().Pick(rng()),
        Stamp{MonotonicNanos(), 0, static_cast<uint64_t>(p)}, rng()));
    v1::SendResponse response;
    grpc::Status st = setup_eps[0]->mailbox->Send(&context, request, &response);
    if (!st.ok()) probe_errors.Add(st);
    const absl::Time wait_until = absl::Now() + absl::Seconds(10);
    while (st.ok() && !tracker.Seen(p) && absl::Now() < wait_until) {
      absl::SleepFor(absl::Microseconds(100));
    }
  }
  const uint64_t probes_arrived = tracker.unique();
  const std::optional<ProcessSample> relay_probed = env.relay().Sample();

  const absl::Time close_start = absl::Now();
  if (!streams.CancelAll(absl::Now() + absl::Seconds(120))) {
    Abandon("Receive streams did not end after cancellation");
  }
  const absl::Duration close_time = absl::Now() - close_start;
  int failed_streams = 0;
  std::string failure;
  for (auto& s : streams.streams()) {
    if (!s->status().ok()) {
      ++failed_streams;
      failure = s->status().error_message();
    }
  }
  absl::SleepFor(absl::Seconds(2));
  const std::optional<ProcessSample> relay_closed = env.relay().Sample();

  env.AddMachineFigures(report);
  report.Add("receivers", "idle receivers", absl::StrCat(o.receivers));
  report.Add("streams_per_connection", "streams per connection",
             absl::StrCat(spc));
  report.Add("connections", "connections", absl::StrCat(connections));
  report.Add("open_seconds", "time to open all",
             absl::StrFormat("%.1f s", absl::ToDoubleSeconds(open_time)));
  const auto rss = [](const std::optional<ProcessSample>& s) {
    return s ? FormatBytes(static_cast<double>(s->rss_bytes)) : "n/a";
  };
  report.Add("relay_rss_before", "relay RSS before streams", rss(relay_before));
  report.Add("relay_rss_held", "relay RSS held (max)",
             relay_before ? FormatBytes(static_cast<double>(max_rss)) : "n/a");
  report.AddHidden("relay_rss_held_raw", absl::StrCat(max_rss));
  report.Add("relay_hwm", "relay peak RSS",
             relay_probed
                 ? FormatBytes(static_cast<double>(relay_probed->hwm_bytes))
                 : "n/a");
  if (relay_before) {
    const double per_stream =
        static_cast<double>(max_rss - relay_before->rss_bytes) / o.receivers;
    report.Add("relay_bytes_per_stream", "relay RSS per stream",
               FormatBytes(per_stream));
    const double projected =
        static_cast<double>(relay_before->rss_bytes) + per_stream * 10000;
    if (o.receivers >= 10000) {
      report.Target(
          "10,000 idle connected receivers with relay RSS under 500 MB",
          max_rss < 500LL * 1000 * 1000,
          absl::StrCat("max RSS ", FormatBytes(static_cast<double>(max_rss)),
                       " with ", o.receivers, " streams"));
    } else {
      report.Note(absl::StrCat(
          "the 10,000-receiver target needs --receivers 10000; at this "
          "scale's cost per stream, 10,000 would take about ",
          FormatBytes(projected)));
    }
  }
  if (relay_hold_from && relay_hold_to) {
    report.Add("hold_relay_cpu_pct", "relay CPU while held",
               absl::StrFormat("%.1f%%",
                               CpuPercent(*relay_hold_from, *relay_hold_to)));
  }
  report.Add("loadgen_rss", "loadgen RSS held",
             FormatBytes(static_cast<double>(self_hold_to.rss_bytes)), false);
  report.Add(
      "loadgen_hold_cpu_pct", "loadgen CPU while held",
      absl::StrFormat("%.1f%%", CpuPercent(self_hold_from, self_hold_to)),
      false);
  report.Add("probe_e2e", "probe end-to-end p50/p99/max",
             tracker.e2e().count() == 0
                 ? "no samples"
                 : absl::StrCat(Millis(tracker.e2e().Percentile(0.5)), " / ",
                                Millis(tracker.e2e().Percentile(0.99)), " / ",
                                Millis(tracker.e2e().max())));
  report.Add("relay_rss_closed", "relay RSS 2 s after closing",
             rss(relay_closed), false);
  report.Add("close_seconds", "time to close all",
             absl::StrFormat("%.1f s", absl::ToDoubleSeconds(close_time)),
             false);
  if (dropped > 0) {
    report.Fail(absl::StrCat(dropped, " streams ended while they were held"));
  }
  if (failed_streams > 0) {
    report.Fail(absl::StrCat(failed_streams,
                             " streams ended with an error, e.g.: ", failure));
  }
  if (probe_errors.total() > 0) {
    report.Fail(absl::StrCat("probe sends failed: ", probe_errors.Describe()));
  }
  if (probes_arrived != static_cast<uint64_t>(probes) - probe_errors.total()) {
    report.Fail(absl::StrCat("only ", probes_arrived, " of ", probes,
                             " probe envelopes arrived within 10 s each"));
  }
  return report;
}

}  // namespace confidant::loadgen
