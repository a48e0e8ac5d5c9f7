package config

import (
	"testing"
	"time"
)

func TestRecordRetention(t *testing.T) {
	for in, want := range map[string]time.Duration{"1096d": 1096 * day, "1d": day, "26304h": 1096 * day, "90m": 90 * time.Minute} {
		if got, err := ParseRetention(in); err != nil || got != want {
			t.Errorf("ParseRetention(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "-3d", "1.5d", "three years"} {
		if _, err := ParseRetention(in); err == nil {
			t.Errorf("ParseRetention(%q) accepted", in)
		}
	}
	if got := FormatRetention(Defaults().RecordRetention); got != "1096d" {
		t.Errorf("default retention %s", got)
	}
	c, err := FromEnv(func(k string) string { return map[string]string{"STSHUB_RECORD_RETENTION": "365d"}[k] })
	if err != nil || c.RecordRetention != 365*day {
		t.Errorf("STSHUB_RECORD_RETENTION: %s, %v", c.RecordRetention, err)
	}
	if _, err := FromEnv(func(k string) string { return map[string]string{"STSHUB_RECORD_RETENTION": "soon"}[k] }); err == nil {
		t.Error("a bad STSHUB_RECORD_RETENTION accepted")
	}
	c = Defaults()
	c.RecordRetention = time.Hour
	if c.Validate() == nil {
		t.Error("a retention under a day validated")
	}
}

func TestPublicURL(t *testing.T) {
	for _, c := range []struct {
		url   string
		ok    bool
		https bool
	}{
		{"", true, false}, {"https://sts.example.com", true, true}, {"http://10.0.0.5:8080", true, false},
		{"https://example.com/sts", true, true}, {"sts.example.com", false, false}, {"ftp://x", false, false},
		{"https://", false, false}, {"https://x?y=1", false, false}, {"https://u:p@x", false, false},
	} {
		cfg, err := FromEnv(func(k string) string { return map[string]string{"STSHUB_PUBLIC_URL": c.url}[k] })
		if err == nil {
			err = cfg.Validate()
		}
		if (err == nil) != c.ok || (c.ok && cfg.HTTPS() != c.https) {
			t.Errorf("%q: err %v, https %v; want ok %v, https %v", c.url, err, cfg.HTTPS(), c.ok, c.https)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := FromEnv(func(k string) string {
		return map[string]string{"STSHUB_TRUSTED_PROXIES": " 10.0.0.0/8, 192.0.2.7 ,::1,10.1.2.3/8"}[k]
	})
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "::1/128", "10.0.0.0/8"}
	if err != nil || len(c.TrustedProxies) != len(want) {
		t.Fatalf("%v %v", c.TrustedProxies, err)
	}
	for i, p := range c.TrustedProxies {
		if p.String() != want[i] {
			t.Errorf("proxy %d = %s, want %s", i, p, want[i])
		}
	}
	if _, err := FromEnv(func(k string) string { return map[string]string{"STSHUB_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}[k] }); err == nil {
		t.Error("a host name accepted as a proxy")
	}
}

func TestMetricsSettings(t *testing.T) {
	c, err := FromEnv(func(k string) string {
		return map[string]string{"STSHUB_METRICS_ADDR": "127.0.0.1:9090", "STSHUB_METRICS_TOKEN": "0123456789abcdef"}[k]
	})
	if err != nil || c.MetricsAddr != "127.0.0.1:9090" || c.MetricsToken != "0123456789abcdef" || c.Validate() != nil {
		t.Fatalf("metrics settings: %+v, %v, %v", c, err, c.Validate())
	}
	for name, adjust := range map[string]func(*Config){
		"bad address":      func(c *Config) { c.MetricsAddr = "9090" },
		"the main address": func(c *Config) { c.MetricsAddr = c.Addr },
		"a short token":    func(c *Config) { c.MetricsToken = "secret" },
	} {
		c := Defaults()
		adjust(&c)
		if c.Validate() == nil {
			t.Errorf("%s validated", name)
		}
	}
}

func TestCheckNodes(t *testing.T) {
	for _, c := range []struct {
		env map[string]string
		ok  bool
	}{
		{map[string]string{}, true}, // SQLite
		{map[string]string{"STSHUB_DATABASE_URL": "postgres://db/stshub"}, false},
		{map[string]string{"STSHUB_DATABASE_URL": "postgres://db/stshub", "STSHUB_SINGLE_NODE": "true"}, true},
		{map[string]string{"STSHUB_DATABASE_URL": "postgres://db/stshub", "STSHUB_SINGLE_NODE": "false"}, false},
		{map[string]string{"STSHUB_DATABASE_URL": "postgres://db/stshub", "STSHUB_S3_BUCKET": "b", "STSHUB_S3_ENDPOINT": "http://s3"}, true},
	} {
		cfg, err := FromEnv(func(k string) string { return c.env[k] })
		if err != nil {
			t.Fatal(err)
		}
		if err := cfg.CheckNodes(); (err == nil) != c.ok {
			t.Errorf("%v: CheckNodes = %v, want ok %v", c.env, err, c.ok)
		}
	}
	if _, err := FromEnv(func(k string) string { return map[string]string{"STSHUB_SINGLE_NODE": "maybe"}[k] }); err == nil {
		t.Error("STSHUB_SINGLE_NODE=maybe accepted")
	}
}

func TestMinFreeBytes(t *testing.T) {
	if Defaults().MinFreeBytes != 64<<20 {
		t.Errorf("default min free bytes %d", Defaults().MinFreeBytes)
	}
	c, err := FromEnv(func(k string) string { return map[string]string{"STSHUB_MIN_FREE_BYTES": "0"}[k] })
	if err != nil || c.MinFreeBytes != 0 || c.Validate() != nil {
		t.Errorf("STSHUB_MIN_FREE_BYTES=0: %d, %v, %v", c.MinFreeBytes, err, c.Validate())
	}
	c.MinFreeBytes = -1
	if c.Validate() == nil {
		t.Error("a negative minimum free space validated")
	}
	// SQLite with local files watches both folders; PostgreSQL with S3 none.
	if got := Defaults().LocalFolders(); len(got) != 2 {
		t.Errorf("local folders of the defaults: %v", got)
	}
	c = Defaults()
	c.DatabaseURL, c.S3.Bucket = "postgres://db/stshub", "b"
	if got := c.LocalFolders(); len(got) != 0 {
		t.Errorf("local folders on PostgreSQL with S3: %v", got)
	}
}
