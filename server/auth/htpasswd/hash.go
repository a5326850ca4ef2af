package htpasswd

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/bcrypt"
)

// DefaultCost is the bcrypt cost HashLine uses unless told otherwise: about
// a quarter of a second on a current server core. Apache's htpasswd accepts
// costs 4 to 17 (its -C flag), so HashLine stays inside that range.
const DefaultCost = 12

// MinCost and MaxCost bound the bcrypt cost, as Apache's htpasswd does.
const (
	MinCost = 4
	MaxCost = 17
)

// maxPassword is bcrypt's input limit; longer passwords are refused rather
// than silently truncated.
const maxPassword = 72

// CheckUser reports whether name can be an htpasswd user name: not empty,
// at most 255 bytes, no ':' (the field separator) and no control characters.
func CheckUser(name string) error {
	switch {
	case name == "":
		return errors.New("user name must not be empty")
	case len(name) > 255:
		return fmt.Errorf("user name must be at most 255 bytes, got %d", len(name))
	case strings.Contains(name, ":"):
		return fmt.Errorf("user name must not contain ':', got %q", name)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("user name must not contain control characters, got %q", name)
	}
	return nil
}

// HashLine returns "user:$2y$cost$..." for an htpasswd file. Go's bcrypt
// writes the "$2a$" tag; the algorithm it implements is the one "$2y$" names
// (the tag Apache's htpasswd -B writes), so the tag is rewritten to match.
func HashLine(user, password string, cost int) (string, error) {
	if err := CheckUser(user); err != nil {
		return "", err
	}
	if password == "" {
		return "", errors.New("password must not be empty")
	}
	if len(password) > maxPassword {
		return "", fmt.Errorf("password must be at most %d bytes (bcrypt's limit), got %d", maxPassword, len(password))
	}
	if cost < MinCost || cost > MaxCost {
		return "", fmt.Errorf("cost must be between %d and %d, got %d", MinCost, MaxCost, cost)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("bcrypt: %w", err)
	}
	return user + ":$2y$" + strings.TrimPrefix(string(h), "$2a$"), nil
}
