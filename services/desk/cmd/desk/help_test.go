package main

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/svcconfig/configtest"
	"github.com/hirfa/hirfa/services/desk/internal/service"
)

// TestEveryVariableIsDocumented: --help lists what service.Load reads
// (recorded from it); each of those variables needs a meaning.
func TestEveryVariableIsDocumented(t *testing.T) {
	configtest.EveryVariableDocumented(t, func(get svcconfig.Getenv) { _, _ = service.Load(get) }, nil)
}
