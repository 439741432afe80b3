// Who may do what in a case, written once: the messenger asks it before it
// queues an event of ours and again when one arrives (an event from the
// wrong side is dropped), and the app before it changes anything.
//
// A case is between an employee and a trust person. The trust person shares
// a status, acknowledges receipt, proposes appointments and hand-overs, and
// blocks; the employee answers proposals, consents to a hand-over, and opens
// the new case with the history they choose to forward.
#ifndef CONFIDANT_CLIENT_CASE_POLICY_H_
#define CONFIDANT_CLIENT_CASE_POLICY_H_

#include <cstddef>

#include "absl/status/status.h"
#include "client/transport.h"
#include "confidant/client/v1/message.pb.h"

namespace confidant::client {

// Limits of events (bytes of UTF-8).
inline constexpr size_t kMaxEventNoteBytes = 1000;
inline constexpr size_t kMaxPlaceBytes = 200;
inline constexpr size_t kMaxSlots = 3;
inline constexpr uint32_t kMinSlotMinutes = 5;
inline constexpr uint32_t kMaxSlotMinutes = 480;

// The other side of a case.
AccountKind PeerKind(AccountKind own);

// OK if `sender` may send `event`; PERMISSION_DENIED otherwise. An unset
// event is INVALID_ARGUMENT.
absl::Status MaySend(AccountKind sender, const v1::CaseEvent& event);

// OK if `event` is well-formed: ids of 16 bytes, texts UTF-8 within their
// limits, 1..kMaxSlots slots with a known mode, a place exactly for
// ON_LOCATION, known enum values. INVALID_ARGUMENT says what is wrong.
absl::Status Validate(const v1::CaseEvent& event);

// Whether an event of this kind may be the first entry of a case, which
// only the employee's side can open (a trust person's first contact is text
// and flagged as unsolicited).
bool MayOpenCase(const v1::CaseEvent& event);

// Case files, blocking, purging and the report are the trust person's:
// PERMISSION_DENIED for anyone else.
absl::Status MayKeepCaseFiles(AccountKind kind);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_CASE_POLICY_H_
