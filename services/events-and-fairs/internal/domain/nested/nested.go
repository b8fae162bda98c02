// Package nested names resources that live under another chamber-owned
// resource, such as chambers/{chamber}/events/{event}/booths/{booth}.
//
// The store keys a record by (chamber, id); for a nested record the id is
// the key "{parent}.{child}", which keeps both ids in one column: the child
// id alone is not unique across parents, and the key renders back into the
// full resource name without another look-up.
package nested

import (
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Name is a parsed nested resource name.
type Name struct {
	Chamber          string
	ParentCollection string // e.g. "events"
	Parent           string // parent id
	Collection       string // e.g. "booths"
	ID               string // child id
}

// String renders chambers/{chamber}/{parents}/{parent}/{collection}/{id}.
func (n Name) String() string {
	return n.ParentName().String() + "/" + n.Collection + "/" + n.ID
}

// ParentName is the name of the parent resource.
func (n Name) ParentName() resource.Name {
	return resource.Name{Chamber: n.Chamber, Collection: n.ParentCollection, ID: n.Parent}
}

// Key is the store id of the record: "{parent}.{child}".
func (n Name) Key() string { return Key(n.Parent, n.ID) }

// Key joins a parent and a child id into a store id.
func Key(parent, id string) string { return parent + "." + id }

// Split cuts a store id into parent and child ids.
func Split(key string) (parent, id string) {
	parent, id, _ = strings.Cut(key, ".")
	return parent, id
}

// FromKey rebuilds the name of a stored record.
func FromKey(chamber, parentCollection, collection, key string) Name {
	p, id := Split(key)
	return Name{Chamber: chamber, ParentCollection: parentCollection, Parent: p, Collection: collection, ID: id}
}

// Render returns a store.Spec NameOf function for a nested collection.
func Render(parentCollection, collection string) func(chamber, key string) string {
	return func(chamber, key string) string {
		return FromKey(chamber, parentCollection, collection, key).String()
	}
}

// Parse parses chambers/{chamber}/{parentCollection}/{parent}/{collection}/{id}.
// field names the request field for the error.
func Parse(s, parentCollection, collection, field string) (Name, error) {
	parts := strings.Split(s, "/")
	if len(parts) == 6 && parts[2] == parentCollection && parts[4] == collection {
		p, err := resource.ParseName(strings.Join(parts[:4], "/"), parentCollection, field)
		if err == nil && validID(parts[5]) {
			return Name{Chamber: p.Chamber, ParentCollection: parentCollection, Parent: p.ID, Collection: collection, ID: parts[5]}, nil
		}
	}
	return Name{}, fault.Invalid(field, fault.RuleResourceName, "must be chambers/{chamber}/%s/{%s}/%s/{id}, got %q",
		parentCollection, strings.TrimSuffix(parentCollection, "s"), collection, s)
}

// Child builds the name of a new child of parent.
func Child(parent resource.Name, collection, id string) Name {
	return Name{Chamber: parent.Chamber, ParentCollection: parent.Collection, Parent: parent.ID, Collection: collection, ID: id}
}

func validID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
