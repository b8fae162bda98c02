package grpcport

import (
	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/services/desk/internal/domain/item"
	"google.golang.org/grpc/codes"
)

// Catalog is the desk error catalogue: the shared entries and this
// service's reasons, each with its gRPC code and its Arabic and French
// message ({1}, {2}: the English message's figures in order; {name}: the
// ErrorInfo metadata; {field}: the field's label). The gRPC server localises
// every error with it; TestCatalog fails on a reason the code gives that is
// missing here.
var Catalog = catalog.New([][]catalog.Entry{catalog.Common, auth.Messages, messages}, catalog.CommonLabels, labels)

var messages = []catalog.Entry{
	catalog.Reason(item.ReasonItemArchived, codes.FailedPrecondition, "{resource} في الحالة {state}: العنصر المؤرشف لا يتغير", "{resource} est à l'état {state} : un élément archivé ne change plus"),
	catalog.Reason(item.ReasonItemInStock, codes.FailedPrecondition, "{resource} ما زال يضم {quantity}: أنزل الكمية إلى الصفر أولا", "{resource} contient encore {quantity} : ramenez la quantité à zéro d'abord"),
	catalog.Reason(item.RuleDisplayNameLength, codes.InvalidArgument, "{field}: لا يتجاوز {1} حرفا، والمقدم {2}", "{field} : au plus {1} caractères, reçu {2}"),
	catalog.Reason(item.RuleQuantityNonNegative, codes.InvalidArgument, "{field}: لا يجوز أن تكون سالبة، والمقدم {1}", "{field} : ne doit pas être négative, reçu {1}"),
	catalog.Reason(item.RuleStateUnknown, codes.InvalidArgument, "{field}: حالة غير معروفة {1}", "{field} : état inconnu {1}"),
}

var labels = []catalog.Label{
	catalog.Field("quantity", "الكمية", "quantité"),
	catalog.Field("state", "الحالة", "état"),
}
