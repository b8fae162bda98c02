package sqlstore

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/store/storetest"
)

// TestRecordsKeepEveryField: a field added to a domain struct must be
// added to its persistence record too, or it is silently not stored.
func TestRecordsKeepEveryField(t *testing.T) {
	t.Run("event", func(t *testing.T) { storetest.RecordKeepsEveryField(t, eventRecord) })
	t.Run("agreement", func(t *testing.T) { storetest.RecordKeepsEveryField(t, agreementRecord) })
}
