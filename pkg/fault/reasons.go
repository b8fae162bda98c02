package fault

// Reasons and rule ids shared by every service. A service's own reasons are
// constants in its domain packages; all of them, with their Arabic and French
// messages, are listed in the catalogue (package catalog).
const (
	// ReasonInvalidArgument is the ErrorInfo reason of a request with field
	// violations that carry no rule id.
	ReasonInvalidArgument = "INVALID_ARGUMENT"
	// ReasonNotFound: the resource does not exist or is not the caller's.
	ReasonNotFound = "NOT_FOUND"
	// ReasonEtagMismatch: the caller's etag is stale.
	ReasonEtagMismatch = "ETAG_MISMATCH"
	// ReasonPermissionDenied: the caller may not perform the action.
	ReasonPermissionDenied = "PERMISSION_DENIED"
	// ReasonUnavailable: a dependency is down; retry.
	ReasonUnavailable = "UNAVAILABLE"
	// ReasonInternal: an unexpected failure, logged with the trace id.
	ReasonInternal = "INTERNAL"
	// ReasonIllegalTransition: the state machine forbids the action.
	ReasonIllegalTransition = "ILLEGAL_TRANSITION"
	// ReasonUnknownAction: an action the aggregate does not know.
	ReasonUnknownAction = "UNKNOWN_ACTION"
	// ReasonNotDeletable: the resource's state forbids its deletion.
	ReasonNotDeletable = "NOT_DELETABLE"
)

// Field rule ids shared by every service (BadRequest field violation reasons).
const (
	RuleRequired          = "required"
	RuleDate              = "date"
	RuleDatesOrder        = "dates.order"
	RuleDateFuture        = "date.future"
	RuleResourceName      = "resource_name"
	RuleMoneyNonNegative  = "money.non_negative"
	RuleProvinceUnknown   = "province.unknown"
	RulePageSize          = "page_size.non_negative"
	RuleFilterInvalid     = "filter.invalid"
	RuleFilterUnsupported = "filter.unsupported"
	RulePageToken         = "page_token.invalid"
	RuleOrderBySyntax     = "order_by.syntax"
	RuleOrderByField      = "order_by.field"
	RuleUpdateMaskPath    = "update_mask.path"
)

// Refusals of the tenancy rules. The ErrorInfo reason of a DeniedError stays
// PERMISSION_DENIED; these name its message in the catalogue.
const (
	ReasonAuthenticationRequired = "AUTHENTICATION_REQUIRED"
	ReasonReadOnlyRole           = "READ_ONLY_ROLE"
	ReasonNationalReadsOnly      = "NATIONAL_READS_ONLY"
	ReasonReferenceDataMinistry  = "REFERENCE_DATA_MINISTRY"
)
