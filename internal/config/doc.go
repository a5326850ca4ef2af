// Package config is softphone's one config pipeline: softphone.yaml (or
// the embedded default), the SOFTPHONE_* environment and the command's
// flags become a validated server.Config with its rendered client config
// ([Load]).
//
// Every key, server or client, has one environment twin: SOFTPHONE_ + its
// key path in upper snake case ([EnvName]); each key may also be written
// in upper case without word breaks (SOFTPHONE_ACCESS_JWT_HMACSECRET for
// access.jwt.hmacSecret), and list items of the client config take their
// index (SOFTPHONE_ADVANCEDOPTIONS_AUTHPROVIDERSCONFIG_PROVIDERS_0_CLIENTID).
// Flags win over the environment, which wins over the file.
//
// Every finding is one [Diagnostic] type (file or the variable or flag that
// set the key, line, column, key path, severity, message), for server keys
// and client keys alike, in a stable order.
//
// Why not viper: viper lowercases keys (the client config is
// case-sensitive), forgets where a value came from (so an error could not
// name its line or its variable), and decodes weakly ("read: 30" became 30
// nanoseconds). The sources here are three and their precedence one rule,
// so the package overlays the environment and the flags on the parsed YAML
// document and decodes that document strictly, keeping each key's origin.
package config
