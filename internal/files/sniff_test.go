package files_test

import (
	"testing"

	"github.com/stshub/stshub/internal/files"
)

func TestSniff(t *testing.T) {
	cases := []struct {
		name, head, filename, want string
		allowed                    bool
	}{
		{"pdf", "%PDF-1.7\n%âãÏÓ\n1 0 obj", "q88.pdf", "application/pdf", true},
		{"pdf named exe", "%PDF-1.4\n", "q88.exe", "application/pdf", true},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.png", "image/png", true},
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", "scan.jpg", "image/jpeg", true},
		{"tiff", "II*\x00\x08\x00\x00\x00", "scan.tif", "image/tiff", true},
		{"text", "Officer matrix\nMaster: Capt. A\n", "crew.txt", "text/plain; charset=utf-8", true},
		{"csv", "name,rank\nA,Master\n", "crew.csv", "text/csv; charset=utf-8", true},
		{"docx", "PK\x03\x04\x14\x00\x06\x00", "plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
		{"plain zip", "PK\x03\x04\x14\x00\x06\x00", "bundle.zip", "application/zip", false},
		{"legacy xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "matrix.xls", "application/vnd.ms-excel", true},
		{"ole unknown", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "thing.msi", "application/x-ole-storage", false},
		{"windows exe", "MZ\x90\x00\x03\x00\x00\x00", "q88.pdf", "application/octet-stream", false},
		{"elf", "\x7fELF\x02\x01\x01", "q88.pdf", "application/octet-stream", false},
		{"html", "<!DOCTYPE html><html><script>alert(1)</script>", "q88.pdf", "text/html; charset=utf-8", false},
		{"html after text", "hello\n<script>alert(1)</script>", "note.txt", "text/html", false},
		{"svg", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">", "logo.svg", "text/xml; charset=utf-8", false},
		{"shell script", "#!/bin/sh\nrm -rf /\n", "run.txt", "text/plain; charset=utf-8", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := files.Sniff([]byte(c.head), c.filename)
			if got != c.want || ok != c.allowed {
				t.Errorf("Sniff = %q, %v; want %q, %v", got, ok, c.want, c.allowed)
			}
		})
	}
}
