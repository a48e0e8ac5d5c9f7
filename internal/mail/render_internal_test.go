package mail

import (
	"os"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	r, err := newRenderer(os.DirFS("testdata"), "templates")
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.render("greeting", "jane@example.com", map[string]string{"Name": "Jane <Doe>\r\nBcc: x@y.z", "Link": "https://sts.example.com/invite?t=1&u=2"})
	if err != nil {
		t.Fatal(err)
	}
	if m.To != "jane@example.com" || m.Subject != "Hello Jane <Doe> Bcc: x@y.z" {
		t.Errorf("to %q subject %q: the subject must stay one line", m.To, m.Subject)
	}
	if !strings.HasPrefix(m.Text, "Dear Jane <Doe>") || !strings.Contains(m.Text, "https://sts.example.com/invite?t=1&u=2") {
		t.Errorf("text %q", m.Text)
	}
	if !strings.Contains(m.HTML, "Jane &lt;Doe&gt;") || !strings.Contains(m.HTML, `href="https://sts.example.com/invite?t=1&amp;u=2"`) {
		t.Errorf("html is not escaped: %q", m.HTML)
	}
	if _, err := r.render("nope", "a@b.c", nil); err == nil {
		t.Error("an unknown template rendered")
	}
	if _, err := r.render("greeting", "a@b.c", map[string]string{}); err == nil {
		t.Error("missing data rendered")
	}
}

// The product's own templates parse (a broken one would panic at start).
func TestEmbeddedTemplatesParse(t *testing.T) {
	if _, err := newRenderer(embedded, "templates"); err != nil {
		t.Fatal(err)
	}
}
