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
