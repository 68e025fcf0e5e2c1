//go:build !failpoint

package failpoint

// Enabled reports whether this binary was built with "-tags failpoint".
const Enabled = false

// Inject marks the failpoint name. In the release build it does nothing
// and costs nothing: the call is inlined away with its argument.
func Inject(name string) {}
