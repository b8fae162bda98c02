package document

import (
	"errors"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestSniff(t *testing.T) {
	for head, want := range map[string]string{
		"%PDF-1.7\n":              "application/pdf",
		"\x89PNG\r\n\x1a\n\x00":   "image/png",
		"\xff\xd8\xff\xe0\x00JFI": "image/jpeg",
		"MZ\x90\x00\x03":          "", // a Windows executable, whatever its name
		"\x7fELF\x02\x01":         "",
		"PK\x03\x04":              "",
		"<html>":                  "",
		"":                        "",
	} {
		if got := Sniff([]byte(head)); got != want {
			t.Errorf("Sniff(%q) = %q, want %q", head, got, want)
		}
	}
}

func sample() *Document {
	d := &Document{Classification: "STATUTES", Owner: "chambers/fes-meknes/associations/a1", Retention: TenYears, FileName: "statuts.pdf"}
	d.Chamber, d.ID = "fes-meknes", "d1"
	return d
}

func TestValidateAndAccept(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Document)
		size   int64
		head   string
		field  string
		rule   string
	}{
		{"pdf", func(*Document) {}, 100, "%PDF-1.4", "", ""},
		{"request owner", func(d *Document) { d.Owner = "chambers/fes-meknes/serviceRequests/r1" }, 100, "%PDF-1.4", "", ""},
		{"other chamber's owner", func(d *Document) { d.Owner = "chambers/oriental/associations/a1" }, 100, "%PDF-", "document.owner", RuleOwnerChamber},
		{"unknown owner kind", func(d *Document) { d.Owner = "chambers/fes-meknes/fairs/f1" }, 100, "%PDF-", "document.owner", RuleOwnerChamber},
		{"no owner", func(d *Document) { d.Owner = "" }, 100, "%PDF-", "document.owner", fault.RuleRequired},
		{"no classification", func(d *Document) { d.Classification = "" }, 100, "%PDF-", "document.classification", fault.RuleRequired},
		{"no retention", func(d *Document) { d.Retention = "" }, 100, "%PDF-", "document.retention", fault.RuleRequired},
		{"empty", func(*Document) {}, 0, "", "chunk", RuleContentEmpty},
		{"too large", func(*Document) {}, MaxSize + 1, "%PDF-", "chunk", RuleContentTooLarge},
		{"executable named .pdf", func(*Document) {}, 100, "MZ\x90\x00", "chunk", RuleContentType},
	}
	for _, tt := range tests {
		d := sample()
		tt.mutate(d)
		err := d.Validate()
		if err == nil {
			err = d.Accept(tt.size, []byte(tt.head), "abc", now)
		}
		if tt.rule == "" {
			if err != nil || d.MediaType != "application/pdf" || !d.RetainUntil.Equal(now.AddDate(10, 0, 0)) {
				t.Errorf("%s: %v %+v", tt.name, err, d)
			}
			continue
		}
		var inv *fault.InvalidError
		if !errors.As(err, &inv) || len(inv.Violations) != 1 || inv.Violations[0].Field != tt.field || inv.Violations[0].Rule != tt.rule {
			t.Errorf("%s: got %v, want %s on %s", tt.name, err, tt.rule, tt.field)
		}
	}
}

func TestRetention(t *testing.T) {
	for _, tt := range []struct {
		retention Retention
		at        time.Time
		deletable bool
	}{
		{Permanent, now.AddDate(100, 0, 0), false},
		{TenYears, now.AddDate(9, 11, 0), false},
		{TenYears, now.AddDate(10, 0, 1), true},
		{FiveYears, now.AddDate(5, 0, 0), true},
		{OneYear, now.AddDate(0, 11, 0), false},
	} {
		d := sample()
		d.Retention = tt.retention
		if err := d.Accept(10, []byte("%PDF-"), "x", now); err != nil {
			t.Fatal(err)
		}
		err := d.CheckDelete(tt.at)
		var pe *fault.PreconditionError
		if tt.deletable != (err == nil) || (err != nil && (!errors.As(err, &pe) || pe.Reason != ReasonRetentionActive)) {
			t.Errorf("%s at %v: %v", tt.retention, tt.at, err)
		}
	}
	if d := sample(); d.Key() != "fes-meknes/d1" {
		t.Errorf("key %q", d.Key())
	}
}
