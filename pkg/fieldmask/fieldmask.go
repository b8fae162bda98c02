// Package fieldmask applies AIP-134 update masks to protobuf messages: the
// transport turns the stored resource into its message, copies the masked
// fields from the request onto it, and hands the result back to the domain.
package fieldmask

import (
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/fault"
)

// Apply copies the fields named by mask from src to dst. updatable lists the
// top-level fields clients may change; a path outside it is refused naming
// the path. An empty mask means every updatable field that is set in src
// (AIP-134's "full update of what was sent"). field is the request field of
// the resource, for error messages (e.g. "artisan").
func Apply(dst, src proto.Message, mask *fieldmaskpb.FieldMask, updatable []string, field string) error {
	allowed := map[string]bool{}
	for _, u := range updatable {
		allowed[u] = true
	}
	var paths []string
	if mask == nil || len(mask.GetPaths()) == 0 {
		sr := src.ProtoReflect()
		sr.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
			if allowed[string(fd.Name())] {
				paths = append(paths, string(fd.Name()))
			}
			return true
		})
	} else {
		paths = mask.GetPaths()
	}
	var vs fault.Violations
	for _, p := range paths {
		top, _, _ := strings.Cut(p, ".")
		if !allowed[top] {
			vs.Add("update_mask", fault.RuleUpdateMaskPath, "field %q cannot be updated (updatable: %s)", p, strings.Join(updatable, ", "))
			continue
		}
		if err := copyPath(dst.ProtoReflect(), src.ProtoReflect(), strings.Split(p, ".")); err != nil {
			vs.Add("update_mask", fault.RuleUpdateMaskPath, "unknown field %q in %s", p, field)
		}
	}
	return vs.Err()
}

type pathError struct{}

func (pathError) Error() string { return "unknown path" }

func copyPath(dst, src protoreflect.Message, path []string) error {
	fd := dst.Descriptor().Fields().ByName(protoreflect.Name(path[0]))
	if fd == nil {
		return pathError{}
	}
	if len(path) == 1 {
		if src.Has(fd) {
			dst.Set(fd, src.Get(fd))
		} else {
			dst.Clear(fd)
		}
		return nil
	}
	if fd.Message() == nil || fd.IsList() || fd.IsMap() {
		return pathError{}
	}
	return copyPath(dst.Mutable(fd).Message(), src.Get(fd).Message(), path[1:])
}

// Patch builds the closure an Update hands to its repository: the stored
// record is rendered as its message, the masked fields are copied from the
// request onto it, and the result is copied back onto the record.
func Patch[D any, P proto.Message](req P, mask *fieldmaskpb.FieldMask, updatable []string, field string, render func(D) P, fields func(D, P)) func(D) error {
	return func(cur D) error {
		msg := render(cur)
		if err := Apply(msg, req, mask, updatable, field); err != nil {
			return err
		}
		fields(cur, msg)
		return nil
	}
}
