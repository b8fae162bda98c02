package item

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	ReasonItemArchived      = "ITEM_ARCHIVED"
	ReasonItemInStock       = "ITEM_IN_STOCK"
	RuleDisplayNameLength   = "display_name.length"
	RuleQuantityNonNegative = "quantity.non_negative"
	RuleStateUnknown        = "state.unknown"
)
