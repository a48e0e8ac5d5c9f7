package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/app"
)

// TestBenchIsNotInTheProduct: `stshub bench` names the command the benchmark moved to.
func TestBenchIsNotInTheProduct(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := app.Main([]string{"bench", "--quick"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "go run ./cmd/stshub-bench") {
		t.Fatalf("stshub bench: exit %d, stderr %q", code, stderr.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), "stshub bench") {
		t.Errorf("the product still mentions `stshub bench`: %s%s", stdout.String(), stderr.String())
	}
}
