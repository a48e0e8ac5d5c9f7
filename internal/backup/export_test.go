package backup

// SetAfterRead makes every backup run fn between its consistent read and the copying of its
// files, until the returned function restores the no-op.
func SetAfterRead(fn func()) (restore func()) {
	afterRead = fn
	return func() { afterRead = func() {} }
}
