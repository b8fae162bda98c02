package service

import "github.com/hirfa/hirfa/pkg/tenancy"

// Policy is the role × method table of craft-bodies (rendered in
// README.md): reads for every role (chamber roles in their own chamber,
// checked per object by the tenancy guard; the ministry and the federation
// read every chamber's bodies), writes for chamber clerks and admins in
// their own chamber (national bodies: the federation's own clerks and
// admins, chamber "federation"). Every registered method must appear here;
// one that does not is refused.
var Policy = tenancy.Policy{
	"/hirfa.craftbodies.v1.ProgrammeService/GetProgramme":    tenancy.Read,
	"/hirfa.craftbodies.v1.ProgrammeService/ListProgrammes":  tenancy.Read,
	"/hirfa.craftbodies.v1.ProgrammeService/CreateProgramme": tenancy.Write,
	"/hirfa.craftbodies.v1.ProgrammeService/UpdateProgramme": tenancy.Write,

	"/hirfa.craftbodies.v1.CraftBodyService/GetCraftBody":           tenancy.Read,
	"/hirfa.craftbodies.v1.CraftBodyService/ListCraftBodies":        tenancy.Read,
	"/hirfa.craftbodies.v1.CraftBodyService/CreateCraftBody":        tenancy.Write,
	"/hirfa.craftbodies.v1.CraftBodyService/StartAwareness":         tenancy.Write,
	"/hirfa.craftbodies.v1.CraftBodyService/FormCommittee":          tenancy.Write,
	"/hirfa.craftbodies.v1.CraftBodyService/TakeCensus":             tenancy.Write,
	"/hirfa.craftbodies.v1.CraftBodyService/GetCensus":              tenancy.Read,
	"/hirfa.craftbodies.v1.CraftBodyService/ListCensusMembers":      tenancy.Read,
	"/hirfa.craftbodies.v1.CraftBodyService/ActivateCraftBody":      tenancy.Write,
	"/hirfa.craftbodies.v1.CraftBodyService/DissolveCraftBody":      tenancy.Write,
	"/hirfa.craftbodies.v1.CraftBodyService/CreateAwarenessMeeting": tenancy.Write,
	"/hirfa.craftbodies.v1.CraftBodyService/GetAwarenessMeeting":    tenancy.Read,
	"/hirfa.craftbodies.v1.CraftBodyService/ListAwarenessMeetings":  tenancy.Read,
	"/hirfa.craftbodies.v1.CraftBodyService/GetCraftBodyProgress":   tenancy.Read,

	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/ConveneAssembly":         tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/GetConstitutiveAssembly": tenancy.Read,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/RecordAttendance":        tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/CheckQuorum":             tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/ReconveneAssembly":       tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/CastStatutesVote":        tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/CloseStatutesVote":       tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/CreateOffice":            tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/GetOffice":               tenancy.Read,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/ListOffices":             tenancy.Read,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/CastBallot":              tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/CloseRound":              tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/ConstituteCraftBody":     tenancy.Write,
	"/hirfa.craftbodies.v1.ConstitutiveAssemblyService/ExportMinutes":           tenancy.Read,
}
