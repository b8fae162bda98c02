package place

// Error reasons and field rules of places (chamber, province, activity).
// Their Arabic and French messages are in the registry's catalogue
// (ports/grpcport/catalog.go).
const (
	// RuleActivityUnknown: the activity is not in the nomenclature, or is retired.
	RuleActivityUnknown = "activity.unknown"
	// RuleActivitySample: the activity is an invented code of the sample
	// nomenclature, which only the demo profile may use.
	RuleActivitySample = "activity.sample"
	// RuleProvinceOutsideRegion: the province is outside the chamber's region.
	RuleProvinceOutsideRegion = "province.outside_region"
	// ReasonNotARegionalChamber: the chamber keeps no register.
	ReasonNotARegionalChamber = "NOT_A_REGIONAL_CHAMBER"
)
