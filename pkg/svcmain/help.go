package svcmain

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/hirfa/hirfa/pkg/svcconfig"
)

// Command is one command of a service binary, as --help lists it.
type Command struct {
	Name, Summary string
}

// WriteHelp prints a binary's usage: what it is, its commands and every
// HIRFA_* variable its configuration loader reads (vars, from
// svcconfig.Describe), with default and meaning. The gateway prints its
// help through it too.
func WriteHelp(w io.Writer, name, about string, cmds []Command, vars []svcconfig.Var) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s: %s\n\nUsage:\n  %s [command]\n\nCommands:\n", name, about, name)
	for _, c := range cmds {
		fmt.Fprintf(tw, "  %s\t%s\n", c.Name, c.Summary)
	}
	fmt.Fprintf(tw, "\nConfiguration (environment variables):\n")
	fmt.Fprintf(tw, "  VARIABLE\tDEFAULT\tMEANING\n")
	for _, v := range vars {
		def := v.Default
		if def == "" {
			def = "-"
		}
		meaning := v.Meaning
		if meaning == "" {
			meaning = "(undocumented)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, def, meaning)
	}
	return tw.Flush()
}

// IsHelp reports whether arg asks for usage.
func IsHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

// IsVersion reports whether arg asks for the version.
func IsVersion(arg string) bool { return arg == "version" || arg == "--version" }
