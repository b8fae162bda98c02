package document

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	ReasonRetentionActive = "RETENTION_ACTIVE"
	RuleOwnerChamber      = "owner.chamber"
	RuleFileNameLength    = "file_name.length"
	RuleContentEmpty      = "content.empty"
	RuleContentTooLarge   = "content.too_large"
	RuleContentType       = "content.type"
)
