package namerequest

// Error reasons and field rules of name requests.
// Their Arabic and French messages are in the registry's catalogue
// (ports/grpcport/catalog.go).
const (
	// RuleNamesCount: a request proposes from one to three names.
	RuleNamesCount = "names.count"
	// RuleNamesRepeat: a proposed name repeats an earlier one.
	RuleNamesRepeat = "names.repeat"
	// RuleNameTooLong: a proposed name is longer than allowed.
	RuleNameTooLong = "name.too_long"
	// RuleApprovedNameRange: the approved name is not one of the proposed.
	RuleApprovedNameRange = "approved_name.range"
	// ReasonCertificateUnknown: no approved certificate has that number.
	ReasonCertificateUnknown = "NAME_CERTIFICATE_UNKNOWN"
	// ReasonCertificateUsed: the certificate already founded a cooperative.
	ReasonCertificateUsed = "NAME_CERTIFICATE_USED"
	// ReasonCertificateExpired: the certificate's validity has ended.
	ReasonCertificateExpired = "NAME_CERTIFICATE_EXPIRED"
	// ReasonCertificateOtherName: the certificate approves another name.
	ReasonCertificateOtherName = "NAME_CERTIFICATE_OTHER_NAME"
)
