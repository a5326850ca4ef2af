// Package multiinstance tests softphone as a contact center runs it on
// several machines: three instances behind HAProxy (TCP pass-through,
// health checks on /readyz, round robin, no stickiness) sharing
// access.sessionKeyFile. Sessions and OIDC sign-ins made on one instance
// are accepted by the others, survive restarts and key rotation, and a
// rolling restart under wrk's load loses no request.
//
// The tests run the softphone binary (MULTI_BIN, or one built from
// ./cmd/softphone), Debian's haproxy and wrk, and the OpenID provider in
// test/oidctest/.
package multiinstance
