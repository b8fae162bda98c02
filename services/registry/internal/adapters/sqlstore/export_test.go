package sqlstore

// NameIndex exposes the condition display_name:"…" gets on a table, so the
// tests can see which road a search takes.
var NameIndex = nameIndex
