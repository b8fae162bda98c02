package service

import "github.com/hirfa/hirfa/pkg/tenancy"

// Policy is the registry's role × method table (rendered in README.md). Every
// registered method must appear here; a method that does not is refused.
var Policy = tenancy.Policy{
	"/hirfa.registry.v1.ReferenceService/ListRegions":    tenancy.Public,
	"/hirfa.registry.v1.ReferenceService/ListProvinces":  tenancy.Public,
	"/hirfa.registry.v1.ReferenceService/ListChambers":   tenancy.Public,
	"/hirfa.registry.v1.ReferenceService/GetChamber":     tenancy.Public,
	"/hirfa.registry.v1.ReferenceService/ListActivities": tenancy.Public,
	"/hirfa.registry.v1.ReferenceService/GetActivity":    tenancy.Public,
	"/hirfa.registry.v1.ReferenceService/CreateActivity": tenancy.Reference,
	"/hirfa.registry.v1.ReferenceService/UpdateActivity": tenancy.Reference,

	"/hirfa.registry.v1.ArtisanService/GetArtisan":       tenancy.Read,
	"/hirfa.registry.v1.ArtisanService/ListArtisans":     tenancy.Read,
	"/hirfa.registry.v1.ArtisanService/CreateArtisan":    tenancy.Write,
	"/hirfa.registry.v1.ArtisanService/UpdateArtisan":    tenancy.Write,
	"/hirfa.registry.v1.ArtisanService/DeleteArtisan":    tenancy.Write,
	"/hirfa.registry.v1.ArtisanService/RegisterArtisan":  tenancy.Write,
	"/hirfa.registry.v1.ArtisanService/SuspendArtisan":   tenancy.Write,
	"/hirfa.registry.v1.ArtisanService/ReinstateArtisan": tenancy.Write,
	"/hirfa.registry.v1.ArtisanService/StrikeOffArtisan": tenancy.Write,
	"/hirfa.registry.v1.ArtisanService/MergeArtisan":     tenancy.Merge,

	"/hirfa.registry.v1.CooperativeService/GetCooperative":         tenancy.Read,
	"/hirfa.registry.v1.CooperativeService/ListCooperatives":       tenancy.Read,
	"/hirfa.registry.v1.CooperativeService/CreateCooperative":      tenancy.Write,
	"/hirfa.registry.v1.CooperativeService/UpdateCooperative":      tenancy.Write,
	"/hirfa.registry.v1.CooperativeService/DeleteCooperative":      tenancy.Write,
	"/hirfa.registry.v1.CooperativeService/RegisterCooperative":    tenancy.Write,
	"/hirfa.registry.v1.CooperativeService/ActivateCooperative":    tenancy.Write,
	"/hirfa.registry.v1.CooperativeService/MarkDormantCooperative": tenancy.Write,
	"/hirfa.registry.v1.CooperativeService/ReactivateCooperative":  tenancy.Write,
	"/hirfa.registry.v1.CooperativeService/LiquidateCooperative":   tenancy.Write,
	"/hirfa.registry.v1.CooperativeService/DissolveCooperative":    tenancy.Write,

	"/hirfa.registry.v1.AssociationService/GetAssociation":          tenancy.Read,
	"/hirfa.registry.v1.AssociationService/ListAssociations":        tenancy.Read,
	"/hirfa.registry.v1.AssociationService/CreateAssociation":       tenancy.Write,
	"/hirfa.registry.v1.AssociationService/UpdateAssociation":       tenancy.Write,
	"/hirfa.registry.v1.AssociationService/ActivateAssociation":     tenancy.Write,
	"/hirfa.registry.v1.AssociationService/MarkStagnantAssociation": tenancy.Write,
	"/hirfa.registry.v1.AssociationService/ReactivateAssociation":   tenancy.Write,
	"/hirfa.registry.v1.AssociationService/DissolveAssociation":     tenancy.Write,

	"/hirfa.registry.v1.EnterpriseService/GetEnterprise":    tenancy.Read,
	"/hirfa.registry.v1.EnterpriseService/ListEnterprises":  tenancy.Read,
	"/hirfa.registry.v1.EnterpriseService/CreateEnterprise": tenancy.Write,
	"/hirfa.registry.v1.EnterpriseService/UpdateEnterprise": tenancy.Write,
	"/hirfa.registry.v1.EnterpriseService/CloseEnterprise":  tenancy.Write,

	"/hirfa.registry.v1.AuditService/ListAuditRecords": tenancy.Audit,

	"/hirfa.registry.v1.RegistrantService/LookupRegistrant":    tenancy.Lookup,
	"/hirfa.registry.v1.RegistrantService/ListRegistrantFacts": tenancy.Read,

	"/hirfa.registry.v1.ImportService/CreateImportOperation":         tenancy.Write,
	"/hirfa.registry.v1.ImportService/GetImportOperation":            tenancy.Read,
	"/hirfa.registry.v1.ImportService/ListImportOperations":          tenancy.Read,
	"/hirfa.registry.v1.ImportService/DownloadImportReport":          tenancy.Read,
	"/hirfa.registry.v1.ImportService/GetImportMapping":              tenancy.Read,
	"/hirfa.registry.v1.ImportService/UpdateImportMapping":           tenancy.Write,
	"/hirfa.registry.v1.CooperativeNameService/CheckCooperativeName": tenancy.Public,

	"/hirfa.registry.v1.DuplicateService/ListDuplicateCandidates":   tenancy.Read,
	"/hirfa.registry.v1.DuplicateService/DismissDuplicateCandidate": tenancy.Merge,

	"/hirfa.registry.v1.NameRequestService/CreateNameRequest":       tenancy.Write,
	"/hirfa.registry.v1.NameRequestService/GetNameRequest":          tenancy.Names,
	"/hirfa.registry.v1.NameRequestService/ListNameRequests":        tenancy.Names,
	"/hirfa.registry.v1.NameRequestService/ApproveNameRequest":      tenancy.NameDecision,
	"/hirfa.registry.v1.NameRequestService/RejectNameRequest":       tenancy.NameDecision,
	"/hirfa.registry.v1.NameRequestService/WithdrawNameRequest":     tenancy.Write,
	"/hirfa.registry.v1.NameRequestService/DownloadNameCertificate": tenancy.Names,
}
