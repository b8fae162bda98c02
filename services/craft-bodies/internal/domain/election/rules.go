package election

// Field rules and reasons of this package (ErrorInfo reason, BadRequest
// rule), each catalogued with its Arabic and French message.
const (
	ReasonOfficeExists     = "OFFICE_EXISTS"
	RuleCandidatesRequired = "candidates.required"
	RuleCandidatesUnique   = "candidates.unique"
	RulePositionPositive   = "position.positive"
)
