package programme

// Field rules and reasons of this package (ErrorInfo reason, BadRequest
// rule), each catalogued with its Arabic and French message.
const (
	RuleMilestoneDueOrder  = "milestone.due_order"
	RuleMilestoneInPhase   = "milestone.in_phase"
	RuleMilestoneOrder     = "milestone.order"
	RuleMilestoneStage     = "milestone.stage"
	RulePhaseAfterLaunch   = "phase.after_launch"
	RulePhaseCrafts        = "phase.crafts"
	RulePhaseEndAfterStart = "phase.end_after_start"
	RulePhaseKnown         = "phase.known"
	RulePhaseNumber        = "phase.number"
	RulePhaseNumberUnique  = "phase.number.unique"
	RulePhasesRequired     = "phases.required"
)
