package request

// Field rules of this package. Their Arabic and French messages are in the
// service's catalogue (ports/grpcport/catalog.go).
const (
	RuleRequesterRequired   = "requester.required"
	RuleRequesterOne        = "requester.one"
	RuleRequesterRegistrant = "requester.registrant"
	RuleTextLength          = "text.length"
	RuleAnswerLanguage      = "answer.language"
)
