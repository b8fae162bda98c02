package service

import "github.com/hirfa/hirfa/pkg/tenancy"

// Policy is the role × method table of desk (rendered in README.md):
// requests are read by every role (chamber roles in their own chamber,
// checked per object by the tenancy guard) and handled by chamber clerks
// and admins; mediation cases have the narrower `mediation` permission —
// the chamber's admins and clerks, and among clerks only a case's assigned
// mediator sees it (tenancy.Guard.Mediate, per case). Every registered
// method must appear here; one that does not is refused. Archived
// documents follow their owner's access (a mediation case's documents its
// case's). Professional cards are issued by chamber staff and read like
// requests, revoked only by chamber admins; their public verification
// needs no token.
var Policy = tenancy.Policy{
	"/hirfa.desk.v1.ServiceRequestService/GetServiceRequest":          tenancy.Read,
	"/hirfa.desk.v1.ServiceRequestService/ListServiceRequests":        tenancy.Read,
	"/hirfa.desk.v1.ServiceRequestService/CreateServiceRequest":       tenancy.Write,
	"/hirfa.desk.v1.ServiceRequestService/StudyServiceRequest":        tenancy.Write,
	"/hirfa.desk.v1.ServiceRequestService/AnswerServiceRequest":       tenancy.Write,
	"/hirfa.desk.v1.ServiceRequestService/ForwardServiceRequest":      tenancy.Write,
	"/hirfa.desk.v1.ServiceRequestService/CloseServiceRequest":        tenancy.Write,
	"/hirfa.desk.v1.MediationCaseService/GetMediationCase":            tenancy.Mediation,
	"/hirfa.desk.v1.MediationCaseService/ListMediationCases":          tenancy.Mediation,
	"/hirfa.desk.v1.MediationCaseService/CreateMediationCase":         tenancy.Mediation,
	"/hirfa.desk.v1.MediationCaseService/AddMediationSession":         tenancy.Mediation,
	"/hirfa.desk.v1.MediationCaseService/CloseMediationCase":          tenancy.Mediation,
	"/hirfa.desk.v1.DocumentService/UploadDocument":                   tenancy.Write,
	"/hirfa.desk.v1.DocumentService/GetDocument":                      tenancy.Read,
	"/hirfa.desk.v1.DocumentService/ListDocuments":                    tenancy.Read,
	"/hirfa.desk.v1.DocumentService/DownloadDocument":                 tenancy.Read,
	"/hirfa.desk.v1.DocumentService/DeleteDocument":                   tenancy.Write,
	"/hirfa.desk.v1.ProfessionalCardService/IssueProfessionalCard":    tenancy.Write,
	"/hirfa.desk.v1.ProfessionalCardService/GetProfessionalCard":      tenancy.Read,
	"/hirfa.desk.v1.ProfessionalCardService/ListProfessionalCards":    tenancy.Read,
	"/hirfa.desk.v1.ProfessionalCardService/DownloadProfessionalCard": tenancy.Read,
	"/hirfa.desk.v1.ProfessionalCardService/RevokeProfessionalCard":   tenancy.Admin,
	// The national list of request types: every role reads it, the
	// ministry maintains it (requests counted by type mean the same in
	// every chamber).
	"/hirfa.desk.v1.RequestTypeService/ListRequestTypes":      tenancy.Read,
	"/hirfa.desk.v1.RequestTypeService/GetRequestType":        tenancy.Read,
	"/hirfa.desk.v1.RequestTypeService/CreateRequestType":     tenancy.Reference,
	"/hirfa.desk.v1.RequestTypeService/UpdateRequestType":     tenancy.Reference,
	"/hirfa.desk.v1.RequestTypeService/DeactivateRequestType": tenancy.Reference,
	// Anyone holding a card's QR code checks it, without a token; the
	// answer carries no personal data and the edge rate-limits it.
	"/hirfa.desk.v1.VerificationService/GetVerification": tenancy.Public,
}
