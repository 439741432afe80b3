#include "tests/testing/disk_examination.h"

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/metadata.h"
#include "rocksdb/options.h"
#include "rocksdb/table_properties.h"
#include "rocksdb/utilities/debug.h"
#include "tests/testing/test_util.h"

namespace confidant::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Copies every regular file of `from` into `to`; false if one vanished while
// copying (RocksDB replaced it), so the caller tries again.
bool CopyFlat(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::remove_all(to, ec);
  fs::create_directories(to);
  for (const fs::directory_entry& entry : fs::directory_iterator(from, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    if (!fs::copy_file(entry.path(), to / entry.path().filename(), ec)) {
      return false;
    }
  }
  return !ec;
}

struct Window {
  int64_t begin;
  int64_t end;
  int64_t hour;  // the interval's unit per hour
  bool Contains(uint64_t v) const {
    const int64_t s = static_cast<int64_t>(v);
    return s >= begin && s <= end && s % hour != 0;
  }
};

class Scanner {
 public:
  explicit Scanner(const ExaminationInput& input) {
    const int64_t b = absl::ToUnixSeconds(input.begin);
    const int64_t e = absl::ToUnixSeconds(input.end) + 1;
    windows_ = {{b, e, 3600},
                {b * 1000, e * 1000, 3600LL * 1000},
                {b * 1000000, e * 1000000, 3600LL * 1000000},
                {b * 1000000000, e * 1000000000, 3600LL * 1000000000}};
    // Text times of every minute of the interval, in the forms RocksDB's
    // info log and common tools write.
    for (absl::Time t = absl::FromUnixSeconds(b - b % 60);
         t <= absl::FromUnixSeconds(e); t += absl::Minutes(1)) {
      if (absl::ToUnixSeconds(t) % 3600 == 0) continue;
      for (const char* format :
           {"%Y/%m/%d-%H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"}) {
        text_times_.push_back(absl::FormatTime(format, t, absl::UTCTimeZone()));
        text_times_.push_back(
            absl::FormatTime(format, t, absl::LocalTimeZone()));
      }
    }
  }

  void Scan(const std::string& name, const std::string& bytes,
            const ExaminationInput& input, std::vector<std::string>* out) {
    for (size_t i = 0; i < input.forgotten.size(); ++i) {
      const std::string& secret = input.forgotten[i];
      for (std::string_view probe : Probes(secret)) {
        if (bytes.find(probe) != std::string::npos) {
          out->push_back(absl::StrCat(name, ": holds forgotten record #", i));
          break;
        }
      }
    }
    for (const std::string& text : input.forbidden_text) {
      if (!text.empty() && bytes.find(text) != std::string::npos) {
        out->push_back(absl::StrCat(name, ": holds \"", text, "\""));
      }
    }
    for (const std::string& text : text_times_) {
      if (bytes.find(text) != std::string::npos) {
        out->push_back(absl::StrCat(name, ": holds the time \"", text, "\""));
      }
    }
    ScanIntegers(name, bytes, out);
  }

 private:
  // Two slices of a secret, so a log-block boundary inside one of them does
  // not hide the other.
  static std::vector<std::string_view> Probes(const std::string& secret) {
    std::string_view s(secret);
    if (s.size() < 64) return {s};
    return {s.substr(s.size() / 4, 24), s.substr(3 * s.size() / 4 - 24, 24)};
  }

  void ScanIntegers(const std::string& name, const std::string& bytes,
                    std::vector<std::string>* out) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();
    for (size_t i = 0; i < n; ++i) {
      const char* found = nullptr;
      if (i + 8 <= n) {
        uint64_t le = 0, be = 0;
        for (int k = 0; k < 8; ++k) {
          le |= static_cast<uint64_t>(p[i + k]) << (8 * k);
          be = (be << 8) | p[i + k];
        }
        if (InWindow(le)) found = "a fixed64 (little-endian) time";
        if (InWindow(be)) found = "a fixed64 (big-endian) time";
      }
      uint64_t varint = 0;
      size_t k = 0;
      for (int shift = 0; shift <= 63 && i + k < n; shift += 7, ++k) {
        varint |= static_cast<uint64_t>(p[i + k] & 0x7f) << shift;
        if ((p[i + k] & 0x80) == 0) {
          if (k >= 4 && InWindow(varint)) found = "a varint time";
          break;
        }
      }
      // Decimal text: a run of digits not preceded by a digit.
      if (std::isdigit(p[i]) && (i == 0 || !std::isdigit(p[i - 1]))) {
        size_t len = 0;
        uint64_t value = 0;
        while (i + len < n && std::isdigit(p[i + len]) && len < 20) {
          value = value * 10 + (p[i + len] - '0');
          ++len;
        }
        if (len >= 10 && InWindow(value)) found = "a decimal time";
      }
      if (found != nullptr) {
        out->push_back(absl::StrCat(name, ": holds ", found, " at offset ", i));
        if (++integer_findings_ > 20) return;
      }
    }
  }

  bool InWindow(uint64_t v) const {
    for (const Window& w : windows_) {
      if (w.Contains(v)) return true;
    }
    return false;
  }

  std::vector<Window> windows_;
  std::vector<std::string> text_times_;
  int integer_findings_ = 0;
};

class QuietLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {}
};

void ExamineWithRocksDb(const std::string& dir, const ExaminationInput& input,
                        Examination* out) {
  std::vector<std::string> names;
  rocksdb::DBOptions options;
  options.info_log = std::make_shared<QuietLogger>();
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, dir, &names);
  if (!s.ok()) {
    out->findings.push_back("cannot list column families: " + s.ToString());
    return;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &handles, &raw);
  if (!s.ok()) {
    out->findings.push_back("cannot open read-only: " + s.ToString());
    return;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  for (size_t c = 0; c < handles.size(); ++c) {
    std::vector<rocksdb::KeyVersion> versions;
    s = rocksdb::GetAllKeyVersions(db.get(), handles[c], "", "", 10000000,
                                   &versions);
    if (!s.ok()) {
      out->findings.push_back(names[c] + ": cannot read: " + s.ToString());
      continue;
    }
    uint64_t ordered = 0, not_values = 0;
    for (const rocksdb::KeyVersion& v : versions) {
      if (v.sequence != 0) ++ordered;
      if (v.type != 1 /* kTypeValue */) {
        ++not_values;
      } else {
        ++out->live_records;
      }
    }
    if (ordered > 0) {
      out->findings.push_back(absl::StrCat(names[c], ": ", ordered,
                                           " records keep a sequence number"));
    }
    if (not_values > 0) {
      out->findings.push_back(absl::StrCat(names[c], ": ", not_values,
                                           " tombstones or other non-values"));
    }
    rocksdb::TablePropertiesCollection properties;
    s = db->GetPropertiesOfAllTables(handles[c], &properties);
    if (!s.ok()) {
      out->findings.push_back(names[c] + ": no table properties");
      continue;
    }
    for (const auto& [file, props] : properties) {
      if (!props->db_host_id.empty()) {
        out->findings.push_back(file + ": names the host \"" +
                                props->db_host_id + "\"");
      }
      for (uint64_t t : {props->creation_time, props->oldest_key_time,
                         props->file_creation_time}) {
        if (t % 3600 != 0) {
          out->findings.push_back(
              absl::StrCat(file, ": table time ", t, " is not a whole hour"));
        }
      }
    }
  }
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  std::map<std::string, std::set<int>> levels;
  for (const rocksdb::LiveFileMetaData& f : files) {
    ++out->tables;
    levels[f.column_family_name].insert(f.level);
    if (f.smallest_seqno != 0 || f.largest_seqno != 0) {
      out->findings.push_back(absl::StrCat(f.name, ": holds sequence numbers ",
                                           f.smallest_seqno, "..",
                                           f.largest_seqno));
    }
    if (f.file_creation_time % 3600 != 0 ||
        f.oldest_ancester_time % 3600 != 0) {
      out->findings.push_back(f.name + ": file times are not whole hours");
    }
  }
  for (const auto& [family, in_levels] : levels) {
    if (in_levels.size() > 1) {
      out->findings.push_back(absl::StrCat(
          family, ": tables in ", in_levels.size(),
          " levels (the levels tell older records from newer ones)"));
    }
  }
  for (rocksdb::ColumnFamilyHandle* h : handles) {
    db->DestroyColumnFamilyHandle(h);
  }
}

}  // namespace

Examination ExamineDatabaseDir(const ExaminationInput& input) {
  Examination out;
  TempDir scratch;
  const fs::path copy = fs::path(scratch.path()) / "db";
  bool copied = false;
  for (int attempt = 0; attempt < 10 && !copied; ++attempt) {
    copied = CopyFlat(input.db_dir, copy);
  }
  if (!copied) {
    out.findings.push_back("could not copy " + input.db_dir);
    return out;
  }
  Scanner scanner(input);
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(copy, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == "LOG" || absl::StartsWith(name, "LOG.old")) {
      out.findings.push_back(name + ": an info log of the storage engine");
    }
    const std::string bytes = ReadAll(entry.path());
    if (absl::EndsWith(name, ".log")) {
      out.log_bytes += bytes.size();
      if (!bytes.empty()) {
        out.findings.push_back(name + ": the write-ahead log holds writes");
      }
    }
    scanner.Scan(name, bytes, input, &out.findings);
  }
  // After the byte scan: a read-only open reads the copy but must not be
  // what is examined.
  ExamineWithRocksDb(copy.string(), input, &out);
  return out;
}

}  // namespace confidant::testing
