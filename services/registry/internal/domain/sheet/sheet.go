// Package sheet reads the spreadsheets chambers keep their registers in: CSV
// (UTF-8, UTF-8 with a byte-order mark, or Windows-1256 as Excel exports
// Arabic) and XLSX (first sheet, streamed). It turns a file into a header and
// rows of text, or one field violation saying exactly why the file cannot be
// read, so an import refuses a broken file before it looks at any row.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/hirfa/hirfa/pkg/fault"
)

// Rule ids of unreadable files (catalogued with Arabic and French messages).
const (
	RuleNotSpreadsheet  = "file.not_spreadsheet"
	RuleEncoding        = "file.encoding"
	RuleEncodingUnknown = "encoding.unknown"
	RuleTooLarge        = "file.too_large"
	RuleEmpty           = "file.empty"
	RuleCSVSyntax       = "file.csv_syntax"
)

// Encodings a caller may name; Auto picks UTF-8 when the bytes are valid
// UTF-8 (with or without BOM) and Windows-1256 otherwise.
const (
	Auto        = ""
	UTF8        = "utf-8"
	Windows1256 = "windows-1256"
)

// Field is the request field violations name.
const Field = "file"

// Table is a file's header row and its data rows, cells trimmed. Row i of
// Rows is line/row Line(i) of the file.
type Table struct {
	Header []string
	Rows   [][]string
	// Format is "csv" or "xlsx"; Encoding the text encoding read.
	Format, Encoding string
}

// Line is the 1-based row number of data row i in the file (the header is 1).
func (t *Table) Line(i int) int { return i + 2 }

var (
	bom      = []byte{0xEF, 0xBB, 0xBF}
	zipMagic = []byte("PK\x03\x04")
)

// Read reads data, refusing files over limit bytes.
func Read(data []byte, encoding string, limit int) (*Table, error) {
	if limit > 0 && len(data) > limit {
		return nil, fault.Invalid(Field, RuleTooLarge, "the file has %d bytes, over the limit of %d", len(data), limit)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fault.Invalid(Field, RuleEmpty, "the file is empty")
	}
	if bytes.HasPrefix(data, zipMagic) {
		return readXLSX(data)
	}
	return readCSV(data, encoding)
}

func readXLSX(data []byte) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fault.Invalid(Field, RuleNotSpreadsheet, "the file is a ZIP archive but not an XLSX workbook")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fault.Invalid(Field, RuleNotSpreadsheet, "the file is a ZIP archive but not an XLSX workbook")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fault.Invalid(Field, RuleNotSpreadsheet, "the workbook's first sheet cannot be read")
	}
	defer rows.Close()
	t := &Table{Format: "xlsx", Encoding: UTF8}
	first := true
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, fault.Invalid(Field, RuleNotSpreadsheet, "the workbook's first sheet cannot be read")
		}
		if first {
			t.Header, first = trim(cols), false
			continue
		}
		t.Rows = append(t.Rows, trim(cols))
	}
	if first {
		return nil, fault.Invalid(Field, RuleEmpty, "the workbook's first sheet is empty")
	}
	return t, nil
}

func readCSV(data []byte, encoding string) (*Table, error) {
	if looksBinary(data) {
		return nil, fault.Invalid(Field, RuleNotSpreadsheet, "the file is neither CSV text nor an XLSX workbook")
	}
	text, enc, err := decode(data, encoding)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1 // short rows are reported per row, not as a file error
	r.Comma = sniffComma(text)
	t := &Table{Format: "csv", Encoding: enc}
	first := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fault.Invalid(Field, RuleCSVSyntax, "line %d: %v", pe.Line, pe.Err)
			}
			return nil, fault.Invalid(Field, RuleCSVSyntax, "line %d: %v", 1, err)
		}
		if first {
			t.Header, first = trim(rec), false
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			t.Rows = append(t.Rows, nil) // keep numbering: an empty line is reported, not skipped silently
			continue
		}
		t.Rows = append(t.Rows, trim(rec))
	}
	return t, nil
}

// decode turns CSV bytes into text. A BOM or an explicit UTF-8 promise makes
// invalid UTF-8 an error naming the first bad line; without either, text that
// is not UTF-8 is read as Windows-1256.
func decode(data []byte, encoding string) (string, string, error) {
	hasBOM := bytes.HasPrefix(data, bom)
	body := bytes.TrimPrefix(data, bom)
	switch strings.ToLower(encoding) {
	case Windows1256, "cp1256":
		if hasBOM {
			return "", "", fault.Invalid(Field, RuleEncoding, "line %d: the file starts with a UTF-8 byte-order mark but windows-1256 was asked for", 1)
		}
		return from1256(body)
	case UTF8, "utf8":
		return utf8Only(body, UTF8)
	case Auto:
		if hasBOM {
			return utf8Only(body, UTF8)
		}
		if utf8.Valid(body) {
			return string(body), UTF8, nil
		}
		return from1256(body)
	default:
		return "", "", fault.Invalid("encoding", RuleEncodingUnknown, "unknown encoding %q (known: utf-8, windows-1256)", encoding)
	}
}

func utf8Only(body []byte, enc string) (string, string, error) {
	if utf8.Valid(body) {
		return string(body), enc, nil
	}
	line := 1
	for i := 0; i < len(body); {
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return "", "", fault.Invalid(Field, RuleEncoding, "line %d is not valid UTF-8 (the file says it is UTF-8)", line)
}

// from1256 decodes Windows-1256. Every byte maps to a character there, so a
// file is refused only when it decodes to control characters no register
// holds (what a UTF-16 or binary file gives).
func from1256(body []byte) (string, string, error) {
	out, err := charmap.Windows1256.NewDecoder().Bytes(body)
	if err != nil {
		return "", "", fault.Invalid(Field, RuleEncoding, "line %d: the file is neither UTF-8 nor windows-1256", 1)
	}
	return string(out), Windows1256, nil
}

// looksBinary reports files no spreadsheet export produces: NUL or other C0
// control bytes (UTF-16 text, PDF, images, executables) in the first 8 KiB.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), 8192)]
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' {
			return true
		}
	}
	return bytes.HasPrefix(head, []byte("%PDF"))
}

// sniffComma picks ';' when the header line has more semicolons than commas
// (French Excel exports use ';').
func sniffComma(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	if strings.Count(line, ";") > strings.Count(line, ",") {
		return ';'
	}
	return ','
}

func trim(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c)
	}
	return out
}

// Cell returns row[i], or "" when the row is shorter.
func Cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// String describes the table for logs.
func (t *Table) String() string {
	return fmt.Sprintf("%s/%s, %d columns, %d rows", t.Format, t.Encoding, len(t.Header), len(t.Rows))
}
