package render

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// bom is the UTF-8 byte order mark: spreadsheet programs read a CSV file
// as UTF-8 (and show Arabic) only when it starts with it.
const bom = "\uFEFF"

// CSV writes one table as UTF-8 CSV with a byte order mark and CRLF line ends.
func CSV(t Table) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(bom)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	if err := w.Write(t.Columns); err != nil {
		return nil, fmt.Errorf("csv %s: %w", t.ID, err)
	}
	for _, r := range t.Rows {
		if err := w.Write(r); err != nil {
			return nil, fmt.Errorf("csv %s: %w", t.ID, err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("csv %s: %w", t.ID, err)
	}
	return b.Bytes(), nil
}

// XLSX writes every table of the document as a sheet (named by its ID),
// with numbers as numbers, and a right-to-left sheet view in Arabic.
func XLSX(d Document) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	tables := d.Tables()
	if len(tables) == 0 {
		tables = []Table{{ID: "report", Columns: []string{d.Title}}}
	}
	rtl := d.Language.RTL()
	for i, t := range tables {
		name := sheetName(t.ID, i)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, fmt.Errorf("xlsx: %w", err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		if err := f.SetSheetView(name, 0, &excelize.ViewOptions{RightToLeft: &rtl}); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		header := make([]any, len(t.Columns))
		for j, c := range t.Columns {
			header[j] = c
		}
		if err := sw.SetRow("A1", header); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		for r, row := range t.Rows {
			cells := make([]any, len(row))
			for j, c := range row {
				cells[j] = c
				if j < len(t.Numeric) && t.Numeric[j] {
					if v, ok := number(c); ok {
						cells[j] = v
					}
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2) // r+2 ≥ 2: always valid
			if err := sw.SetRow(cell, cells); err != nil {
				return nil, fmt.Errorf("xlsx: %w", err)
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return b.Bytes(), nil
}

// number reads a cell written by FormatNumber or FormatCentimes back as a number.
func number(s string) (float64, bool) {
	s = strings.NewReplacer("\u00a0", "", " ", "", ",", ".", "%", "").Replace(s)
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// sheetName is a valid, unique sheet name (at most 31 characters).
func sheetName(id string, i int) string {
	if id == "" {
		id = fmt.Sprintf("table%d", i+1)
	}
	if len(id) > 31 {
		id = id[:31]
	}
	return id
}
