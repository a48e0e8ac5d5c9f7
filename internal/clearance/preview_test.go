package clearance

import "testing"

func TestPreviewable(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
		"IMAGE/PNG": true, "application/pdf; x=1": true,
		"image/svg+xml": false, "text/html; charset=utf-8": false, "text/plain": false, "application/msword": false,
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document": false, "": false, "image/": false,
	} {
		if got := Previewable(ct); got != want {
			t.Errorf("Previewable(%q) = %v, want %v", ct, got, want)
		}
	}
}
