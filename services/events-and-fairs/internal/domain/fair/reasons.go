package fair

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	ReasonAllocationClosed       = "ALLOCATION_CLOSED"
	ReasonApplicantNotActive     = "APPLICANT_NOT_ACTIVE"
	ReasonApplicantNotFound      = "APPLICANT_NOT_FOUND"
	ReasonApplicantNotRegistered = "APPLICANT_NOT_REGISTERED"
	ReasonApplicantNotVisible    = "APPLICANT_NOT_VISIBLE"
	ReasonApplicantStruckOff     = "APPLICANT_STRUCK_OFF"
	ReasonApplicationsClosed     = "APPLICATIONS_CLOSED"
	ReasonApplicationExists      = "APPLICATION_EXISTS"
	ReasonBoothsExhausted        = "BOOTHS_EXHAUSTED"
	ReasonBoothsFrozen           = "BOOTHS_FROZEN"
	ReasonBoothsReserved         = "BOOTHS_RESERVED"
	ReasonBoothAllocated         = "BOOTH_ALLOCATED"
	ReasonBoothAlreadyAllocated  = "BOOTH_ALREADY_ALLOCATED"
	ReasonBoothNumberTaken       = "BOOTH_NUMBER_TAKEN"
	ReasonCountsNotOpen          = "COUNTS_NOT_OPEN"
	ReasonCraftNotAdmitted       = "CRAFT_NOT_ADMITTED"
	ReasonExhibitorNotAccepted   = "EXHIBITOR_NOT_ACCEPTED"
	ReasonQuotaExceeded          = "QUOTA_EXCEEDED"
	ReasonSalesNotOpen           = "SALES_NOT_OPEN"
	ReasonSelectionClosed        = "SELECTION_CLOSED"
	RuleApplicantCollection      = "applicant.collection"
	RuleApplicantName            = "applicant.name"
	RuleBoothArea                = "booth.area"
	RuleBoothNumberRequired      = "booth.number.required"
	RuleBoothOtherFair           = "booth.other_fair"
	RuleDateOutsideEvent         = "date.outside_event"
	RuleDateRequired             = "date.required"
	RuleVisitorsNonNegative      = "visitors.non_negative"
)
