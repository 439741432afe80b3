// The queue scenario: envelopes pile up with no receiver connected; then the
// cost of Receive's first envelope, disk per envelope, and whether the space
// comes back once everything is delivered and acknowledged.
#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/loadgen/scenarios.h"

namespace confidant::loadgen {
namespace {

constexpr absl::Duration kStall = absl::Seconds(90);

// Polls the data directory until its allocated size changes by less than 1%
// over three polls two seconds apart, or `timeout`.
absl::StatusOr<DiskUsage> Settle(const std::string& dir, absl::Duration timeout,
                                 absl::Duration* out_waited) {
  const absl::Time start = absl::Now();
  absl::StatusOr<DiskUsage> last = MeasureDisk(dir);
  if (!last.ok()) return last;
  int stable = 0;
  while (stable < 3 && absl::Now() - start < timeout) {
    absl::SleepFor(absl::Seconds(2));
    absl::StatusOr<DiskUsage> now = MeasureDisk(dir);
    if (!now.ok()) return now;
    const double a = static_cast<double>(last->allocated_bytes);
    const double b = static_cast<double>(now->allocated_bytes);
    stable = std::abs(a - b) <= 0.01 * std::max(a, 1.0) ? stable + 1 : 0;
    last = now;
  }
  *out_waited = absl::Now() - start;
  return last;
}

std::string Disk(const DiskUsage& d) {
  return absl::StrCat(FormatBytes(static_cast<double>(d.allocated_bytes)),
                      " (sst ", FormatBytes(static_cast<double>(d.sst_bytes)),
                      ", wal ", FormatBytes(static_cast<double>(d.wal_bytes)),
                      ", other ",
                      FormatBytes(static_cast<double>(d.other_bytes)), ")");
}

}  // namespace

absl::Status SendMany(Environment& env,
                      const std::vector<std::unique_ptr<Endpoint>>& eps,
                      const std::vector<Account>& senders,
                      const std::vector<Account>& mailboxes, uint64_t count,
                      int concurrency, Histogram* send_latency,
                      std::atomic<uint64_t>* bytes_sent) {
  const SetupOptions setup = env.setup_options();
  CallLoop fill(
      concurrency, count, [&](uint64_t index, int slot, CallLoop::Done done) {
        struct Call {
          grpc::ClientContext context;
          v1::SendRequest request;
          v1::SendResponse response;
        };
        auto* call = new Call;  // deleted by its completion callback
        const Account& from = senders[index % senders.size()];
        const Account& to = mailboxes[index % mailboxes.size()];
        PrepareCall(&call->context, &from, setup.rpc_timeout);
        uint64_t random = env.options().seed ^ (index * 0x9e3779b97f4a7c15ULL);
        const size_t size = env.sizes().Pick(SplitMix64(&random));
        const int64_t start = MonotonicNanos();
        call->request.set_recipient_account_id(to.id);
        call->request.set_recipient_device_id(1);
        call->request.set_content(env.payloads().Make(
            size,
            Stamp{start, static_cast<uint32_t>(index % senders.size()), index},
            SplitMix64(&random)));
        eps[slot % eps.size()]->mailbox->async()->Send(
            &call->context, &call->request, &call->response,
            [&, call, start, size, done](grpc::Status status) {
              if (status.ok()) {
                send_latency->Record(MonotonicNanos() - start);
                bytes_sent->fetch_add(size);
              }
              delete call;
              done(status);
            });
      });
  fill.Start();
  absl::Status st = AwaitLoop(fill, env, "filling", count, kStall);
  if (!st.ok()) return st;
  if (fill.failed() > 0) {
    return absl::InternalError(absl::StrCat("Send calls failed while filling: ",
                                            fill.errors().Describe()));
  }
  return absl::OkStatus();
}

absl::StatusOr<Report> RunQueue(Environment& env, const QueueOptions& o) {
  if (env.relay().data_dir().empty()) {
    return absl::InvalidArgumentError(
        "the queue scenario measures the data directory: give "
        "--relay-data-dir");
  }
  const SetupOptions setup = env.setup_options();
  absl::Time deadline =
      absl::Now() + absl::Seconds(300) + absl::Milliseconds(10) * o.mailboxes;
  std::vector<std::unique_ptr<Endpoint>> eps;
  for (int i = 0; i < 8; ++i) eps.push_back(Connect(env.relay().target()));
  if (absl::Status st = WaitConnected(eps, deadline); !st.ok()) return st;
  absl::StatusOr<std::vector<Account>> senders = RegisterTrustPersons(
      *eps[0], env.admin(), env.org_name(), o.senders, setup, deadline);
  if (!senders.ok()) return senders.status();
  absl::StatusOr<std::vector<Account>> mailboxes =
      RegisterEmployees(eps, env.access_code(), o.mailboxes, setup, deadline);
  if (!mailboxes.ok()) return mailboxes.status();
  if (absl::Status st = CheckDirectory(*eps[0], (*mailboxes)[0], o.senders,
                                       setup.rpc_timeout);
      !st.ok()) {
    return st;
  }
  Report report("queue: fill, first envelope, disk, drain",
                env.options().command_line);
  const std::string& data_dir = env.relay().data_dir();
  absl::Duration waited;
  absl::StatusOr<DiskUsage> disk_before =
      Settle(data_dir, std::min(absl::Seconds(30), o.settle_timeout), &waited);
  if (!disk_before.ok()) return disk_before.status();

  // Fill: envelope i goes to mailbox i % K from trust person i % S.
  const std::optional<ProcessSample> relay_fill_from = env.relay().Sample();
  const ProcessSample self_fill_from = SampleSelf();
  Histogram send_latency;
  std::atomic<uint64_t> bytes_sent{0};
  const absl::Time fill_start = absl::Now();
  if (absl::Status st = SendMany(env, eps, *senders, *mailboxes, o.envelopes,
                                 o.concurrency, &send_latency, &bytes_sent);
      !st.ok()) {
    return st;
  }
  const absl::Duration fill_time = absl::Now() - fill_start;
  const std::optional<ProcessSample> relay_fill_to = env.relay().Sample();
  const ProcessSample self_fill_to = SampleSelf();

  absl::StatusOr<v1::GetStatsResponse> stats = env.admin().Stats();
  if (!stats.ok()) return stats.status();
  // An attached relay may hold other people's envelopes too.
  const bool exclusive = env.relay().launched();
  if (exclusive && stats->queued_envelopes() != o.envelopes) {
    report.Fail(absl::StrCat("the relay reports ", stats->queued_envelopes(),
                             " queued envelopes after ", o.envelopes,
                             " successful sends"));
  }
  absl::StatusOr<DiskUsage> disk_filled = MeasureDisk(data_dir);
  if (!disk_filled.ok()) return disk_filled.status();
  absl::Duration fill_settle_wait;
  absl::StatusOr<DiskUsage> disk_filled_settled =
      Settle(data_dir, o.settle_timeout, &fill_settle_wait);
  if (!disk_filled_settled.ok()) return disk_filled_settled.status();

  // Time to first envelope on fresh Receive streams of sampled mailboxes,
  // one at a time over an established connection. Each is preceded by a
  // health check on the same connection: its round trip, taken at the same
  // moments, tells what the machine's load adds to both.
  std::mt19937_64 rng(env.options().seed);
  std::vector<int> order(o.mailboxes);
  for (int i = 0; i < o.mailboxes; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  Histogram ttfe, health_rtt;
  const int samples = std::min(o.ttfe_samples, o.mailboxes);
  for (int i = 0; i < samples; ++i) {
    {
      grpc::ClientContext context;
      PrepareCall(&context, nullptr, setup.rpc_timeout);
      grpc::health::v1::HealthCheckResponse response;
      const int64_t start = MonotonicNanos();
      const grpc::Status st = eps[0]->health->Check(
          &context, grpc::health::v1::HealthCheckRequest(), &response);
      if (!st.ok()) {
        return absl::UnavailableError(
            absl::StrCat("health check failed: ", st.error_message()));
      }
      health_rtt.Record(MonotonicNanos() - start);
    }
    const Account& account = (*mailboxes)[order[i]];
    ReceiveStream stream(*eps[0], account, nullptr,
                         ReceiveStream::Mode::kFirstEnvelope, setup.rpc_timeout,
                         setup.rpc_timeout);
    stream.Start();
    if (!stream.WaitDone(absl::Now() + setup.rpc_timeout + absl::Seconds(10))) {
      Abandon("a Receive stream outlived its deadline");
    }
    if (stream.first_envelope_nanos() < 0) {
      return absl::InternalError(absl::StrCat(
          "a mailbox with queued envelopes sent none on Receive (status: ",
          stream.status().error_message(), ")"));
    }
    ttfe.Record(stream.first_envelope_nanos());
  }

  // Drain every mailbox: receive to the empty-queue marker, acknowledge all.
  Tracker tracker;
  std::atomic<uint64_t> acked{0};
  ErrorCounter ack_errors;
  const absl::Time drain_start = absl::Now();
  const std::optional<ProcessSample> relay_drain_from = env.relay().Sample();
  {
    CallLoop drain(
        o.drain_concurrency, o.mailboxes,
        [&](uint64_t index, int slot, CallLoop::Done done) {
          auto* stream =
              new ReceiveStream(*eps[slot % eps.size()], (*mailboxes)[index],
                                &tracker, ReceiveStream::Mode::kDrain,
                                setup.rpc_timeout * 4, setup.rpc_timeout);
          stream->set_on_done([&, stream, done](const grpc::Status& status) {
            acked.fetch_add(stream->acked());
            if (stream->ack_errors().total() > 0) {
              ack_errors.Add(grpc::Status(grpc::StatusCode::INTERNAL,
                                          stream->ack_errors().Describe()));
            }
            delete stream;
            done(status);
          });
          stream->Start();
        });
    drain.Start();
    absl::Status st = AwaitLoop(drain, env, "draining mailboxes",
                                static_cast<uint64_t>(o.mailboxes), kStall);
    if (!st.ok()) return st;
    if (drain.failed() > 0) {
      report.Fail(absl::StrCat("draining Receive streams failed: ",
                               drain.errors().Describe()));
    }
  }
  const absl::Duration drain_time = absl::Now() - drain_start;
  const std::optional<ProcessSample> relay_drain_to = env.relay().Sample();
  if (tracker.unique() != o.envelopes || tracker.foreign() > 0) {
    report.Fail(absl::StrCat("drained ", tracker.unique(),
                             " distinct envelopes (", tracker.foreign(),
                             " foreign) of ", o.envelopes));
  }
  if (acked.load() != o.envelopes) {
    report.Fail(
        absl::StrCat("acknowledged ", acked.load(), " of ", o.envelopes,
                     " envelopes; ack errors: ", ack_errors.Describe()));
  }
  stats = env.admin().Stats();
  if (!stats.ok()) return stats.status();
  if (exclusive && stats->queued_envelopes() != 0) {
    report.Fail(absl::StrCat("the relay still reports ",
                             stats->queued_envelopes(),
                             " queued envelopes after draining"));
  }

  // Space: right away, after the relay's own background work settles, and
  // after a restart (which flushes its memtables and WAL on the way down).
  absl::StatusOr<DiskUsage> disk_drained = MeasureDisk(data_dir);
  if (!disk_drained.ok()) return disk_drained.status();
  absl::Duration drain_settle_wait;
  absl::StatusOr<DiskUsage> disk_drained_settled =
      Settle(data_dir, o.settle_timeout, &drain_settle_wait);
  if (!disk_drained_settled.ok()) return disk_drained_settled.status();
  std::optional<DiskUsage> disk_restarted;
  absl::Duration restart_settle_wait;
  if (o.restart && env.relay().launched()) {
    eps.clear();  // the relay gets a new port
    if (absl::Status st = env.relay().Restart(absl::Now() + absl::Seconds(120));
        !st.ok()) {
      return st;
    }
    absl::StatusOr<DiskUsage> d =
        Settle(data_dir, o.settle_timeout, &restart_settle_wait);
    if (!d.ok()) return d.status();
    disk_restarted = *d;
    stats = env.admin().Stats();
    if (!stats.ok()) return stats.status();
    if (stats->queued_envelopes() != 0) {
      report.Fail(absl::StrCat("after a restart the relay reports ",
                               stats->queued_envelopes(), " queued envelopes"));
    }
  }

  const double mean_size =
      static_cast<double>(bytes_sent.load()) / static_cast<double>(o.envelopes);
  const DiskUsage& final_disk =
      disk_restarted.has_value() ? *disk_restarted : *disk_drained_settled;
  // Figures over allocated blocks (what du shows) and apparent sizes (what
  // the files hold: RocksDB preallocates its WAL and MANIFEST, which
  // dominates small fills).
  struct Space {
    double fill_delta, per_envelope, ratio, residual, returned;
  };
  const auto space = [&](uint64_t DiskUsage::*field) {
    Space sp;
    const double before = static_cast<double>((*disk_before).*field);
    sp.fill_delta = static_cast<double>((*disk_filled_settled).*field) - before;
    sp.per_envelope = sp.fill_delta / static_cast<double>(o.envelopes);
    sp.ratio = sp.per_envelope / mean_size;
    sp.residual = static_cast<double>(final_disk.*field) - before;
    sp.returned = sp.fill_delta > 0 ? 1.0 - sp.residual / sp.fill_delta : 0;
    return sp;
  };
  const Space allocated = space(&DiskUsage::allocated_bytes);
  const Space apparent = space(&DiskUsage::apparent_bytes);
  // Below this the preallocated files hide what the envelopes cost.
  constexpr double kJudgeAllocatedFrom = 64.0 * (1 << 20);
  const bool judge_allocated = allocated.fill_delta >= kJudgeAllocatedFrom;
  const Space& judged = judge_allocated ? allocated : apparent;

  env.AddMachineFigures(report);
  report.Add("envelopes", "queued envelopes", absl::StrCat(o.envelopes));
  report.Add("mailboxes", "mailboxes", absl::StrCat(o.mailboxes));
  report.Add("sizes", "sizes", env.sizes().Describe());
  report.Add("mean_size", "mean envelope", absl::StrFormat("%.0f B", mean_size),
             false);
  report.Add("fill_per_s", "fill Send/s",
             absl::StrFormat("%.0f", static_cast<double>(o.envelopes) /
                                         absl::ToDoubleSeconds(fill_time)));
  report.Add("fill_send_latency", "fill Send latency p50/p99",
             absl::StrCat(Millis(send_latency.Percentile(0.5)), " / ",
                          Millis(send_latency.Percentile(0.99))),
             false);
  env.AddProcessFigures(report, "fill_", "fill: ", relay_fill_from,
                        relay_fill_to, self_fill_from, self_fill_to, false);
  report.Add(
      "ttfe", "first envelope p50/p99/max",
      absl::StrCat(Millis(ttfe.Percentile(0.5)), " / ",
                   Millis(ttfe.Percentile(0.99)), " / ", Millis(ttfe.max())));
  report.AddHidden("ttfe_p50_ns", absl::StrCat(ttfe.Percentile(0.5)));
  report.AddHidden("ttfe_p99_ns", absl::StrCat(ttfe.Percentile(0.99)));
  report.AddHidden("ttfe_mean_ns", absl::StrFormat("%.0f", ttfe.mean()));
  const int64_t rtt_p50 = health_rtt.Percentile(0.5);
  report.Add("ttfe_health_rtt", "health check RTT p50 (same moments)",
             Millis(rtt_p50), false);
  report.AddHidden("health_rtt_p50_ns", absl::StrCat(rtt_p50));
  report.Add(
      "ttfe_over_rtt", "first envelope / health RTT (p50)",
      absl::StrFormat("%.2f", rtt_p50 > 0
                                  ? static_cast<double>(ttfe.Percentile(0.5)) /
                                        static_cast<double>(rtt_p50)
                                  : 0.0));
  report.Add("ttfe_samples", "first-envelope samples", absl::StrCat(samples),
             false);
  report.Add("disk_before", "disk before fill", Disk(*disk_before), false);
  report.Add("disk_filled", "disk right after fill", Disk(*disk_filled), false);
  report.Add("disk_filled_settled", "disk filled, settled",
             absl::StrCat(Disk(*disk_filled_settled), " after ",
                          absl::FormatDuration(absl::Trunc(fill_settle_wait,
                                                           absl::Seconds(1)))));
  report.Add("disk_per_envelope", "disk per envelope",
             absl::StrFormat("%.0f B = %.2fx (apparent %.0f B = %.2fx)",
                             allocated.per_envelope, allocated.ratio,
                             apparent.per_envelope, apparent.ratio));
  report.AddHidden("disk_ratio", absl::StrFormat("%.3f", allocated.ratio));
  report.AddHidden("disk_ratio_apparent",
                   absl::StrFormat("%.3f", apparent.ratio));
  report.Add("drain_per_s", "drain envelopes/s",
             absl::StrFormat("%.0f", static_cast<double>(o.envelopes) /
                                         absl::ToDoubleSeconds(drain_time)));
  if (relay_drain_from && relay_drain_to) {
    report.Add("drain_relay_cpu_pct", "drain: relay CPU",
               absl::StrFormat("%.0f%%",
                               CpuPercent(*relay_drain_from, *relay_drain_to)),
               false);
  }
  report.Add("disk_drained", "disk right after drain", Disk(*disk_drained),
             false);
  report.Add("disk_drained_settled", "disk drained, settled",
             absl::StrCat(Disk(*disk_drained_settled), " after ",
                          absl::FormatDuration(absl::Trunc(drain_settle_wait,
                                                           absl::Seconds(1)))));
  if (disk_restarted.has_value()) {
    report.Add("disk_restarted", "disk after restart, settled",
               Disk(*disk_restarted));
  }
  const auto returned_text = [](const Space& sp) {
    if (sp.fill_delta <= 0) return std::string("n/a");
    if (sp.residual < 0) {
      return absl::StrCat("all (", FormatBytes(-sp.residual),
                          " below the size before the fill)");
    }
    return absl::StrFormat("%.0f%%", 100 * sp.returned);
  };
  report.Add("space_returned", "space returned",
             absl::StrCat(returned_text(allocated), "; apparent ",
                          returned_text(apparent)));
  report.AddHidden("disk_before_raw",
                   absl::StrCat(disk_before->allocated_bytes));
  report.AddHidden("disk_filled_raw",
                   absl::StrCat(disk_filled_settled->allocated_bytes));
  report.AddHidden("disk_final_raw", absl::StrCat(final_disk.allocated_bytes));
  const char* basis = judge_allocated ? "allocated" : "apparent";
  report.Target("disk per queued envelope at most 1.3x its size",
                judged.ratio <= 1.3,
                absl::StrFormat("%s: %.0f B per %.0f B envelope = %.2fx", basis,
                                judged.per_envelope, mean_size, judged.ratio));
  report.Target(
      "space returned after everything is acked and compacted (>= 90% of "
      "what the fill added)",
      judged.returned >= 0.9,
      absl::StrFormat(
          "%s: %s added by the fill, %s of it still used at the end", basis,
          FormatBytes(judged.fill_delta),
          FormatBytes(std::max(0.0, judged.residual))));
  if (!judge_allocated) {
    report.Note(
        "the fill added less than 64 MiB of allocated space, so the "
        "targets are judged on apparent sizes (preallocated WAL and "
        "MANIFEST space hides small fills)");
  }
  report.Note(absl::StrCat(
      "the relay has no compaction command: the tool waits for RocksDB's "
      "background work to settle",
      disk_restarted.has_value()
          ? ", then restarts the relay (SIGTERM flushes memtables) and waits "
            "again"
          : "; the relay was not restarted",
      "; disk is allocated bytes (st_blocks) of the data directory"));
  report.Note(
      "compare first-envelope times across queue sizes with "
      "run_benchmarks.sh (target: 1M envelopes at most 1.5x 10k)");
  return report;
}

}  // namespace confidant::loadgen
