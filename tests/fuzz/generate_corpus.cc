// Writes the seed corpora of the relay-handler and admin fuzz targets:
//   fuzz_corpus_generator OUT_DIR
// makes OUT_DIR/<target>/<seed> for every target (relay_register, ...,
// admin). Seeds are valid requests of the world in relay_world.h (its codes,
// credentials and signatures) and edge cases around every check a handler
// makes. Run once by hand; the output is committed under tests/fuzz/corpus/
// and then grown by fuzzing (see docs/fuzzing.md).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "confidant/v1/admin.pb.h"
#include "confidant/v1/relay.pb.h"
#include "tests/fuzz/relay_world.h"

namespace confidant::fuzz {
namespace {

namespace fs = std::filesystem;

class CorpusWriter {
 public:
  CorpusWriter(fs::path root, std::string target) : dir_(root / target) {
    fs::create_directories(dir_);
  }

  // Writes `prefix` byte then the serialized `message`.
  void Write(const std::string& name, uint8_t prefix,
             const google::protobuf::MessageLite& message) {
    WriteRaw(name, prefix, message.SerializeAsString());
  }
  void WriteRaw(const std::string& name, uint8_t prefix,
                const std::string& bytes) {
    std::ofstream out(dir_ / name, std::ios::binary | std::ios::trunc);
    out.put(static_cast<char>(prefix));
    out << bytes;
    ++count_;
  }
  int count() const { return count_; }

 private:
  fs::path dir_;
  int count_ = 0;
};

uint8_t C(Caller caller) { return static_cast<uint8_t>(caller); }

const WorldAccount& Acc(Caller caller) { return *AccountFor(caller); }

// Bytes that are not a valid message of any of these types.
const std::vector<std::pair<std::string, std::string>>& Garbage() {
  static const auto* garbage =
      new std::vector<std::pair<std::string, std::string>>{
          {"truncated_varint", "\x08\xff\xff"},
          {"wrong_wire_type", std::string("\x0d\x01\x02\x03\x04", 5)},
          {"length_past_end",
           "\x0a\x7f"
           "abc"},
          {"group_start", "\x0b"},
          {"field_zero", std::string("\x00\x01", 2)},
      };
  return *garbage;
}

v1::TrustPersonProfile GoodProfile() {
  v1::TrustPersonProfile p;
  p.set_display_name("Dana Smit");
  p.set_affiliation(v1::TRUST_PERSON_AFFILIATION_EXTERNAL);
  p.add_languages("nl");
  p.add_languages("en-gb");
  p.set_intro("Externe vertrouwenspersoon.\nSpreekuur op dinsdag.");
  return p;
}

void Register(const fs::path& root) {
  CorpusWriter w(root, "relay_register");
  const auto& orgs = WorldOrganisations();
  const auto& invites = WorldInvites();
  const uint8_t none = C(Caller::kNoCredentials);
  auto employee = [&](const std::string& name, const std::string& code) {
    v1::RegisterRequest r;
    r.set_access_code(code);
    w.Write(name, none, r);
  };
  employee("employee_org_a", orgs[0].access_code);
  employee("employee_org_b", orgs[1].access_code);
  employee("employee_org_c_lowercase_spaces", "acces sc0de 0rgc0 0000c");
  employee("employee_o_for_zero", "ACCES-SCODE-ORGAO-OOOOA");
  employee("employee_unknown_code", "ABCDE-FGHJK-MNPQR-STVWX");
  employee("employee_code_letter_u", "ACCES-SC0DE-0RGA0-0000U");
  employee("employee_code_only_dashes", "-----");
  employee("employee_code_65_chars", std::string(65, 'A'));
  employee("employee_code_empty", "");
  employee("employee_invite_as_access_code", invites[0].code);
  {
    v1::RegisterRequest r;
    r.set_access_code(orgs[0].access_code);
    *r.mutable_profile() = GoodProfile();
    w.Write("employee_with_profile", none, r);
  }
  auto trust_person = [&](const std::string& name, const std::string& code,
                          const v1::TrustPersonProfile& p) {
    v1::RegisterRequest r;
    r.set_invite_code(code);
    *r.mutable_profile() = p;
    w.Write(name, none, r);
  };
  trust_person("tp_invite_a", invites[0].code, GoodProfile());
  trust_person("tp_invite_ab", invites[1].code, GoodProfile());
  trust_person("tp_invite_expired", invites[2].code, GoodProfile());
  trust_person("tp_access_code_as_invite", orgs[0].access_code, GoodProfile());
  {
    v1::RegisterRequest r;
    r.set_invite_code(invites[0].code);
    w.Write("tp_without_profile", none, r);
  }
  auto variant = [&](const std::string& name, auto edit) {
    v1::TrustPersonProfile p = GoodProfile();
    edit(p);
    trust_person(name, invites[0].code, p);
  };
  variant("profile_name_empty", [](auto& p) { p.clear_display_name(); });
  variant("profile_name_120",
          [](auto& p) { p.set_display_name(std::string(120, 'x')); });
  variant("profile_name_121",
          [](auto& p) { p.set_display_name(std::string(121, 'x')); });
  variant("profile_name_tab", [](auto& p) { p.set_display_name("a\tb"); });
  variant("profile_name_newline", [](auto& p) { p.set_display_name("a\nb"); });
  variant("profile_name_del", [](auto& p) { p.set_display_name("a\x7f"); });
  variant("profile_name_c1", [](auto& p) { p.set_display_name("a\xc2\x85"); });
  variant("profile_name_nbsp",
          [](auto& p) { p.set_display_name("a\xc2\xa0z"); });
  variant("profile_name_4byte",
          [](auto& p) { p.set_display_name("\xf0\x9f\x99\x82 Eva"); });
  variant("profile_name_last_codepoint",
          [](auto& p) { p.set_display_name("\xf4\x8f\xbf\xbf"); });
  variant("profile_affiliation_unspecified",
          [](auto& p) { p.clear_affiliation(); });
  variant("profile_affiliation_unknown", [](auto& p) {
    p.set_affiliation(static_cast<v1::TrustPersonAffiliation>(7));
  });
  variant("profile_languages_10", [](auto& p) {
    p.clear_languages();
    for (int i = 0; i < 10; ++i) p.add_languages("nl");
  });
  variant("profile_languages_11", [](auto& p) {
    for (int i = 0; i < 9; ++i) p.add_languages("de");
  });
  variant("profile_language_upper", [](auto& p) { p.add_languages("NL"); });
  variant("profile_language_short", [](auto& p) { p.add_languages("n"); });
  variant("profile_language_9", [](auto& p) { p.add_languages("abcdefghi"); });
  variant("profile_intro_1000",
          [](auto& p) { p.set_intro(std::string(1000, 'i')); });
  variant("profile_intro_1001",
          [](auto& p) { p.set_intro(std::string(1001, 'i')); });
  variant("profile_intro_tab", [](auto& p) { p.set_intro("a\tb"); });
  w.WriteRaw("empty", none, "");
  for (const auto& [name, bytes] : Garbage()) w.WriteRaw(name, none, bytes);
  // Field 1 and 2 of the oneof both present: the last one wins.
  w.WriteRaw("oneof_both", none,
             std::string("\x0a\x05") + "ABCDE" + "\x12\x05" + "FGHJK");
  std::printf("relay_register: %d\n", w.count());
}

// Serialized Curve25519 keys the relay refuses at upload: u of small order
// (0, 1, the two points of order 8, p - 1, and p and p + 1, which are 0 and 1
// again) and encodings not below p.
std::vector<std::pair<std::string, std::string>> DegenerateKeys() {
  auto key = [](std::vector<uint8_t> u) {
    u.resize(32, 0);
    return "\x05" + std::string(u.begin(), u.end());
  };
  auto near_p = [&](uint8_t low, uint8_t high) {
    std::vector<uint8_t> u(32, 0xff);
    u[0] = low;
    u[31] = high;
    return key(u);
  };
  return {
      {"zero", key({0})},
      {"one", key({1})},
      {"order_8_a",
       key({0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
            0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
            0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00})},
      {"order_8_b",
       key({0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1,
            0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c,
            0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57})},
      {"p_minus_1", near_p(0xec, 0x7f)},
      {"p", near_p(0xed, 0x7f)},
      {"p_plus_1", near_p(0xee, 0x7f)},
      {"all_ff", near_p(0xff, 0xff)},
  };
}

void NoFieldRequests(const fs::path& root, const std::string& target) {
  CorpusWriter w(root, target);
  for (int c = 0; c < kCallerCount; ++c) {
    w.WriteRaw("caller_" + std::to_string(c), static_cast<uint8_t>(c), "");
  }
  // Unknown fields are skipped by the parser.
  w.WriteRaw("unknown_field", C(Caller::kEmployeeA), "\x78\x01");
  for (const auto& [name, bytes] : Garbage()) {
    w.WriteRaw(name, C(Caller::kEmployeeA), bytes);
  }
  std::printf("%s: %d\n", target.c_str(), w.count());
}

void UploadKeys(const fs::path& root) {
  CorpusWriter w(root, "relay_upload_keys");
  const FixedXeddsaKey key2(2), key4(4), key5(5);
  auto first = [&](const FixedXeddsaKey& key, uint32_t reg) {
    v1::UploadKeysRequest r;
    r.set_identity_key(key.public_key());
    r.set_registration_id(reg);
    auto* spk = r.mutable_signed_pre_key();
    spk->set_id(1);
    spk->set_public_key(FixedPublicKey(0x6000));
    spk->set_signature(key.Sign(spk->public_key()));
    return r;
  };
  auto add_keys = [](v1::UploadKeysRequest& r, uint32_t from, int n) {
    for (int i = 0; i < n; ++i) {
      auto* k = r.add_one_time_pre_keys();
      k->set_id(from + i);
      k->set_public_key(FixedPublicKey(from + i));
    }
  };
  const uint8_t nokeys = C(Caller::kTrustPersonNoKeys);
  const uint8_t tp_a = C(Caller::kTrustPersonA);
  {
    v1::UploadKeysRequest r = first(key4, 7);
    add_keys(r, 1, 3);
    w.Write("first_upload", nokeys, r);
    w.Write("first_upload_employee_b", C(Caller::kEmployeeB), r);
    w.Write("first_upload_unauthenticated", C(Caller::kWrongSecret), r);
  }
  {
    v1::UploadKeysRequest r = first(key4, 7);
    r.clear_signed_pre_key();
    w.Write("first_upload_without_signed_pre_key", nokeys, r);
    r = first(key4, 0);
    w.Write("first_upload_without_registration_id", nokeys, r);
    r = first(key4, 7);
    r.clear_identity_key();
    w.Write("first_upload_without_identity", nokeys, r);
  }
  {
    v1::UploadKeysRequest r;
    add_keys(r, 10, 2);
    w.Write("add_one_time_keys", tp_a, r);
    w.Write("add_one_time_keys_employee", C(Caller::kEmployeeA), r);
    w.Write("add_one_time_keys_no_keys_yet", nokeys, r);
    r.Clear();
    add_keys(r, 10, 4);
    w.Write("add_past_stored_limit", tp_a, r);
    r.Clear();
    add_keys(r, 10, 7);
    w.Write("add_past_upload_limit", tp_a, r);
    r.Clear();
    add_keys(r, 1, 3);
    w.Write("add_existing_ids", tp_a, r);
    r.Clear();
    add_keys(r, 10, 1);
    add_keys(r, 10, 1);
    w.Write("duplicate_ids", tp_a, r);
    r.Clear();
    add_keys(r, 0xFFFFFF, 1);
    w.Write("id_max", tp_a, r);
    r.Clear();
    add_keys(r, 0x1000000, 1);
    w.Write("id_2_24", tp_a, r);
    r.Clear();
    add_keys(r, 10, 1);
    r.mutable_one_time_pre_keys(0)->set_public_key(std::string(32, '\x05'));
    w.Write("key_32_bytes", tp_a, r);
    r.mutable_one_time_pre_keys(0)->set_public_key("\x06" +
                                                   FixedPublicKey(1).substr(1));
    w.Write("key_type_6", tp_a, r);
  }
  {
    v1::UploadKeysRequest r;
    auto* spk = r.mutable_signed_pre_key();
    spk->set_id(2);
    spk->set_public_key(FixedPublicKey(0x7000));
    spk->set_signature(key2.Sign(spk->public_key()));
    w.Write("rotate_signed_pre_key", tp_a, r);
    r.set_identity_key(key2.public_key());
    w.Write("rotate_signed_pre_key_with_identity", tp_a, r);
    spk->set_signature(key4.Sign(spk->public_key()));
    w.Write("rotate_signed_pre_key_bad_signature", tp_a, r);
    spk->set_signature(key2.Sign(spk->public_key()).substr(0, 63));
    w.Write("signature_63_bytes", tp_a, r);
    spk->set_signature(key2.Sign(spk->public_key()));
    spk->set_id(0x1000000);
    w.Write("signed_pre_key_id_2_24", tp_a, r);
    spk->set_id(2);
    r.set_registration_id(16381);
    w.Write("registration_id_16381", tp_a, r);
    r.set_registration_id(16380);
    w.Write("registration_id_16380", tp_a, r);
  }
  {
    v1::UploadKeysRequest r = first(key5, 9);
    add_keys(r, 20, 2);
    w.Write("identity_differs", tp_a, r);
    r.set_replace_identity(true);
    w.Write("replace_identity", tp_a, r);
    r.clear_registration_id();
    w.Write("replace_identity_without_registration_id", tp_a, r);
    r = first(key5, 9);
    r.set_replace_identity(true);
    r.set_identity_key(std::string(33, '\0'));
    w.Write("replace_identity_zero_key", tp_a, r);
  }
  for (const auto& [name, bad] : DegenerateKeys()) {
    v1::UploadKeysRequest r = first(key4, 7);
    r.set_identity_key(bad);
    w.Write("small_order_identity_" + name, nokeys, r);
    r = first(key4, 7);
    r.mutable_signed_pre_key()->set_public_key(bad);
    r.mutable_signed_pre_key()->set_signature(key4.Sign(bad));
    w.Write("small_order_signed_pre_key_" + name, nokeys, r);
    r.Clear();
    add_keys(r, 10, 2);
    r.mutable_one_time_pre_keys(1)->set_public_key(bad);
    w.Write("small_order_one_time_pre_key_" + name, tp_a, r);
  }
  {
    // The top bit of u set: the same point as without it to X25519, but a
    // second encoding of it; refused.
    v1::UploadKeysRequest r;
    add_keys(r, 10, 1);
    std::string high = FixedPublicKey(10);
    high[32] = static_cast<char>(high[32] | 0x80);
    r.mutable_one_time_pre_keys(0)->set_public_key(high);
    w.Write("one_time_pre_key_top_bit_set", tp_a, r);
  }
  w.WriteRaw("empty", tp_a, "");
  for (const auto& [name, bytes] : Garbage()) w.WriteRaw(name, tp_a, bytes);
  std::printf("relay_upload_keys: %d\n", w.count());
}

void GetPreKeyBundle(const fs::path& root) {
  CorpusWriter w(root, "relay_get_pre_key_bundle");
  auto ask = [&](const std::string& name, Caller caller, const std::string& id,
                 uint32_t device) {
    v1::GetPreKeyBundleRequest r;
    r.set_account_id(id);
    r.set_device_id(device);
    w.Write(name, C(caller), r);
  };
  ask("employee_a_to_tp_a", Caller::kEmployeeA, Acc(Caller::kTrustPersonA).id,
      0);
  ask("employee_a_to_tp_ab", Caller::kEmployeeA, Acc(Caller::kTrustPersonAB).id,
      1);
  ask("employee_a_to_tp_no_keys", Caller::kEmployeeA,
      Acc(Caller::kTrustPersonNoKeys).id, 0);
  ask("employee_a_to_employee_b", Caller::kEmployeeA,
      Acc(Caller::kEmployeeB).id, 0);
  ask("employee_a_to_self", Caller::kEmployeeA, Acc(Caller::kEmployeeA).id, 0);
  ask("employee_b_to_tp_a", Caller::kEmployeeB, Acc(Caller::kTrustPersonA).id,
      0);
  ask("employee_b_to_tp_ab", Caller::kEmployeeB, Acc(Caller::kTrustPersonAB).id,
      0);
  ask("tp_a_to_employee_a", Caller::kTrustPersonA, Acc(Caller::kEmployeeA).id,
      0);
  ask("tp_a_to_tp_ab", Caller::kTrustPersonA, Acc(Caller::kTrustPersonAB).id,
      0);
  ask("tp_ab_to_employee_b", Caller::kTrustPersonAB, Acc(Caller::kEmployeeB).id,
      0);
  ask("unknown_account", Caller::kEmployeeA, std::string(16, '\x66'), 0);
  ask("id_15_bytes", Caller::kEmployeeA, std::string(15, '\x22'), 0);
  ask("id_17_bytes", Caller::kEmployeeA, std::string(17, '\x22'), 0);
  ask("device_2", Caller::kEmployeeA, Acc(Caller::kTrustPersonA).id, 2);
  ask("unauthenticated", Caller::kMalformed, Acc(Caller::kTrustPersonA).id, 0);
  w.WriteRaw("empty", C(Caller::kEmployeeA), "");
  for (const auto& [name, bytes] : Garbage()) {
    w.WriteRaw(name, C(Caller::kEmployeeA), bytes);
  }
  std::printf("relay_get_pre_key_bundle: %d\n", w.count());
}

void ListTrustPersons(const fs::path& root) {
  CorpusWriter w(root, "relay_list_trust_persons");
  const auto& orgs = WorldOrganisations();
  auto list = [&](const std::string& name, Caller caller,
                  const std::string& org) {
    v1::ListTrustPersonsRequest r;
    r.set_organisation_id(org);
    w.Write(name, C(caller), r);
  };
  list("employee_a_own", Caller::kEmployeeA, "");
  list("employee_a_org_a", Caller::kEmployeeA, orgs[0].id);
  list("employee_a_org_b", Caller::kEmployeeA, orgs[1].id);
  list("employee_b_own", Caller::kEmployeeB, "");
  list("tp_ab_without_org", Caller::kTrustPersonAB, "");
  list("tp_ab_org_b", Caller::kTrustPersonAB, orgs[1].id);
  list("tp_no_keys_own", Caller::kTrustPersonNoKeys, "");
  list("org_c", Caller::kEmployeeA, orgs[2].id);
  list("org_upper_case", Caller::kEmployeeA, "A0A0A0A0A0A0A0A0");
  list("org_by_name", Caller::kEmployeeA, orgs[0].name);
  list("unauthenticated", Caller::kNoCredentials, "");
  list("account_header_only", Caller::kAccountOnly, "");
  for (const auto& [name, bytes] : Garbage()) {
    w.WriteRaw(name, C(Caller::kEmployeeA), bytes);
  }
  std::printf("relay_list_trust_persons: %d\n", w.count());
}

void Send(const fs::path& root) {
  CorpusWriter w(root, "relay_send");
  auto send = [&](const std::string& name, Caller caller, const std::string& to,
                  uint32_t device, const std::string& content) {
    v1::SendRequest r;
    r.set_recipient_account_id(to);
    r.set_recipient_device_id(device);
    r.set_content(content);
    w.Write(name, C(caller), r);
  };
  const std::string sealed(160, '\xe5');
  send("employee_a_to_tp_a", Caller::kEmployeeA, Acc(Caller::kTrustPersonA).id,
       0, sealed);
  send("employee_a_to_tp_ab_full", Caller::kEmployeeA,
       Acc(Caller::kTrustPersonAB).id, 1, sealed);
  send("employee_a_to_tp_no_keys", Caller::kEmployeeA,
       Acc(Caller::kTrustPersonNoKeys).id, 0, sealed);
  send("employee_a_to_employee_b", Caller::kEmployeeA,
       Acc(Caller::kEmployeeB).id, 0, sealed);
  send("employee_b_to_tp_a", Caller::kEmployeeB, Acc(Caller::kTrustPersonA).id,
       0, sealed);
  send("tp_a_to_employee_a", Caller::kTrustPersonA, Acc(Caller::kEmployeeA).id,
       0, sealed);
  send("tp_ab_to_employee_b", Caller::kTrustPersonAB,
       Acc(Caller::kEmployeeB).id, 0, sealed);
  send("tp_a_to_tp_ab", Caller::kTrustPersonA, Acc(Caller::kTrustPersonAB).id,
       0, sealed);
  send("to_self", Caller::kEmployeeA, Acc(Caller::kEmployeeA).id, 0, sealed);
  send("content_empty", Caller::kEmployeeA, Acc(Caller::kTrustPersonA).id, 0,
       "");
  send("content_1_byte", Caller::kEmployeeA, Acc(Caller::kTrustPersonA).id, 0,
       "x");
  send("content_1024", Caller::kEmployeeA, Acc(Caller::kTrustPersonA).id, 0,
       std::string(1024, 'c'));
  send("content_1025", Caller::kEmployeeA, Acc(Caller::kTrustPersonA).id, 0,
       std::string(1025, 'c'));
  send("device_2", Caller::kEmployeeA, Acc(Caller::kTrustPersonA).id, 2,
       sealed);
  send("recipient_15_bytes", Caller::kEmployeeA, std::string(15, '\x22'), 0,
       sealed);
  send("recipient_unknown", Caller::kEmployeeA, std::string(16, '\x66'), 0,
       sealed);
  send("unauthenticated", Caller::kWrongSecret, Acc(Caller::kTrustPersonA).id,
       0, sealed);
  w.WriteRaw("empty", C(Caller::kEmployeeA), "");
  for (const auto& [name, bytes] : Garbage()) {
    w.WriteRaw(name, C(Caller::kEmployeeA), bytes);
  }
  std::printf("relay_send: %d\n", w.count());
}

void Receive(const fs::path& root) {
  CorpusWriter w(root, "relay_receive");
  for (int c = 0; c < kCallerCount; ++c) {
    w.WriteRaw("caller_" + std::to_string(c), static_cast<uint8_t>(c), "");
  }
  auto receive = [&](const std::string& name, Caller caller, uint32_t device,
                     const std::string& account) {
    v1::ReceiveRequest r;
    r.set_device_id(device);
    r.set_account_id(account);
    w.Write(name, C(caller), r);
  };
  receive("device_1", Caller::kTrustPersonA, 1, "");
  receive("device_2", Caller::kTrustPersonA, 2, "");
  receive("own_account", Caller::kTrustPersonAB, 0,
          Acc(Caller::kTrustPersonAB).id);
  receive("other_account", Caller::kEmployeeA, 0,
          Acc(Caller::kTrustPersonA).id);
  receive("account_15_bytes", Caller::kEmployeeA, 0, std::string(15, '\x11'));
  for (const auto& [name, bytes] : Garbage()) {
    w.WriteRaw(name, C(Caller::kTrustPersonA), bytes);
  }
  std::printf("relay_receive: %d\n", w.count());
}

void Ack(const fs::path& root) {
  CorpusWriter w(root, "relay_ack");
  auto ack = [&](const std::string& name, Caller caller,
                 const std::vector<uint64_t>& seqs, uint32_t device = 0,
                 const std::string& account = "") {
    v1::AckRequest r;
    for (uint64_t s : seqs) r.add_seqs(s);
    r.set_device_id(device);
    r.set_account_id(account);
    w.Write(name, C(caller), r);
  };
  ack("one", Caller::kEmployeeA, {1});
  ack("all", Caller::kTrustPersonA, {1, 2, 3});
  ack("repeated_and_unknown", Caller::kTrustPersonA, {2, 2, 9, 0});
  ack("none", Caller::kEmployeeA, {});
  ack("max_seq", Caller::kEmployeeA, {UINT64_MAX});
  std::vector<uint64_t> many(1000, 1);
  ack("1000", Caller::kEmployeeA, many);
  many.push_back(2);
  ack("1001", Caller::kEmployeeA, many);
  ack("device_2", Caller::kEmployeeA, {1}, 2);
  ack("own_account", Caller::kEmployeeA, {1}, 1, Acc(Caller::kEmployeeA).id);
  ack("other_account", Caller::kEmployeeA, {1}, 1,
      Acc(Caller::kTrustPersonA).id);
  ack("empty_mailbox", Caller::kEmployeeB, {1});
  ack("unauthenticated", Caller::kUnknownAccount, {1});
  // seqs not packed: field 2, varint, twice.
  w.WriteRaw("unpacked", C(Caller::kTrustPersonA),
             std::string("\x10\x01\x10\x03", 4));
  for (const auto& [name, bytes] : Garbage()) {
    w.WriteRaw(name, C(Caller::kEmployeeA), bytes);
  }
  std::printf("relay_ack: %d\n", w.count());
}

void Admin(const fs::path& root) {
  CorpusWriter w(root, "admin");
  const auto& orgs = WorldOrganisations();
  enum : uint8_t {
    kCreate,
    kList,
    kRotate,
    kInvite,
    kStats,
    kBackupMemory,
    kBackupRocksDb
  };
  auto create = [&](const std::string& name, const std::string& org_name) {
    v1::CreateOrganisationRequest r;
    r.set_name(org_name);
    w.Write("create_" + name, kCreate, r);
  };
  create("new", "Zorginstelling Noord");
  create("clash_case", "gemeente VOORBEELD");
  create("empty", "");
  create("120", std::string(120, 'n'));
  create("121", std::string(121, 'n'));
  create("control", "a\x01z");
  create("line_separator", "a\xe2\x80\xa8z");
  create("c1", "a\xc2\x9fz");
  create("accents", "Caf\xc3\xa9 \xc3\x89\xc3\xa9n");
  create("non_ascii_case", "CAF\xc3\x89");
  w.WriteRaw("list", kList, "");
  auto rotate = [&](const std::string& name, const std::string& ref) {
    v1::RotateAccessCodeRequest r;
    r.set_organisation(ref);
    w.Write("rotate_" + name, kRotate, r);
  };
  rotate("by_id", orgs[0].id);
  rotate("by_name", orgs[1].name);
  rotate("by_name_wrong_case", "stichting tweede");
  rotate("unknown_id", "ffffffffffffffff");
  rotate("id_upper_case", "A0A0A0A0A0A0A0A0");
  rotate("empty", "");
  rotate("control", "x\x02");
  auto invite = [&](const std::string& name,
                    const std::vector<std::string>& refs, uint32_t days) {
    v1::CreateInviteRequest r;
    for (const auto& ref : refs) r.add_organisations(ref);
    r.set_valid_days(days);
    w.Write("invite_" + name, kInvite, r);
  };
  invite("one", {orgs[0].id}, 0);
  invite("two_by_name", {orgs[0].name, orgs[1].name}, 30);
  invite("duplicate", {orgs[0].id, orgs[0].name}, 1);
  invite("none", {}, 0);
  invite("31_days", {orgs[0].id}, 31);
  invite("unknown", {orgs[0].id, "Onbekend"}, 0);
  invite("empty_ref", {""}, 0);
  invite("51", std::vector<std::string>(51, orgs[2].id), 0);
  invite("50", std::vector<std::string>(50, orgs[2].id), 0);
  w.WriteRaw("stats", kStats, "");
  auto backup = [&](const std::string& name, uint8_t method,
                    const std::string& target) {
    v1::BackupRequest r;
    r.set_target_dir(target);
    w.Write("backup_" + name, method, r);
  };
  for (uint8_t m : {kBackupMemory, kBackupRocksDb}) {
    const std::string kind = m == kBackupMemory ? "memory_" : "rocksdb_";
    backup(kind + "new_dir", m, "/backup-1");
    backup(kind + "trailing_slash", m, "/backup-2/");
    backup(kind + "dots", m, "/./b3/.");
    backup(kind + "missing_parent", m, "/missing/backup");
    backup(kind + "existing", m, "/");
    backup(kind + "relative", m, "backup");
    backup(kind + "empty", m, "");
    backup(kind + "nul", m, std::string("/a\0b", 4));
    backup(kind + "long", m, "/" + std::string(4100, 'p'));
  }
  for (const auto& [name, bytes] : Garbage()) w.WriteRaw(name, kCreate, bytes);
  std::printf("admin: %d\n", w.count());
}

// Inputs that reproduced findings, kept in the corpora once fixed so every
// build replays them (docs/fuzzing.md, Findings).
void Findings(const fs::path& root) {
  CorpusWriter w(root, "relay_register");
  // A valid trust-person registration whose profile also holds field 15,
  // which TrustPersonProfile does not have: 2000 bytes that ValidateProfile
  // never sees, twice the intro limit. Encoded by hand (the generated
  // classes cannot make unknown fields).
  const std::string hidden(2000, 'h');
  std::string field = "\x7a";  // field 15, length-delimited
  field += static_cast<char>(0x80 | (hidden.size() & 0x7f));
  field += static_cast<char>(hidden.size() >> 7);
  field += hidden;
  std::string profile = GoodProfile().SerializeAsString() + field;
  std::string request =
      "\x12" +
      std::string(1, static_cast<char>(WorldInvites()[0].code.size())) +
      WorldInvites()[0].code;
  request += "\x1a";
  request += static_cast<char>(0x80 | (profile.size() & 0x7f));
  request += static_cast<char>(profile.size() >> 7);
  request += profile;
  w.WriteRaw("profile_unknown_fields", C(Caller::kNoCredentials), request);
  std::printf("fixed findings (relay_register): %d\n", w.count());
}

}  // namespace
}  // namespace confidant::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  namespace f = ::confidant::fuzz;
  const std::filesystem::path root(argv[1]);
  f::Register(root);
  f::NoFieldRequests(root, "relay_get_account");
  f::UploadKeys(root);
  f::GetPreKeyBundle(root);
  f::NoFieldRequests(root, "relay_get_pre_key_count");
  f::NoFieldRequests(root, "relay_get_relay_keys");
  f::NoFieldRequests(root, "relay_get_sender_certificate");
  f::ListTrustPersons(root);
  f::Send(root);
  f::Receive(root);
  f::Ack(root);
  f::Admin(root);
  f::Findings(root);
  return 0;
}
