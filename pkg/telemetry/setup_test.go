package telemetry

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel"
)

// TestSetupWithoutExporter: with no OTLP endpoint a span still carries a
// trace id (for the logs and downstream propagation) but records nothing,
// since nothing would export it.
func TestSetupWithoutExporter(t *testing.T) {
	shutdown, err := Setup(context.Background(), "test", "test", "")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = shutdown(context.Background()) }()
	_, span := otel.Tracer("test").Start(context.Background(), "call")
	defer span.End()
	if sc := span.SpanContext(); !sc.IsValid() || sc.IsSampled() || span.IsRecording() {
		t.Fatalf("span: valid %v, sampled %v, recording %v; want a valid, unsampled, non-recording span", sc.IsValid(), sc.IsSampled(), span.IsRecording())
	}
}
