package assembly_test

import (
	"errors"
	"fmt"

	"github.com/hirfa/hirfa/pkg/assembly"
)

// A general assembly of 82 members with a one-half quorum: 40 present is not
// enough on the first convocation, 41 is.
func ExampleQuorumRule_Check() {
	rule := assembly.QuorumRule{Numerator: 1, Denominator: 2}

	err := rule.Check(82, 40, assembly.FirstConvocation)
	var qe *assembly.QuorumError
	if errors.As(err, &qe) {
		fmt.Println(qe.Present, "present,", qe.Required, "required")
	}
	fmt.Println(rule.Check(82, 41, assembly.FirstConvocation))
	// With no second-convocation quorum, the second sitting proceeds anyway.
	fmt.Println(rule.Check(82, 12, assembly.SecondConvocation))
	// Output:
	// 40 present, 41 required
	// <nil>
	// <nil>
}

// A partnership agreement put to a recorded vote: a tie, settled by the side
// the president voted with.
func ExampleBallot() {
	b, err := assembly.NewBallot(assembly.Default(), assembly.Roll{
		Members:   []string{"members/1", "members/2", "members/3", "members/4", "members/5"},
		Present:   []string{"members/1", "members/2", "members/3", "members/4", "members/5"},
		President: "members/1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range []struct {
		member string
		choice assembly.Choice
	}{
		{"members/1", assembly.For},
		{"members/2", assembly.Against},
		{"members/3", assembly.For},
		{"members/4", assembly.Against},
		{"members/5", assembly.Abstain},
	} {
		if err := b.Cast(v.member, v.choice); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := b.Cast("members/2", assembly.For); errors.Is(err, assembly.ErrAlreadyVoted) {
		fmt.Println("refused:", err)
	}
	res, err := b.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v: %d for, %d against, %d abstaining; tie %v, decided by president %v\n",
		res.Outcome, res.For, res.Against, res.Abstain, res.Tie, res.DecidedByPresident)
	fmt.Println("voted for:", b.Tally().Members(assembly.For))
	// Output:
	// refused: vote by "members/2" (for): member already voted
	// adopted: 2 for, 2 against, 1 abstaining; tie true, decided by president true
	// voted for: [members/1 members/3]
}
