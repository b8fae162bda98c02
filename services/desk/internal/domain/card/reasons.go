package card

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	RuleArtisanChamber = "artisan.chamber"
	RulePhotoChamber   = "photo.chamber"
	RulePhotoRequired  = "photo.required"
	RuleReasonLength   = "reason.length"
	// ReasonAlreadyRevoked: the card was revoked before (revocation is final).
	ReasonAlreadyRevoked = "CARD_ALREADY_REVOKED"
	// ReasonArtisanNotRegistered: the registry does not hold the artisan as
	// REGISTERED (an applicant, suspended, struck off or merged).
	ReasonArtisanNotRegistered = "ARTISAN_NOT_REGISTERED"
	// ReasonPhotoUnusable: the photo is not a JPEG or PNG document
	// classified PHOTO and attached to the artisan.
	ReasonPhotoUnusable = "PHOTO_UNUSABLE"
)
