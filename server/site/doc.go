// Package site is the in-memory store of the served tree: the embedded web
// client, the default brand assets, an optional brand overlay folder and the
// files generated from config (advancedOptions.js).
//
// Everything a response needs is computed once, when the store is built:
// content type, cache policy, and for each representation (identity, br,
// gzip) its bytes and a strong ETag. Serving is then a map lookup and a
// write, which is why softphone can beat a general-purpose web server that
// compresses on the fly or stats files per request.
package site
