package sqlstore

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/store/storetest"
)

// TestRecordsKeepEveryField: a field added to a domain struct must be
// added to its persistence record too, or it is silently not stored.
func TestRecordsKeepEveryField(t *testing.T) {
	t.Run("artisan", func(t *testing.T) { storetest.RecordKeepsEveryField(t, artisanRecord) })
	t.Run("enterprise", func(t *testing.T) { storetest.RecordKeepsEveryField(t, enterpriseRecord) })
	t.Run("association", func(t *testing.T) { storetest.RecordKeepsEveryField(t, associationRecord) })
}
