#include "client/internal/profile_records.h"

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/bytes.h"

namespace confidant::client::internal {
namespace {

using crypto::SecretBytes;
using crypto::WipeString;

constexpr char kValueKeyInfo[] = "confidant profile v2 value key";
constexpr char kMacKeyInfo[] = "confidant profile v2 key mac";
constexpr char kDigestKeyInfo[] = "confidant profile v2 manifest digest";
constexpr std::string_view kManifestMagic = "CFMANIF2";
constexpr size_t kManifestSize = kManifestMagic.size() + 8 + 8 + 1 + kMacSize;

using base::GetLittleEndian;
using base::PutLittleEndian;

}  // namespace

size_t SealedSize(size_t key_size, size_t value_size) {
  const size_t needed = kNonceSize + 4 + key_size + value_size + 1 + kTagSize;
  size_t size = kMinSealedSize;
  while (size < needed) size <<= 1;
  return size;
}

void MultisetDigest::Add(const Mac& digest) {
  unsigned carry = 0;
  for (size_t i = 0; i < kMacSize; ++i) {
    const unsigned sum = unsigned{sum_[i]} + digest[i] + carry;
    sum_[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
}

void MultisetDigest::Remove(const Mac& digest) {
  unsigned borrow = 0;
  for (size_t i = 0; i < kMacSize; ++i) {
    const int diff = int{sum_[i]} - digest[i] - static_cast<int>(borrow);
    sum_[i] = static_cast<uint8_t>(diff);
    borrow = diff < 0 ? 1 : 0;
  }
}

bool MultisetDigest::operator==(const MultisetDigest& other) const {
  return sum_ == other.sum_;
}

MultisetDigest MultisetDigest::FromBytes(std::string_view bytes) {
  MultisetDigest out;
  std::memcpy(out.sum_.data(), bytes.data(),
              std::min(bytes.size(), out.sum_.size()));
  return out;
}

std::string Manifest::Encode() const {
  std::string out(kManifestMagic);
  PutLittleEndian(out, version, 8);
  PutLittleEndian(out, records, 8);
  out.push_back(forget_pending ? 1 : 0);
  out.append(reinterpret_cast<const char*>(digest.bytes().data()), kMacSize);
  return out;
}

absl::StatusOr<Manifest> Manifest::Decode(std::string_view bytes) {
  if (bytes.size() != kManifestSize ||
      bytes.substr(0, kManifestMagic.size()) != kManifestMagic ||
      static_cast<uint8_t>(bytes[kManifestMagic.size() + 16]) > 1) {
    return absl::DataLossError("the profile manifest is malformed");
  }
  Manifest out;
  size_t at = kManifestMagic.size();
  out.version = GetLittleEndian(bytes.substr(at), 8);
  out.records = GetLittleEndian(bytes.substr(at + 8), 8);
  out.forget_pending = bytes[at + 16] == 1;
  out.digest = MultisetDigest::FromBytes(bytes.substr(at + 17));
  return out;
}

absl::StatusOr<RecordKeys> RecordKeys::Derive(const SecretBytes& master) {
  RecordKeys out;
  for (auto [key, info] : {std::pair{&out.value_key_, kValueKeyInfo},
                           std::pair{&out.mac_key_, kMacKeyInfo},
                           std::pair{&out.digest_key_, kDigestKeyInfo}}) {
    absl::StatusOr<SecretBytes> derived = Hkdf(master, info);
    if (!derived.ok()) return derived.status();
    *key = *std::move(derived);
  }
  return out;
}

std::string RecordKeys::StorageKey(uint8_t ns, std::string_view key) const {
  SecretBytes input(1 + key.size());
  input.data()[0] = ns;
  if (!key.empty()) std::memcpy(input.data() + 1, key.data(), key.size());
  const Mac mac = HmacSha256(mac_key_, input.view());
  std::string out(1, static_cast<char>(ns));
  out.append(reinterpret_cast<const char*>(mac.data()), mac.size());
  return out;
}

absl::StatusOr<std::string> RecordKeys::Seal(std::string_view storage_key,
                                             std::string_view key,
                                             std::string_view value) const {
  if (key.size() > UINT32_MAX) {
    return absl::InvalidArgumentError("key too long");
  }
  const size_t plain_size =
      SealedSize(key.size(), value.size()) - kNonceSize - kTagSize;
  SecretBytes plain(plain_size);  // zeros: the padding's tail
  uint8_t* at = plain.data();
  base::EncodeLittleEndian(reinterpret_cast<char*>(at), key.size(), 4);
  at += 4;
  if (!key.empty()) std::memcpy(at, key.data(), key.size());
  at += key.size();
  if (!value.empty()) std::memcpy(at, value.data(), value.size());
  at += value.size();
  *at = 0x80;
  return GcmSeal(value_key_, storage_key, plain.view());
}

absl::Status RecordKeys::Open(std::string_view storage_key,
                              std::string_view sealed, std::string& out_key,
                              std::string& out_value) const {
  SecretBytes plain;
  if (!GcmOpen(value_key_, storage_key, sealed, plain)) {
    return CorruptRecord("authentication failed");
  }
  std::string_view view = plain.view();
  // Strip the padding: zeros after one 0x80.
  size_t end = view.size();
  while (end > 0 && view[end - 1] == '\0') --end;
  if (end == 0 || static_cast<uint8_t>(view[end - 1]) != 0x80) {
    return CorruptRecord("bad padding");
  }
  view = view.substr(0, end - 1);
  if (view.size() < 4) return CorruptRecord("short record");
  const uint64_t key_size = GetLittleEndian(view, 4);
  if (view.size() - 4 < key_size) return CorruptRecord("bad key length");
  std::string key(view.substr(4, key_size));
  std::string value(view.substr(4 + key_size));
  WipeString(out_key);
  WipeString(out_value);
  out_key = std::move(key);
  out_value = std::move(value);
  return absl::OkStatus();
}

Mac RecordKeys::RecordDigest(std::string_view storage_key,
                             std::string_view sealed) const {
  std::string input;
  input.reserve(4 + storage_key.size() + sealed.size());
  PutLittleEndian(input, storage_key.size(), 4);
  input.append(storage_key);
  input.append(sealed);
  return HmacSha256(digest_key_, input);
}

absl::Status CorruptRecord(std::string_view what) {
  return absl::DataLossError(
      absl::StrCat("profile entry does not authenticate (", std::string(what),
                   "): tampered or corrupt"));
}

}  // namespace confidant::client::internal
