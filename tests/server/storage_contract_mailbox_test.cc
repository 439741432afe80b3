// The storage contract's mailboxes (server/storage/storage.h), against the
// in-memory storage and RocksDB alike (instantiated in
// storage_contract_test.cc): sequence numbers, reads by count and size,
// deletes, the cap, expiry, concurrent and asynchronous appends, flushing and
// disk usage.
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/storage_contract_fixture.h"

namespace confidant::server::storage_testing {
namespace {

using ::testing::IsEmpty;

TEST_P(StorageContractTest, AppendSeqsIncreasePerMailbox) {
  uint64_t last = 0;
  for (int i = 0; i < 5; ++i) {
    auto seq = mailboxes().Append(kBoxA, absl::StrCat("m", i), 10, kNoCap);
    ASSERT_OK(seq);
    EXPECT_GT(*seq, last);
    last = *seq;
  }
  auto other_device = mailboxes().Append(kBoxA2, "x", 10, kNoCap);
  auto other_account = mailboxes().Append(kBoxB, "y", 10, kNoCap);
  ASSERT_OK(other_device);
  ASSERT_OK(other_account);
  EXPECT_EQ(mailboxes().Read(kBoxA2, 0, 100, 1 << 20)->size(), 1u);
  EXPECT_EQ(mailboxes().Read(kBoxB, 0, 100, 1 << 20)->size(), 1u);
  auto all = mailboxes().Read(kBoxA, 0, 100, 1 << 20);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ((*all)[i].content, absl::StrCat("m", i));
    EXPECT_EQ((*all)[i].stored_hour, 10u);
  }
  EXPECT_CODE(mailboxes().Append(MailboxId{"short", 1}, "x", 1, kNoCap),
              kInvalidArgument);
}

TEST_P(StorageContractTest, ReadAfterSeqAndMaxCount) {
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 6; ++i) {
    seqs.push_back(*mailboxes().Append(kBoxA, "abc", 10, kNoCap));
  }
  EXPECT_EQ(Seqs(*mailboxes().Read(kBoxA, 0, 100, 1 << 20)), seqs);
  EXPECT_EQ(Seqs(*mailboxes().Read(kBoxA, seqs[2], 100, 1 << 20)),
            std::vector<uint64_t>(seqs.begin() + 3, seqs.end()));
  EXPECT_EQ(Seqs(*mailboxes().Read(kBoxA, seqs[0], 2, 1 << 20)),
            std::vector<uint64_t>(seqs.begin() + 1, seqs.begin() + 3));
  EXPECT_THAT(*mailboxes().Read(kBoxA, seqs[5], 100, 1 << 20), IsEmpty());
  EXPECT_THAT(*mailboxes().Read(kBoxB, 0, 100, 1 << 20), IsEmpty());
}

TEST_P(StorageContractTest, ReadMaxBytesReturnsAtLeastOne) {
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK(mailboxes().Append(kBoxA, std::string(10, 'x'), 10, kNoCap));
  }
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 25)->size(), 2u);
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 20)->size(), 2u);
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 5)->size(), 1u);
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 0)->size(), 1u);
}

TEST_P(StorageContractTest, DeleteCountsOnlyExisting) {
  const uint64_t s1 = *mailboxes().Append(kBoxA, "1", 10, kNoCap);
  const uint64_t s2 = *mailboxes().Append(kBoxA, "2", 10, kNoCap);
  const uint64_t s3 = *mailboxes().Append(kBoxA, "3", 10, kNoCap);
  ASSERT_OK(mailboxes().Append(kBoxB, "b", 10, kNoCap));
  const std::vector<uint64_t> first = {s2, s2, s3 + 100};
  EXPECT_EQ(*mailboxes().Delete(kBoxA, first), 1u);
  const std::vector<uint64_t> second = {s1, s2, s3};
  EXPECT_EQ(*mailboxes().Delete(kBoxA, second), 2u);
  EXPECT_EQ(*mailboxes().Delete(kBoxA2, second), 0u);
  EXPECT_EQ(*mailboxes().Delete(kBoxA, second), 0u);
  EXPECT_THAT(*mailboxes().Read(kBoxA, 0, 100, 1 << 20), IsEmpty());
  EXPECT_EQ(*mailboxes().CountQueued(), 1u);
}

TEST_P(StorageContractTest, CapRejectsAppendUntilDelete) {
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 3; ++i) {
    seqs.push_back(*mailboxes().Append(kBoxA, "x", 10, 3));
  }
  EXPECT_CODE(mailboxes().Append(kBoxA, "over", 10, 3), kResourceExhausted);
  EXPECT_OK(mailboxes().Append(kBoxB, "other mailbox", 10, 3));
  EXPECT_EQ(mailboxes().Read(kBoxA, 0, 100, 1 << 20)->size(), 3u);
  const std::vector<uint64_t> one = {seqs[1]};
  ASSERT_EQ(*mailboxes().Delete(kBoxA, one), 1u);
  auto next = mailboxes().Append(kBoxA, "fits", 10, 3);
  ASSERT_OK(next);
  EXPECT_GT(*next, seqs[2]);
  EXPECT_CODE(mailboxes().Append(kBoxA, "over", 10, 3), kResourceExhausted);
  EXPECT_CODE(mailboxes().Append(kBoxA2, "zero cap", 10, 0),
              kResourceExhausted);
}

TEST_P(StorageContractTest, ExpireBefore) {
  ASSERT_OK(mailboxes().Append(kBoxA, "h10", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA, "h12", 12, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA, "h11", 11, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxB, "b10", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA2, "a2-13", 13, kNoCap));
  EXPECT_EQ(*mailboxes().ExpireBefore(10), 0u);
  EXPECT_EQ(*mailboxes().ExpireBefore(12), 3u);
  EXPECT_EQ(*mailboxes().ExpireBefore(12), 0u);
  auto left = mailboxes().Read(kBoxA, 0, 100, 1 << 20);
  ASSERT_OK(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().content, "h12");
  EXPECT_THAT(*mailboxes().Read(kBoxB, 0, 100, 1 << 20), IsEmpty());
  EXPECT_EQ(*mailboxes().CountQueued(), 2u);
  // Counts freed by expiry are usable again under the cap.
  EXPECT_OK(mailboxes().Append(kBoxA, "again", 20, 2));
}

TEST_P(StorageContractTest, CountQueuedAcrossMailboxes) {
  EXPECT_EQ(*mailboxes().CountQueued(), 0u);
  ASSERT_OK(mailboxes().Append(kBoxA, "1", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA, "2", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxA2, "3", 10, kNoCap));
  ASSERT_OK(mailboxes().Append(kBoxB, "4", 10, kNoCap));
  EXPECT_EQ(*mailboxes().CountQueued(), 4u);
}

TEST_P(StorageContractTest, SeqNeverReusedAfterDeletingEverything) {
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 3; ++i) {
    seqs.push_back(*mailboxes().Append(kBoxA, "x", 10, kNoCap));
  }
  ASSERT_EQ(*mailboxes().Delete(kBoxA, seqs), 3u);
  EXPECT_GT(*mailboxes().Append(kBoxA, "y", 10, kNoCap), seqs.back());
  ASSERT_EQ(*mailboxes().ExpireBefore(100), 1u);
  EXPECT_GT(*mailboxes().Append(kBoxA, "z", 10, kNoCap), seqs.back() + 1);
}

TEST_P(StorageContractTest, ConcurrentAppendsAreDistinctAndVisibleInOrder) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  const MailboxId shared{AccountId(100), 1};
  std::atomic<bool> writing{true};
  std::atomic<int> reader_gaps{0};
  // A reader that sees seq N must also see every earlier seq (no deletes
  // here, so the seqs it sees are a prefix of 1, 2, 3, ...).
  std::thread reader([&] {
    while (writing.load()) {
      auto read = mailboxes().Read(shared, 0, 100000, 1 << 30);
      if (!read.ok()) {
        ++reader_gaps;
        continue;
      }
      for (size_t i = 0; i < read->size(); ++i) {
        if ((*read)[i].seq != i + 1) ++reader_gaps;
      }
    }
  });

  std::vector<std::vector<uint64_t>> shared_seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const MailboxId own{AccountId(t), static_cast<uint32_t>(t + 1)};
      for (int i = 0; i < kPerThread; ++i) {
        auto seq =
            mailboxes().Append(shared, absl::StrCat(t, ":", i), 10, kNoCap);
        if (seq.ok()) shared_seqs[t].push_back(*seq);
        ASSERT_OK(mailboxes().Append(own, absl::StrCat(i), 10, kNoCap));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  writing = false;
  reader.join();
  EXPECT_EQ(reader_gaps.load(), 0);

  std::set<uint64_t> distinct;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(shared_seqs[t].size(), static_cast<size_t>(kPerThread));
    EXPECT_TRUE(std::is_sorted(shared_seqs[t].begin(), shared_seqs[t].end()));
    distinct.insert(shared_seqs[t].begin(), shared_seqs[t].end());
  }
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kPerThread));

  auto all = mailboxes().Read(shared, 0, 100000, 1 << 30);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), distinct.size());
  std::map<int, int> next_per_thread;
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq, *std::next(distinct.begin(), 0) + i);
    // Each thread's envelopes appear in the order it appended them.
    const std::string& c = (*all)[i].content;
    const int t = std::stoi(c.substr(0, c.find(':')));
    const int n = std::stoi(c.substr(c.find(':') + 1));
    EXPECT_EQ(n, next_per_thread[t]++);
  }
  for (int t = 0; t < kThreads; ++t) {
    const MailboxId own{AccountId(t), static_cast<uint32_t>(t + 1)};
    auto mine = mailboxes().Read(own, 0, 1000, 1 << 20);
    ASSERT_OK(mine);
    ASSERT_EQ(mine->size(), static_cast<size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) {
      EXPECT_EQ((*mine)[i].content, absl::StrCat(i));
    }
  }
  EXPECT_EQ(*mailboxes().CountQueued(),
            static_cast<uint64_t>(2 * kThreads * kPerThread));
}

// The async forms: each callback runs once, with the result the blocking form
// gives; appends queued back to back keep their order; the result is there
// to read once the callback ran.
TEST_P(StorageContractTest, AsyncAppendAndDeleteReportOnceInOrder) {
  constexpr int kCount = 200;
  absl::Mutex mu;
  std::vector<uint64_t> seqs(kCount, 0);
  std::vector<int> calls(kCount, 0);
  int done = 0;
  for (int i = 0; i < kCount; ++i) {
    mailboxes().AppendAsync(kBoxA, absl::StrCat("m", i), 10, kCount,
                            [&, i](absl::StatusOr<uint64_t> seq) {
                              absl::MutexLock lock(&mu);
                              ++calls[i];
                              if (seq.ok()) seqs[i] = *seq;
                              ++done;
                            });
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](int* n) { return *n == kCount; }, &done));
  }
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(calls[i], 1) << i;
    if (i > 0) {
      EXPECT_GT(seqs[i], seqs[i - 1]) << i;
    }
  }
  auto all = mailboxes().Read(kBoxA, 0, 1000, 1 << 20);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ((*all)[i].seq, seqs[i]);
    EXPECT_EQ((*all)[i].content, absl::StrCat("m", i));
  }

  // Over the cap, and a malformed mailbox: errors through the callback.
  absl::Notification over_done;
  absl::Status over_status;
  mailboxes().AppendAsync(kBoxA, "over", 10, kCount,
                          [&](absl::StatusOr<uint64_t> seq) {
                            over_status = seq.status();
                            over_done.Notify();
                          });
  over_done.WaitForNotification();
  EXPECT_EQ(over_status.code(), absl::StatusCode::kResourceExhausted);
  absl::Notification bad_done;
  absl::Status bad_status;
  mailboxes().DeleteAsync(MailboxId{"short", 1}, {1},
                          [&](absl::StatusOr<uint32_t> deleted) {
                            bad_status = deleted.status();
                            bad_done.Notify();
                          });
  bad_done.WaitForNotification();
  EXPECT_EQ(bad_status.code(), absl::StatusCode::kInvalidArgument);

  // Deleting half of them, with one seq twice and one unknown.
  std::vector<uint64_t> to_delete(seqs.begin(), seqs.begin() + kCount / 2);
  to_delete.push_back(seqs[0]);
  to_delete.push_back(seqs.back() + 1000);
  absl::Notification deleted_done;
  absl::StatusOr<uint32_t> deleted;
  mailboxes().DeleteAsync(kBoxA, to_delete,
                          [&](absl::StatusOr<uint32_t> result) {
                            deleted = result;
                            deleted_done.Notify();
                          });
  deleted_done.WaitForNotification();
  ASSERT_OK(deleted);
  EXPECT_EQ(*deleted, static_cast<uint32_t>(kCount / 2));
  auto rest = mailboxes().Read(kBoxA, 0, 1000, 1 << 20);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->size(), static_cast<size_t>(kCount - kCount / 2));
  EXPECT_EQ(rest->front().seq, seqs[kCount / 2]);
  EXPECT_EQ(*mailboxes().CountQueued(),
            static_cast<uint64_t>(kCount - kCount / 2));
}

TEST_P(StorageContractTest, FlushAndDiskUsage) {
  ASSERT_OK(mailboxes().Append(kBoxA, "x", 10, kNoCap));
  EXPECT_OK(storage_->Flush());
  auto bytes = storage_->BytesOnDisk();
  ASSERT_OK(bytes);
  if (GetParam() == Backend::kMemory) {
    EXPECT_EQ(*bytes, 0u);
    EXPECT_CODE(storage_->Checkpoint("/nonexistent/checkpoint"),
                kFailedPrecondition);
  } else {
    EXPECT_GT(*bytes, 0u);
  }
}

}  // namespace
}  // namespace confidant::server::storage_testing
