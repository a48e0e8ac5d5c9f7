package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/config"
)

func TestParseWithFileTakesTheFileAnywhere(t *testing.T) {
	cases := []struct {
		args     []string
		file     string
		data     string
		wantCode error
	}{
		{[]string{"b.tar"}, "b.tar", "./data", nil},
		{[]string{"b.tar", "--data", "d"}, "b.tar", "d", nil},
		{[]string{"--data", "d", "b.tar"}, "b.tar", "d", nil},
		{[]string{"--data=d", "b.tar"}, "b.tar", "d", nil},
		{[]string{"--data", "d"}, "", "d", errUsage},
		{[]string{"a.tar", "b.tar"}, "", "./data", errUsage},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			cfg := config.Defaults()
			fs := newFlagSet("stshub backup", "stshub backup FILE [flags]", "")
			cfg.BindStorageFlags(fs)
			var out, errOut bytes.Buffer
			file, err := parseWithFile(fs, c.args, &out, &errOut)
			if err != c.wantCode || file != c.file || (err == nil && cfg.DataDir != c.data) {
				t.Errorf("file %q data %q err %v; want %q %q %v (%s)", file, cfg.DataDir, err, c.file, c.data, c.wantCode, &errOut)
			}
		})
	}
}
