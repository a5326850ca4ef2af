// Package sessionkey reads access.sessionKeyFile: the keys that several
// softphone instances share so that each accepts the sessions and the
// pending OpenID Connect sign-ins the others made, and so that a restart
// signs nobody out.
//
// The file holds one key per line, each the standard base64 (RFC 4648
// section 4, padded) of at least 32 random bytes, as made by
//
//	openssl rand -base64 32
//
// Blank lines and lines starting with '#' are ignored. The first key signs
// and seals; every key verifies and opens. To rotate without signing anyone
// out, put a new key first and keep the old one below it until the longest
// session made with it has expired, then remove it.
package sessionkey

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// MinKeyBytes is the shortest key accepted: HS256's and A256GCM's key size.
const MinKeyBytes = 32

// maxFile bounds the file's size; a few keys take a few hundred bytes.
const maxFile = 64 << 10

// Set is one version of the file's keys, first the one that signs.
// It never changes after Parse.
type Set struct {
	Keys [][]byte
	sum  [sha256.Size]byte
}

// Parse reads keys from r; name prefixes errors ("keys:3: ...").
func Parse(r io.Reader, name string) (*Set, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxFile)
	}
	s := &Set{sum: sha256.Sum256(data)}
	sc := bufio.NewScanner(bytes.NewReader(data))
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// The line is a secret: errors say what is wrong, never what it is.
		key, err := base64.StdEncoding.DecodeString(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: must be the base64 of at least %d random bytes (openssl rand -base64 32), got text that is not base64", name, n, MinKeyBytes)
		}
		if len(key) < MinKeyBytes {
			return nil, fmt.Errorf("%s:%d: must be the base64 of at least %d random bytes (openssl rand -base64 32), got %d bytes", name, n, MinKeyBytes, len(key))
		}
		if first, dup := seen[string(key)]; dup {
			return nil, fmt.Errorf("%s:%d: the same key as line %d", name, n, first)
		}
		seen[string(key)] = n
		s.Keys = append(s.Keys, key)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(s.Keys) == 0 {
		return nil, fmt.Errorf("%s: has no key; want one base64 key per line (openssl rand -base64 32)", name)
	}
	return s, nil
}

// Load reads and parses the file at path, refusing a file that others than
// its owner may read (see CheckMode).
func Load(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if err := CheckMode(path, st); err != nil {
		return nil, err
	}
	return Parse(f, path)
}

// CheckMode refuses a key file that group or others may read or write. As
// PostgreSQL does for its key files, a file owned by root may be readable by
// its group (mode 0640 or 0440): that is how Kubernetes mounts a Secret for a
// pod that sets fsGroup. Anything else must be 0600 or 0400.
func CheckMode(path string, st fs.FileInfo) error {
	perm := st.Mode().Perm()
	if perm&0o077 == 0 {
		return nil
	}
	if !modeMatters {
		return nil // Windows: the file's ACL decides, not its mode bits
	}
	if ownedByRoot(st) && perm&0o037 == 0 {
		return nil
	}
	return fmt.Errorf("%s: has mode %04o, which lets others than its owner read it; must be 0600 (chmod 600 %s)", path, perm, path)
}

// Equal reports whether two sets hold the same file content.
func (s *Set) Equal(o *Set) bool { return s != nil && o != nil && s.sum == o.sum }
