package registration

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	ReasonAlreadyCheckedIn       = "ALREADY_CHECKED_IN"
	ReasonEventNotRunning        = "EVENT_NOT_RUNNING"
	ReasonNotASession            = "NOT_A_SESSION"
	ReasonRegistrationCancelled  = "REGISTRATION_CANCELLED"
	ReasonRegistrationClosed     = "REGISTRATION_CLOSED"
	ReasonRegistrationWaitlisted = "REGISTRATION_WAITLISTED"
	ReasonUnknownCheckInCode     = "UNKNOWN_CHECK_IN_CODE"
)
