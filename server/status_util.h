// The one place where absl::Status becomes grpc::Status. The codes share
// their numbering, so the mapping keeps code and message unchanged.
#ifndef CONFIDANT_SERVER_STATUS_UTIL_H_
#define CONFIDANT_SERVER_STATUS_UTIL_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace confidant::server {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace confidant::server

#endif  // CONFIDANT_SERVER_STATUS_UTIL_H_
