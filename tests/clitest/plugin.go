package clitest

import (
	"filippo.io/age"
	"filippo.io/age/plugin"
)

// StubPluginName is the name of the stub age plugin: its binary is
// "age-plugin-stub".
const StubPluginName = "stub"

// StubPlugin runs an age plugin that stands in for a hardware key in
// tests, speaking the real plugin protocol. An identity
// "AGE-PLUGIN-STUB-1…" carries an X25519 identity string as its data
// (plugin.EncodeIdentity("stub", []byte("AGE-SECRET-KEY-1…"))) and unwraps
// what was encrypted to that key's ordinary "age1…" recipient. It returns
// the exit code.
func StubPlugin() int {
	p, err := plugin.New(StubPluginName)
	if err != nil {
		return 1
	}
	p.HandleIdentity(func(data []byte) (age.Identity, error) {
		return age.ParseX25519Identity(string(data))
	})
	return p.Main()
}
