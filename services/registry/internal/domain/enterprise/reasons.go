package enterprise

// Error reasons and field rules of enterprises.
// Their Arabic and French messages are in the registry's catalogue
// (ports/grpcport/catalog.go).
const (
	// RuleICEFormat: the ICE is not 15 digits.
	RuleICEFormat = "ice.format"
	// RuleSupervisingArtisanUnknown: the supervising artisan is not in the register.
	RuleSupervisingArtisanUnknown = "supervising_artisan.unknown"
	// ReasonSupervisorNotRegistered: the supervising artisan is not REGISTERED.
	ReasonSupervisorNotRegistered = "SUPERVISOR_NOT_REGISTERED"
	// ReasonICEAlreadyRegistered: an active enterprise already holds the ICE.
	ReasonICEAlreadyRegistered = "ICE_ALREADY_REGISTERED"
)
