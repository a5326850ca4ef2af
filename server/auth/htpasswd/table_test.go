package htpasswd

import (
	"regexp"
	"strings"
	"testing"
)

// Hashes of "secret" made by Apache's htpasswd 2.4 (see testdata/apache.htpasswd).
const (
	bcryptSecret = "$2y$05$2RguKpEtfWy7t5SHGMeVbOfIo5ipy7x210X7jWE0NVgV3Z81dB6pS"
	shaSecret    = "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="
)

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		wantErr []string // substrings, all required
	}{
		{"plaintext", "alice:secret\n", []string{"users:1:", `user "alice"`, "plaintext passwords are refused"}},
		{"des crypt", "# comment\nbob:rqXexS6ZhobKA\n", []string{"users:2:", `user "bob"`, "DES"}},
		{"no colon", "alice\n", []string{"users:1:", "no ':'"}},
		{"empty user", ":" + shaSecret + "\n", []string{"users:1:", "empty user name"}},
		{"duplicate", "a:" + shaSecret + "\na:" + shaSecret + "\n", []string{"users:2:", "already defined on line 1"}},
		{"malformed bcrypt", "a:$2y$05$short\n", []string{"users:1:", "malformed bcrypt hash"}},
		{"malformed sha", "a:{SHA}!!!\n", []string{"users:1:", "malformed sha1 hash"}},
		{"unknown scheme", "a:$argon2id$v=19$m=65536,t=3,p=4$abc$def\n", []string{"users:1:", "not a supported hash"}},
		{"bcrypt cost above apache's", "a:$2y$18$2RguKpEtfWy7t5SHGMeVbOfIo5ipy7x210X7jWE0NVgV3Z81dB6pS\n", []string{"users:1:", "at most 17, got 18"}},
		{"sha-crypt rounds too high", "a:$6$rounds=900000000$salt$hash\n", []string{"users:1:", "rounds must be between"}},
		{"sha-crypt without hash", "a:$6$rounds=1000$\n", []string{"users:1:", "malformed sha512-crypt hash"}},
		{"apr1 short hash", "a:$apr1$abc$def\n", []string{"users:1:", "malformed apr1-md5 hash"}},
		{"empty file", "\n# only a comment\n", []string{"users: no users defined"}},
		{"every bad line reported", "a:plain\nb:" + shaSecret + "\nc:alsoplain\n", []string{"users:1:", "users:3:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := Parse(strings.NewReader(tc.file), "users")
			if err == nil {
				t.Fatalf("Parse(%q) = %d users, nil error; want an error", tc.file, tab.Len())
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			for _, secret := range []string{"secret", "rqXexS6ZhobKA", "alsoplain", "short", "argon2id"} {
				if strings.Contains(tc.file, secret) && strings.Contains(err.Error(), secret) {
					t.Errorf("error %q leaks the hash or password %q", err, secret)
				}
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	file := "# users\n\nbcrypt:" + bcryptSecret + "\r\n  sha:" + shaSecret + ":extra field\n"
	tab, err := Parse(strings.NewReader(file), "users")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if tab.Len() != 2 {
		t.Errorf("Len() = %d, want 2", tab.Len())
	}
	if got := tab.Weak(); len(got) != 1 || got[0] != "sha" {
		t.Errorf("Weak() = %q, want [sha]", got)
	}
	if got := tab.Slow(); len(got) != 0 {
		t.Errorf("Slow() = %q for cost 5, want none", got)
	}
	// Only the cost field is read when the file is loaded, so the costs
	// are set by hand: hashing at cost 13 would take the test a second.
	costly := strings.NewReader("twelve:" + strings.Replace(bcryptSecret, "$05$", "$12$", 1) +
		"\nthirteen:" + strings.Replace(bcryptSecret, "$05$", "$13$", 1) +
		"\nseventeen:" + strings.Replace(bcryptSecret, "$05$", "$17$", 1) + "\n")
	slow, err := Parse(costly, "costly")
	if err != nil {
		t.Fatal(err)
	}
	if got := slow.Slow(); strings.Join(got, ",") != "thirteen,seventeen" {
		t.Errorf("Slow() = %q, want [thirteen seventeen]", got)
	}
	tests := []struct {
		user, password string
		want           bool
	}{
		{"bcrypt", "secret", true},
		{"bcrypt", "Secret", false},
		{"bcrypt", "", false},
		{"sha", "secret", true},
		{"sha", "secret ", false},
		{"nobody", "secret", false},
		{"BCRYPT", "secret", false},
	}
	for _, tc := range tests {
		if got := tab.Match(tc.user, tc.password); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.user, tc.password, got, tc.want)
		}
	}
}

func TestFakeIsDearestHash(t *testing.T) {
	file := "sha:" + shaSecret + "\nbcrypt:" + bcryptSecret + "\n"
	tab, err := Parse(strings.NewReader(file), "users")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tab.fake, tab.users["bcrypt"].matcher; got != want {
		t.Errorf("fake matcher = %T, want the bcrypt entry's", got)
	}
}

func TestHashLine(t *testing.T) {
	line, err := HashLine("agent", "pa55word", MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line, "agent:$2y$04$") {
		t.Errorf("HashLine = %q, want prefix agent:$2y$04$", line)
	}
	tab, err := Parse(strings.NewReader(line), "line")
	if err != nil {
		t.Fatalf("Parse(HashLine()): %v", err)
	}
	if !tab.Match("agent", "pa55word") {
		t.Errorf("Match(agent, pa55word) = false, want true")
	}

	bad := []struct {
		name, user, password string
		cost                 int
		want                 string
	}{
		{"colon in user", "a:b", "x", MinCost, "must not contain ':'"},
		{"empty user", "", "x", MinCost, "must not be empty"},
		{"control in user", "a\nb", "x", MinCost, "control characters"},
		{"empty password", "a", "", MinCost, "password must not be empty"},
		{"long password", "a", strings.Repeat("x", 73), MinCost, "at most 72 bytes"},
		{"cost too low", "a", "x", 3, "between 4 and 17"},
		{"cost too high", "a", "x", 18, "between 4 and 17"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := HashLine(tc.user, tc.password, tc.cost)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("HashLine error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// costly finds a bcrypt hash of cost 11 or more.
var costly = regexp.MustCompile(`\$2[aby]?\$(1[1-9]|[2-9][0-9])`)

func FuzzParse(f *testing.F) {
	f.Add("alice:" + bcryptSecret + "\n")
	f.Add("a:" + shaSecret + "\nb:plain\n")
	f.Add("a:$apr1$abc$def\n#x\n\n")
	f.Add("a:$6$rounds=1000$salt$hash\n")
	f.Fuzz(func(t *testing.T, file string) {
		tab, err := Parse(strings.NewReader(file), "f")
		if err != nil {
			if tab != nil {
				t.Fatalf("Parse returned a table and an error")
			}
			return
		}
		if tab.Len() == 0 {
			t.Fatalf("Parse accepted a file with no users")
		}
		// Matching must never panic, known user or not. Files with costly
		// hashes (bcrypt cost above 10: cost 17, which Apache allows, takes
		// about 10 s a check) are only parsed: their matching is what the
		// fuzzer would time, not what it could break.
		if costly.MatchString(file) {
			return
		}
		tab.Match("nobody-such", "x")
		for u := range tab.users {
			tab.Match(u, "x")
		}
	})
}

// BenchmarkMatch compares a known user with a wrong password against an
// unknown user: both must cost one bcrypt check (ns/op about equal).
func BenchmarkMatch(b *testing.B) {
	line, err := HashLine("agent", "right", 10)
	if err != nil {
		b.Fatal(err)
	}
	sha := "cheap:" + shaSecret
	tab, err := Parse(strings.NewReader(sha+"\n"+line+"\n"), "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, user string }{{"known-wrong-password", "agent"}, {"unknown-user", "nobody"}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if tab.Match(bc.user, "wrong") {
					b.Fatal("matched")
				}
			}
		})
	}
}
