// Command stshub is the STS Clearance Hub: the server and its command-line tools.
package main

import (
	"os"

	"github.com/stshub/stshub/internal/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr))
}
