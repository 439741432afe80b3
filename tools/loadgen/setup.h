// Populating a relay before measuring: an organisation (through the real
// confidant-admin), employees registered with its access code, trust persons
// registered with one-time invites and holding uploaded keys.
#ifndef CONFIDANT_TOOLS_LOADGEN_SETUP_H_
#define CONFIDANT_TOOLS_LOADGEN_SETUP_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confidant/v1/admin.pb.h"
#include "tools/loadgen/client.h"

namespace confidant::loadgen {

// Runs `confidant-admin --data-dir DIR --json ...` and parses its answer.
class AdminTool {
 public:
  AdminTool(std::string binary, std::string data_dir)
      : binary_(std::move(binary)), data_dir_(std::move(data_dir)) {}

  absl::StatusOr<v1::CreateOrganisationResponse> CreateOrganisation(
      const std::string& name) const;
  // A one-time trust-person invite for the organisation (id or name).
  absl::StatusOr<std::string> CreateInvite(const std::string& org) const;
  absl::StatusOr<v1::GetStatsResponse> Stats() const;

 private:
  absl::StatusOr<std::string> Run(const std::vector<std::string>& args) const;

  std::string binary_;
  std::string data_dir_;
};

struct SetupOptions {
  absl::Duration rpc_timeout = absl::Seconds(30);
  int concurrency = 32;  // registrations in flight
};

// Registers `count` employees with `access_code`, spreading calls over
// `endpoints`.
absl::StatusOr<std::vector<Account>> RegisterEmployees(
    const std::vector<std::unique_ptr<Endpoint>>& endpoints,
    const std::string& access_code, size_t count, const SetupOptions& options,
    absl::Time deadline);

// Creates one invite per trust person with `admin`, registers them and
// uploads keys (identity, a signed pre-key with a valid XEdDSA signature, ten
// one-time pre-keys), so that they are listed in the directory.
absl::StatusOr<std::vector<Account>> RegisterTrustPersons(
    Endpoint& endpoint, const AdminTool& admin, const std::string& org,
    size_t count, const SetupOptions& options, absl::Time deadline);

// Checks that `employee` sees exactly `expected` trust persons.
absl::Status CheckDirectory(Endpoint& endpoint, const Account& employee,
                            size_t expected, absl::Duration timeout);

}  // namespace confidant::loadgen

#endif  // CONFIDANT_TOOLS_LOADGEN_SETUP_H_
