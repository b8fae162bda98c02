package event

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	ReasonEventCancelled       = "EVENT_CANCELLED"
	ReasonEventEvaluated       = "EVENT_EVALUATED"
	ReasonNotAFair             = "NOT_A_FAIR"
	RuleCapacityNonNegative    = "capacity.non_negative"
	RuleDatesRequired          = "dates.required"
	RuleFairKind               = "fair.kind"
	RuleKindRequired           = "kind.required"
	RuleProvinceOutsideChamber = "province.outside_chamber"
	RuleQuotaBooths            = "quota.booths"
	RuleQuotaCriterion         = "quota.criterion"
	RuleQuotaDuplicate         = "quota.duplicate"
	RuleQuotaLimit             = "quota.limit"
	RuleScopeUnknown           = "scope.unknown"
)
