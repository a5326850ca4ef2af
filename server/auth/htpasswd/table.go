// Package htpasswd reads Apache htpasswd files for HTTP basic authentication.
//
// Accepted hash formats are the salted ones Apache's own htpasswd tool writes:
// bcrypt ($2y$, -B), MD5 "apr1" ($apr1$, -m), SHA-256-crypt ($5$, -2) and
// SHA-512-crypt ($6$, -5), plus the unsalted {SHA} (-s) and {SSHA} that older
// files carry. Plaintext (-p) and crypt(3) DES (-d) lines are refused when the
// file is loaded, with file:line, so a weak file never starts serving.
//
// Verifying a hash is delegated to github.com/tg123/go-htpasswd, whose
// matchers compare in constant time; this package adds strict parsing,
// a fake check for unknown users, and re-reading the file when it changes.
package htpasswd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	gohtpasswd "github.com/tg123/go-htpasswd"
	"golang.org/x/crypto/bcrypt"
)

// maxLine bounds one line of the file; real lines are well under 200 bytes.
const maxLine = 64 << 10

// Format names a hash format, as written in logs and errors.
type Format string

// The hash formats a Table accepts.
const (
	Bcrypt     Format = "bcrypt"
	APR1       Format = "apr1-md5"
	MD5Crypt   Format = "md5-crypt"
	SHA256     Format = "sha256-crypt"
	SHA512     Format = "sha512-crypt"
	SHA1       Format = "sha1"
	SaltedSHA1 Format = "ssha1"
)

// weak reports formats that a modern file should not use any more.
func (f Format) weak() bool {
	return f == SHA1 || f == SaltedSHA1 || f == APR1 || f == MD5Crypt
}

// rank orders formats by verification cost, so the fake check done for an
// unknown user costs what the dearest real one does.
func (f Format) rank() int {
	switch f {
	case Bcrypt:
		return 4
	case SHA512, SHA256:
		return 3
	case APR1, MD5Crypt:
		return 2
	default:
		return 1
	}
}

type entry struct {
	matcher gohtpasswd.EncodedPasswd
	format  Format
	cost    int // bcrypt cost; 0 for other formats
}

// Table is one parsed htpasswd file. It is immutable and safe for
// concurrent use.
type Table struct {
	users map[string]entry
	// fake is checked for unknown users, so that an unknown user costs the
	// same as a known one with a wrong password.
	fake  gohtpasswd.EncodedPasswd
	best  entry    // the dearest entry, which fake is
	order []string // users in file order
	weak  []string
	slow  []string
}

// Parse reads an htpasswd file. name is used in error messages
// ("name:line: ..."). Every bad line is reported, not only the first; hashes
// never appear in errors. Blank lines and lines starting with '#' are
// skipped, as Apache does. A file with no users is an error: it would lock
// everybody out.
func Parse(r io.Reader, name string) (*Table, error) {
	t := &Table{users: map[string]entry{}}
	var errs []error
	firstLine := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxLine)
	var best entry
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, rest, ok := strings.Cut(line, ":")
		if !ok {
			errs = append(errs, fmt.Errorf("%s:%d: want user:hash, found no ':'", name, n))
			continue
		}
		if user == "" {
			errs = append(errs, fmt.Errorf("%s:%d: empty user name", name, n))
			continue
		}
		// Like Apache's mod_authn_file, the hash ends at the next ':'.
		hash, _, _ := strings.Cut(rest, ":")
		hash = strings.TrimSpace(hash)
		if prev, dup := firstLine[user]; dup {
			errs = append(errs, fmt.Errorf("%s:%d: user %q is already defined on line %d", name, n, user, prev))
			continue
		}
		e, err := parseHash(hash)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: user %q: %w", name, n, user, err))
			continue
		}
		firstLine[user] = n
		t.users[user] = e
		t.order = append(t.order, user)
		if e.format.weak() {
			t.weak = append(t.weak, user)
		}
		if e.cost > DefaultCost {
			t.slow = append(t.slow, user)
		}
		if best.matcher == nil || e.format.rank() > best.format.rank() ||
			(e.format == best.format && e.cost > best.cost) {
			best = e
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s:%d: %w", name, n+1, err))
	}
	if len(errs) == 0 && len(t.users) == 0 {
		errs = append(errs, fmt.Errorf("%s: no users defined", name))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	t.fake, t.best = best.matcher, best
	return t, nil
}

// parseHash recognises one hash. Errors name the problem, never the hash.
func parseHash(h string) (entry, error) {
	type acceptor struct {
		prefixes []string
		format   Format
		accept   gohtpasswd.PasswdParser
	}
	acceptors := []acceptor{
		{[]string{"$2y$", "$2b$", "$2a$"}, Bcrypt, gohtpasswd.AcceptBcrypt},
		{[]string{"$apr1$"}, APR1, gohtpasswd.AcceptMd5},
		{[]string{"$1$"}, MD5Crypt, gohtpasswd.AcceptMd5},
		{[]string{"$5$"}, SHA256, gohtpasswd.AcceptCryptSha},
		{[]string{"$6$"}, SHA512, gohtpasswd.AcceptCryptSha},
		{[]string{"{SHA}"}, SHA1, gohtpasswd.AcceptSha},
		{[]string{"{SSHA}"}, SaltedSHA1, gohtpasswd.AcceptSsha},
	}
	for _, a := range acceptors {
		for _, p := range a.prefixes {
			if !strings.HasPrefix(h, p) {
				continue
			}
			e := entry{format: a.format}
			if a.format == Bcrypt {
				cost, err := bcrypt.Cost([]byte(h))
				if err != nil {
					return entry{}, fmt.Errorf("malformed bcrypt hash")
				}
				if cost > MaxCost {
					return entry{}, fmt.Errorf("bcrypt cost must be at most %d, got %d", MaxCost, cost)
				}
				e.cost = cost
			}
			if err := checkCrypt(a.format, h[len(p):]); err != nil {
				return entry{}, err
			}
			m, err := a.accept(h)
			if err != nil || m == nil {
				// The library's message quotes the hash; ours does not.
				return entry{}, fmt.Errorf("malformed %s hash", a.format)
			}
			e.matcher = m
			return e, nil
		}
	}
	if isDESCrypt(h) {
		return entry{}, errors.New("crypt(3) DES hashes are refused (8-character limit, trivially cracked); " +
			"re-create the line with `softphone passwd` or `htpasswd -B`")
	}
	return entry{}, errors.New("not a supported hash (plaintext passwords are refused); accepted: " +
		"bcrypt ($2y$), $apr1$, $5$, $6$, {SHA}, {SSHA}; re-create the line with `softphone passwd` or `htpasswd -B`")
}

// maxRounds bounds SHA-crypt rounds: dearer hashes would let every login
// attempt burn seconds of CPU. Apache's htpasswd writes 5000 unless told (-r).
const maxRounds = 500_000

// cryptShape is the "salt$hash" part of an MD5- or SHA-crypt hash: the
// longest salt and the exact hash length, in characters of the crypt
// alphabet.
var cryptShape = map[Format]struct{ salt, hash int }{
	APR1:     {8, 22},
	MD5Crypt: {8, 22},
	SHA256:   {16, 43},
	SHA512:   {16, 86},
}

// checkCrypt checks the structure of a crypt-style hash after its "$id$"
// prefix, so that only well-formed hashes reach the matcher (which does not
// survive some malformed ones).
func checkCrypt(f Format, rest string) error {
	shape, ok := cryptShape[f]
	if !ok {
		return nil
	}
	if f == SHA256 || f == SHA512 {
		if v, ok := strings.CutPrefix(rest, "rounds="); ok {
			v, after, _ := strings.Cut(v, "$")
			n, err := strconv.Atoi(v)
			if err != nil || n < 1000 || n > maxRounds {
				return fmt.Errorf("%s rounds must be between 1000 and %d, got %q", f, maxRounds, v)
			}
			rest = after
		}
	}
	salt, hash, ok := strings.Cut(rest, "$")
	if !ok || len(salt) > shape.salt || len(hash) != shape.hash || !isCryptAlphabet(salt) || !isCryptAlphabet(hash) {
		return fmt.Errorf("malformed %s hash", f)
	}
	return nil
}

func isCryptAlphabet(s string) bool {
	for _, c := range []byte(s) {
		if !(c == '.' || c == '/' || ('0' <= c && c <= '9') || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z')) {
			return false
		}
	}
	return true
}

// isDESCrypt reports a traditional crypt(3) hash: 2 salt and 11 hash
// characters from the alphabet ./0-9A-Za-z.
func isDESCrypt(h string) bool {
	return len(h) == 13 && isCryptAlphabet(h)
}

// Match reports whether user and password match an entry. An unknown user
// still costs one check against the file's dearest hash, so response timing
// does not tell which users exist.
func (t *Table) Match(user, password string) bool {
	e, ok := t.users[user]
	if !ok {
		t.fake.MatchesPassword(password)
		return false
	}
	return e.matcher.MatchesPassword(password)
}

// Len is the number of users.
func (t *Table) Len() int { return len(t.users) }

// Weak lists users whose hashes are unsalted or MD5-based ({SHA}, {SSHA},
// $apr1$, $1$), in file order, for a warning at load time.
func (t *Table) Weak() []string { return t.weak }

// MinSafeCost is the lowest bcrypt cost not warned about: below it a
// stolen file's passwords fall to a GPU quickly.
const MinSafeCost = 10

// LowCost lists users whose bcrypt cost is below MinSafeCost, in file order.
func (t *Table) LowCost() []string {
	var out []string
	for _, u := range t.order {
		if e := t.users[u]; e.format == Bcrypt && e.cost < MinSafeCost {
			out = append(out, u)
		}
	}
	return out
}

// Cheaper lists users, in file order, whose hash is cheaper to check than
// the file's dearest one, which an unknown user's check costs: their
// answers come faster than an unknown user's, so timing tells that they
// exist. Giving every user the same format and cost closes that gap.
func (t *Table) Cheaper() []string {
	var out []string
	for _, u := range t.order {
		if e := t.users[u]; e.format.rank() < t.best.format.rank() || (e.format == t.best.format && e.cost < t.best.cost) {
			out = append(out, u)
		}
	}
	return out
}

// Slow lists users whose bcrypt cost is above DefaultCost, in file order,
// for a warning at load time: every check of their password, right or
// wrong, costs the server twice as much CPU per step (about 0.5 s at 13,
// 15 s at 17), and an unknown user's check costs as much as the dearest.
func (t *Table) Slow() []string { return t.slow }
