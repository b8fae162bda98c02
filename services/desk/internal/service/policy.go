package service

import "github.com/hirfa/hirfa/pkg/tenancy"

// Policy is the role × method table of desk (rendered in
// README.md): reads for every role (chamber roles in their own chamber,
// checked per object by the tenancy guard), writes for chamber clerks and
// admins. Every registered method must appear here; one that does not is
// refused.
var Policy = tenancy.Policy{
	"/hirfa.desk.v1.ItemService/GetItem":    tenancy.Read,
	"/hirfa.desk.v1.ItemService/ListItems":  tenancy.Read,
	"/hirfa.desk.v1.ItemService/CreateItem": tenancy.Write,
	"/hirfa.desk.v1.ItemService/UpdateItem": tenancy.Write,
	"/hirfa.desk.v1.ItemService/DeleteItem": tenancy.Write,
}
