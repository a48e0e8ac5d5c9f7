package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
)

// The messages' templates: for each kind NAME, templates/NAME.txt (its first line is
// "Subject: …", the rest the plain-text part) and templates/NAME.html (the HTML part's
// body, placed in templates/layout.html). Both get the same data.
//
//go:embed templates
var embedded embed.FS

var messages = mustRenderer(embedded, "templates")

// Render fills the templates of kind name with data into a message to to.
func Render(name, to string, data any) (Message, error) {
	return messages.render(name, to, data)
}

// renderer holds parsed templates: the HTML layout, and each kind's text and HTML parts.
type renderer struct {
	subject map[string]*texttemplate.Template
	text    map[string]*texttemplate.Template
	html    map[string]*htmltemplate.Template
}

func mustRenderer(fsys fs.FS, dir string) *renderer {
	r, err := newRenderer(fsys, dir)
	if err != nil {
		panic(err)
	}
	return r
}

// newRenderer parses every NAME.txt and NAME.html under dir; a kind must have both.
func newRenderer(fsys fs.FS, dir string) (*renderer, error) {
	layout, err := htmltemplate.ParseFS(fsys, dir+"/layout.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{subject: map[string]*texttemplate.Template{}, text: map[string]*texttemplate.Template{},
		html: map[string]*htmltemplate.Template{}}
	texts, err := fs.Glob(fsys, dir+"/*.txt")
	if err != nil {
		return nil, err
	}
	for _, path := range texts {
		name := strings.TrimSuffix(path[len(dir)+1:], ".txt")
		src, err := fs.ReadFile(fsys, path)
		if err != nil {
			return nil, err
		}
		// The subject is parsed on its own, so that data with a line break cannot end it early.
		first, body, _ := strings.Cut(string(src), "\n")
		subject, ok := strings.CutPrefix(first, "Subject: ")
		if !ok || strings.TrimSpace(subject) == "" {
			return nil, fmt.Errorf("mail template %s: the first line must be \"Subject: …\"", path)
		}
		s, err := texttemplate.New(name + " subject").Option("missingkey=error").Parse(subject)
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", path, err)
		}
		t, err := texttemplate.New(name + ".txt").Option("missingkey=error").Parse(strings.TrimLeft(body, "\n"))
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", path, err)
		}
		h, err := htmltemplate.Must(layout.Clone()).Option("missingkey=error").ParseFS(fsys, dir+"/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", name, err)
		}
		r.subject[name], r.text[name], r.html[name] = s, t, h
	}
	return r, nil
}

func (r *renderer) render(name, to string, data any) (Message, error) {
	t, ok := r.text[name]
	if !ok {
		return Message{}, fmt.Errorf("no mail template %q", name)
	}
	var subject, text, html bytes.Buffer
	if err := r.subject[name].Execute(&subject, data); err != nil {
		return Message{}, fmt.Errorf("mail %s, subject: %w", name, err)
	}
	if err := t.Execute(&text, data); err != nil {
		return Message{}, fmt.Errorf("mail %s, text: %w", name, err)
	}
	if err := r.html[name].ExecuteTemplate(&html, "layout.html", data); err != nil {
		return Message{}, fmt.Errorf("mail %s, html: %w", name, err)
	}
	// A subject is one header line: template data must not be able to break it.
	oneLine := strings.Join(strings.Fields(subject.String()), " ")
	return Message{To: to, Subject: oneLine, Text: text.String(), HTML: html.String()}, nil
}
