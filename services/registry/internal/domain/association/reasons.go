package association

// Error reasons and field rules of associations.
// Their Arabic and French messages are in the registry's catalogue
// (ports/grpcport/catalog.go).
const (
	// RuleReceiptOrder: the definitive receipt predates the provisional one.
	RuleReceiptOrder = "receipt.order"
	// ReasonDefinitiveReceiptMissing: activation needs the definitive receipt date.
	ReasonDefinitiveReceiptMissing = "DEFINITIVE_RECEIPT_MISSING"
)
