package service

import "github.com/hirfa/hirfa/pkg/tenancy"

// Policy is the role × method table of reporting (rendered in README.md):
// figures, targets, achievements, downloads and the inventory of
// associations and cooperatives for every role (chamber
// roles in their own chamber, national roles also chambers/-, checked by
// the tenancy guard); targets maintained by the ministry and chamber
// admins; dead letters seen by admins, auditors and national roles (chamber
// roles their chamber's) and replayed by the ministry and chamber admins.
var Policy = tenancy.Policy{
	"/hirfa.reporting.v1.StatisticsService/GetRegisterStatistics":  tenancy.Read,
	"/hirfa.reporting.v1.StatisticsService/GetFairStatistics":      tenancy.Read,
	"/hirfa.reporting.v1.StatisticsService/GetRequestStatistics":   tenancy.Read,
	"/hirfa.reporting.v1.StatisticsService/GetCardStatistics":      tenancy.Read,
	"/hirfa.reporting.v1.StatisticsService/GetCraftBodyStatistics": tenancy.Read,

	"/hirfa.reporting.v1.TargetService/GetRegistrationTarget":    tenancy.Read,
	"/hirfa.reporting.v1.TargetService/ListRegistrationTargets":  tenancy.Read,
	"/hirfa.reporting.v1.TargetService/CreateRegistrationTarget": tenancy.Plan,
	"/hirfa.reporting.v1.TargetService/UpdateRegistrationTarget": tenancy.Plan,
	"/hirfa.reporting.v1.TargetService/DeleteRegistrationTarget": tenancy.Plan,
	"/hirfa.reporting.v1.TargetService/GetTargetAchievements":    tenancy.Read,

	"/hirfa.reporting.v1.ReportService/DownloadActivityReport": tenancy.Read,
	"/hirfa.reporting.v1.ReportService/DownloadChart":          tenancy.Read,

	"/hirfa.reporting.v1.InventoryService/ListOrganisationStandings": tenancy.Read,
	"/hirfa.reporting.v1.InventoryService/DownloadInventory":         tenancy.Read,

	"/hirfa.reporting.v1.DeadLetterService/ListDeadLetters":  tenancy.Audit,
	"/hirfa.reporting.v1.DeadLetterService/ReplayDeadLetter": tenancy.Plan,
}
