#include "server/storage/memory_storage.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "server/storage/validation.h"

namespace confidant::server {
namespace {

class MemoryOrganisationStore : public OrganisationStore {
 public:
  absl::Status Create(const OrganisationRecord& org,
                      std::string_view access_code_hash) override {
    if (absl::Status s = CheckOrganisationId(org.id); !s.ok()) return s;
    if (absl::Status s = CheckHash(access_code_hash); !s.ok()) return s;
    const std::string folded = absl::AsciiStrToLower(org.name);
    absl::MutexLock lock(&mu_);
    if (orgs_.contains(org.id)) {
      return absl::AlreadyExistsError("organisation id already exists");
    }
    if (by_name_.contains(folded)) {
      return absl::AlreadyExistsError("organisation name already exists");
    }
    if (by_code_.contains(std::string(access_code_hash))) {
      return absl::AlreadyExistsError("access code already in use");
    }
    orgs_[org.id] = Entry{org, std::string(access_code_hash)};
    by_name_[folded] = org.id;
    by_code_[std::string(access_code_hash)] = org.id;
    return absl::OkStatus();
  }

  absl::StatusOr<OrganisationRecord> Get(std::string_view id) override {
    if (absl::Status s = CheckOrganisationId(id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto it = orgs_.find(std::string(id));
    if (it == orgs_.end()) return absl::NotFoundError("no such organisation");
    return it->second.record;
  }

  absl::StatusOr<std::vector<OrganisationRecord>> List() override {
    absl::MutexLock lock(&mu_);
    std::vector<OrganisationRecord> out;
    out.reserve(by_name_.size());
    for (const auto& [name, id] : by_name_) out.push_back(orgs_.at(id).record);
    return out;
  }

  absl::StatusOr<OrganisationRecord> FindByAccessCode(
      std::string_view access_code_hash) override {
    absl::MutexLock lock(&mu_);
    auto it = by_code_.find(std::string(access_code_hash));
    if (it == by_code_.end()) {
      return absl::NotFoundError("no organisation with this access code");
    }
    return orgs_.at(it->second).record;
  }

  absl::Status ReplaceAccessCode(std::string_view id,
                                 std::string_view new_hash) override {
    if (absl::Status s = CheckOrganisationId(id); !s.ok()) return s;
    if (absl::Status s = CheckHash(new_hash); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto it = orgs_.find(std::string(id));
    if (it == orgs_.end()) return absl::NotFoundError("no such organisation");
    if (it->second.access_code_hash == new_hash) return absl::OkStatus();
    if (by_code_.contains(std::string(new_hash))) {
      return absl::AlreadyExistsError("access code already in use");
    }
    by_code_.erase(it->second.access_code_hash);
    it->second.access_code_hash = std::string(new_hash);
    by_code_[std::string(new_hash)] = it->first;
    return absl::OkStatus();
  }

 private:
  struct Entry {
    OrganisationRecord record;
    std::string access_code_hash;
  };

  absl::Mutex mu_;
  std::map<std::string, Entry> orgs_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> by_name_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> by_code_ ABSL_GUARDED_BY(mu_);
};

class MemoryAccountStore : public AccountStore {
 public:
  absl::Status Create(const AccountRecord& account) override {
    if (absl::Status s = CheckAccount(account); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    if (accounts_.contains(account.id)) {
      return absl::AlreadyExistsError("account id already exists");
    }
    accounts_[account.id] = account;
    return absl::OkStatus();
  }

  absl::Status AddInvite(std::string_view invite_hash,
                         const InviteRecord& invite) override {
    if (absl::Status s = CheckHash(invite_hash); !s.ok()) return s;
    if (invite.organisation_ids.empty()) {
      return absl::InvalidArgumentError("invite names no organisation");
    }
    for (const std::string& org : invite.organisation_ids) {
      if (absl::Status s = CheckOrganisationId(org); !s.ok()) return s;
    }
    absl::MutexLock lock(&mu_);
    if (!invites_.emplace(std::string(invite_hash), invite).second) {
      return absl::AlreadyExistsError("invite already exists");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<AccountRecord> CreateWithInvite(
      std::string_view invite_hash, uint32_t now_hour,
      AccountRecord account) override {
    absl::MutexLock lock(&mu_);
    auto it = invites_.find(std::string(invite_hash));
    if (it == invites_.end()) return absl::NotFoundError("no such invite");
    if (now_hour >= it->second.expires_hour) {
      invites_.erase(it);
      return absl::FailedPreconditionError("invite has expired");
    }
    account.organisation_ids = it->second.organisation_ids;
    if (absl::Status s = CheckAccount(account); !s.ok()) return s;
    if (accounts_.contains(account.id)) {
      return absl::AlreadyExistsError("account id already exists");
    }
    invites_.erase(it);
    accounts_[account.id] = account;
    return account;
  }

  absl::StatusOr<AccountRecord> Get(std::string_view account_id) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto it = accounts_.find(std::string(account_id));
    if (it == accounts_.end()) return absl::NotFoundError("no such account");
    return it->second;
  }

  absl::StatusOr<std::vector<AccountRecord>> ListTrustPersons(
      std::string_view organisation_id) override {
    if (absl::Status s = CheckOrganisationId(organisation_id); !s.ok()) {
      return s;
    }
    absl::MutexLock lock(&mu_);
    std::vector<AccountRecord> out;
    for (const auto& [id, account] : accounts_) {
      if (account.kind == v1::ACCOUNT_KIND_TRUST_PERSON &&
          std::find(account.organisation_ids.begin(),
                    account.organisation_ids.end(),
                    organisation_id) != account.organisation_ids.end()) {
        out.push_back(account);
      }
    }
    return out;
  }

  absl::StatusOr<Counts> Count(uint32_t now_hour) override {
    absl::MutexLock lock(&mu_);
    Counts counts;
    for (const auto& [id, account] : accounts_) {
      if (account.kind == v1::ACCOUNT_KIND_EMPLOYEE) ++counts.employees;
      if (account.kind == v1::ACCOUNT_KIND_TRUST_PERSON) ++counts.trust_persons;
    }
    for (const auto& [hash, invite] : invites_) {
      if (now_hour < invite.expires_hour) ++counts.open_invites;
    }
    return counts;
  }

  absl::StatusOr<uint64_t> DeleteExpiredInvites(uint32_t now_hour) override {
    absl::MutexLock lock(&mu_);
    return std::erase_if(invites_, [now_hour](const auto& entry) {
      return now_hour >= entry.second.expires_hour;
    });
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, AccountRecord> accounts_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, InviteRecord> invites_ ABSL_GUARDED_BY(mu_);
};

class MemoryKeyStore : public KeyStore {
 public:
  absl::StatusOr<uint32_t> Upload(std::string_view account_id,
                                  const KeyUpload& upload,
                                  uint32_t max_one_time_keys) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto it = keys_.find(std::string(account_id));
    const bool fresh = it == keys_.end() || upload.replace_identity;
    if (fresh && (upload.registration_id == 0 || !upload.signed_pre_key)) {
      return absl::FailedPreconditionError(
          "a first upload or identity replacement needs a registration id "
          "and a signed pre-key");
    }
    if (!fresh && it->second.identity.identity_key != upload.identity_key) {
      return absl::FailedPreconditionError(
          "identity key differs from the stored one");
    }
    AccountKeys next = fresh ? AccountKeys{} : it->second;
    next.identity.identity_key = upload.identity_key;
    if (upload.registration_id != 0) {
      next.identity.registration_id = upload.registration_id;
    }
    if (upload.signed_pre_key) {
      next.identity.signed_pre_key = *upload.signed_pre_key;
    }
    for (const OneTimePreKeyRecord& key : upload.one_time_pre_keys) {
      next.one_time[key.id] = key.public_key;
    }
    if (next.one_time.size() > max_one_time_keys) {
      return absl::ResourceExhaustedError("too many one-time pre-keys");
    }
    const auto count = static_cast<uint32_t>(next.one_time.size());
    keys_[std::string(account_id)] = std::move(next);
    return count;
  }

  absl::StatusOr<IdentityRecord> GetIdentity(
      std::string_view account_id) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto it = keys_.find(std::string(account_id));
    if (it == keys_.end()) return absl::NotFoundError("no keys uploaded");
    return it->second.identity;
  }

  absl::StatusOr<PreKeyBundleRecord> TakeBundle(
      std::string_view account_id) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto it = keys_.find(std::string(account_id));
    if (it == keys_.end()) return absl::NotFoundError("no keys uploaded");
    PreKeyBundleRecord bundle;
    bundle.identity = it->second.identity;
    auto& one_time = it->second.one_time;
    if (!one_time.empty()) {
      auto first = one_time.begin();
      bundle.one_time_pre_key =
          OneTimePreKeyRecord{first->first, first->second};
      one_time.erase(first);
    }
    return bundle;
  }

  absl::StatusOr<uint32_t> CountOneTimePreKeys(
      std::string_view account_id) override {
    if (absl::Status s = CheckAccountId(account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto it = keys_.find(std::string(account_id));
    if (it == keys_.end()) return 0;
    return static_cast<uint32_t>(it->second.one_time.size());
  }

 private:
  struct AccountKeys {
    IdentityRecord identity;
    std::map<uint32_t, std::string> one_time;  // id -> public key
  };

  absl::Mutex mu_;
  std::map<std::string, AccountKeys> keys_ ABSL_GUARDED_BY(mu_);
};

class MemoryMailboxStore : public MailboxStore {
 public:
  absl::StatusOr<uint64_t> Append(const MailboxId& mailbox, std::string content,
                                  uint32_t stored_hour,
                                  uint32_t max_queued) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    Mailbox& box = mailboxes_[Key(mailbox)];
    if (box.envelopes.size() >= max_queued) {
      return absl::ResourceExhaustedError("mailbox is full");
    }
    const uint64_t seq = ++box.last_seq;
    box.envelopes[seq] = StoredEnvelope{seq, std::move(content), stored_hour};
    return seq;
  }

  absl::StatusOr<std::vector<StoredEnvelope>> Read(const MailboxId& mailbox,
                                                   uint64_t after_seq,
                                                   size_t max_count,
                                                   size_t max_bytes) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    std::vector<StoredEnvelope> out;
    auto box = mailboxes_.find(Key(mailbox));
    if (box == mailboxes_.end()) return out;
    size_t bytes = 0;
    for (auto it = box->second.envelopes.upper_bound(after_seq);
         it != box->second.envelopes.end() && out.size() < max_count; ++it) {
      const size_t size = it->second.content.size();
      if (!out.empty() && bytes + size > max_bytes) break;
      bytes += size;
      out.push_back(it->second);
    }
    return out;
  }

  absl::StatusOr<uint32_t> Delete(const MailboxId& mailbox,
                                  absl::Span<const uint64_t> seqs) override {
    if (absl::Status s = CheckAccountId(mailbox.account_id); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    auto box = mailboxes_.find(Key(mailbox));
    if (box == mailboxes_.end()) return 0;
    uint32_t deleted = 0;
    for (uint64_t seq : seqs) deleted += box->second.envelopes.erase(seq);
    return deleted;
  }

  absl::StatusOr<uint64_t> ExpireBefore(uint32_t cutoff_hour) override {
    absl::MutexLock lock(&mu_);
    uint64_t deleted = 0;
    for (auto& [key, box] : mailboxes_) {
      deleted += std::erase_if(box.envelopes, [cutoff_hour](const auto& e) {
        return e.second.stored_hour < cutoff_hour;
      });
    }
    return deleted;
  }

  absl::StatusOr<uint64_t> CountQueued() override {
    absl::MutexLock lock(&mu_);
    uint64_t count = 0;
    for (const auto& [key, box] : mailboxes_) count += box.envelopes.size();
    return count;
  }

 private:
  struct Mailbox {
    uint64_t last_seq = 0;  // kept when empty: seqs are never reused
    std::map<uint64_t, StoredEnvelope> envelopes;
  };

  static std::pair<std::string, uint32_t> Key(const MailboxId& mailbox) {
    return {mailbox.account_id, mailbox.device_id};
  }

  absl::Mutex mu_;
  std::map<std::pair<std::string, uint32_t>, Mailbox> mailboxes_
      ABSL_GUARDED_BY(mu_);
};

class MemoryStorage : public Storage {
 public:
  OrganisationStore& organisations() override { return organisations_; }
  AccountStore& accounts() override { return accounts_; }
  KeyStore& keys() override { return keys_; }
  MailboxStore& mailboxes() override { return mailboxes_; }

  absl::Status Checkpoint(const std::string& target_dir) override {
    return absl::FailedPreconditionError(
        "the in-memory storage keeps nothing on disk to checkpoint");
  }
  absl::StatusOr<uint64_t> BytesOnDisk() override { return 0; }
  absl::Status Flush() override { return absl::OkStatus(); }
  absl::Status Forget() override { return absl::OkStatus(); }
  bool HasUnforgottenWrites() override { return false; }

 private:
  MemoryOrganisationStore organisations_;
  MemoryAccountStore accounts_;
  MemoryKeyStore keys_;
  MemoryMailboxStore mailboxes_;
};

}  // namespace

std::unique_ptr<Storage> NewMemoryStorage() {
  return std::make_unique<MemoryStorage>();
}

}  // namespace confidant::server
