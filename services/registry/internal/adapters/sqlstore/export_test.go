package sqlstore

// NameIndex exposes the condition display_name:"…" gets on a table, so the
// tests can see which road a search takes.
var NameIndex = nameIndex

// ForgetNameProbes makes every name search count its density again, as the
// first search of a name does, until restore is called.
func ForgetNameProbes() (restore func()) {
	old := probeTTL
	probeTTL = 0
	return func() { probeTTL = old }
}
