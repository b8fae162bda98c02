package sqlstore_test

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/adapters/repotest"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestConformance runs the repository conformance suite on SQLite and on
// PostgreSQL.
func TestConformance(t *testing.T) { storetest.EachBackend(t, repotest.Run) }
