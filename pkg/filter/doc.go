// Package filter parses the `filter` field of List requests (a subset of
// AIP-160, https://google.aip.dev/160) and compiles it into a SQL WHERE
// fragment that runs unchanged on PostgreSQL and SQLite.
//
// # Grammar
//
//	filter     = [ expression ]
//	expression = sequence { "AND" sequence }
//	sequence   = factor { factor }             (juxtaposition means AND)
//	factor     = term { "OR" term }
//	term       = "NOT" term | "-" term | "(" expression ")" | comparison
//	comparison = field operator value
//	operator   = "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"
//	field      = name { "." name }             (name: ASCII letter or "_", then letters, digits, "_")
//	value      = bare | "\"" chars "\"" | "'" chars "'"
//
// Keywords AND, OR and NOT are upper case, as in AIP-160. A bare value runs
// until white space or one of ( ) " ' = < > ! and may contain ":" and "-",
// so RFC 3339 timestamps and negative numbers need no quotes. Quoted values
// may contain anything; inside them \" \' and \\ are the only escapes.
// A keyword used as a value must be quoted: name = "AND".
//
// # Precedence
//
// Following AIP-160 — and unlike SQL — OR binds tighter than AND:
//
//	a = 1 AND b = 2 OR c = 3   means   a = 1 AND (b = 2 OR c = 3)
//	a = 1 b = 2 OR c = 3       means   a = 1 AND (b = 2 OR c = 3)
//
// NOT (or the "-" prefix, written without a space: -state = ACTIVE) binds
// tighter than both and applies to the term right after it.
//
// # Semantics
//
// A Schema lists the fields a resource can be filtered on and the SQL
// column each maps to. Every column in the compiled fragment comes from the
// Schema and every value is a bound "?" parameter, so the text of a filter
// can never reach the SQL. By field type:
//
//   - String: = != < <= > >= compare the column with Fold(value); ":" (only
//     when Field.Contains) is a substring match, column LIKE ? ESCAPE '\',
//     meant for a column that stores Fold(text) (see package textnorm), so
//     it ignores case and diacritics identically on both databases.
//   - Enum: = and != against one of Field.Values (case-sensitive).
//   - Timestamp: all orderings; the value is RFC 3339 and is bound as int64
//     Unix microseconds, the unit columns store.
//   - Int: all orderings; bound as int64.
//   - Bool: = and != with true or false; bound as bool.
//
// The fragment uses "?" placeholders, as SQLite expects; for PostgreSQL,
// NumberPlaceholders rewrites them as $n. It is parenthesised so it can be
// appended after other conditions with AND. Comparisons follow SQL: a row whose column is NULL
// matches neither col = v nor NOT (col = v); filterable columns should be
// NOT NULL. Ordering on String columns uses the database collation, which
// may differ between PostgreSQL and SQLite for non-ASCII text.
//
// The LIKE escape clause '\' assumes PostgreSQL's standard_conforming_strings
// is on, the default since PostgreSQL 9.1.
//
// # Limits
//
// To bound the work one request can cause, a filter may be at most
// MaxLength bytes, nest parentheses and NOTs at most MaxDepth deep and hold
// at most MaxTerms comparisons. Every problem is reported as an *Error with
// the byte offset at fault, and the field when one is known.
package filter
