package artisan

// Error reasons and field rules of artisans.
// Their Arabic and French messages are in the registry's catalogue
// (ports/grpcport/catalog.go).
const (
	// RuleCNIEFormat: the CNIE is not like AB123456.
	RuleCNIEFormat = "cnie.format"
	// RuleBirthDateAge: the birth date gives an age outside 15–110.
	RuleBirthDateAge = "birth_date.age"
	// RuleGraduateDiploma: a GRADUATE artisan without a diploma reference.
	RuleGraduateDiploma = "category.graduate.diploma"
	// RuleExperiencedMinYears: too few years of practice for EXPERIENCED.
	RuleExperiencedMinYears = "category.experienced.min_years"
	// RuleMasterMinYears: too few years of practice for MASTER.
	RuleMasterMinYears = "category.master.min_years"
	// RuleMasterAminCertificate: a MASTER artisan without the amin's certificate.
	RuleMasterAminCertificate = "category.master.amin_certificate"
	// ReasonCNIEAlreadyRegistered: the CNIE is already in a register.
	ReasonCNIEAlreadyRegistered = "CNIE_ALREADY_REGISTERED"
)
