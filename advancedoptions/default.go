package advancedoptions

import _ "embed"

// DefaultYAML is a demo configuration document whose top-level
// advancedOptions key is valid under [Compile] (SBC wss://sbc.example.com:10081,
// SIP domain example.com). softphone serves it when run without a
// configuration file; take the section with [SectionOf].
//
//go:embed default.yaml
var DefaultYAML []byte
