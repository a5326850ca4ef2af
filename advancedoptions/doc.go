// Package advancedoptions turns the advancedOptions section of softphone.yaml
// into the advancedOptions.js the web client reads, checked before any
// browser sees it.
//
// [Compile] is the whole pipeline and a pure function of its input:
//
//	migrate  deprecated keys rewritten as the vendor manual maps them (migrate*.go)
//	decode   strict: unknown keys (with a did-you-mean), wrong types and
//	         duplicate keys are errors with key path and file:line:col (decode.go)
//	defaults every default the manual documents (defaults.go)
//	validate every rule, all errors at once; unsafe but legal choices are
//	         warnings (validate*.go)
//	render   one "var NAME = JSON;" per set key, in schema order (render.go)
//
// The schema is the [Options] struct: field doc comments give each key's
// meaning and default, json tags its exact, case-sensitive name, used both to
// decode the YAML node and to render. The YAML is read as a yaml.Node rather
// than through viper, which lowercases keys: ACDClientConfig and the keys of
// free-form maps such as customerInfoContextDisplayMapping reach the browser
// exactly as written, in the order written ([Mapping]).
//
// [ImportLegacy] reads an existing advancedOptions.js without executing it.
// It parses the file with github.com/dop251/goja/parser, the parser of a
// maintained pure-Go ECMAScript engine: it accepts everything a browser
// accepts in such files (comments, single quotes, trailing commas, template
// strings) and positions every node, so anything that is not a literal is
// refused with its line and column. Only the parser is used; nothing runs.
//
// Environment variables and the rest of softphone.yaml are read by
// internal/config, which hands the section (with SOFTPHONE_ADVANCEDOPTIONS_*
// variables applied) to [Compile].
package advancedoptions
