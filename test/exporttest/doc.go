// Package exporttest checks `softphone export` end to end: the real binary
// writes the served tree, Debian's nginx serves it with
// examples/nginx/softphone-export.conf, and every file must come back with
// the bytes, content coding, Content-Type and Cache-Control the softphone
// itself would send. It has tests only.
package exporttest
