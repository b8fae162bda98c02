package activity

// Error reasons and field rules of the activity nomenclature.
// Their Arabic and French messages are in the registry's catalogue
// (ports/grpcport/catalog.go).
const (
	// RuleCodeFormat: an activity code is not 1–24 capitals, digits or dots.
	RuleCodeFormat = "code.format"
	// ReasonActivityExists: the nomenclature already has the code.
	ReasonActivityExists = "ACTIVITY_EXISTS"
)
