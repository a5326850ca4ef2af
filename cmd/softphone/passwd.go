package main

import (
	"bufio"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/softphone/softphone/server/auth/htpasswd"
)

func newPasswdCmd() *cobra.Command {
	var cost int
	cmd := &cobra.Command{
		Use:   "passwd USER",
		Short: "Print an htpasswd line (bcrypt) for access.basicAuth.htpasswdFile",
		Long: `passwd prints "USER:$2y$..." for an htpasswd file, hashed with bcrypt as
Apache's "htpasswd -B" does; Apache, NGINX and softphone all accept it.

The password is asked twice on the terminal without echo, or read from the
first line of standard input when that is not a terminal:

  softphone passwd agent >> /etc/softphone/htpasswd
  printf '%s\n' "$PASSWORD" | softphone passwd agent >> /etc/softphone/htpasswd`,
		Args: func(_ *cobra.Command, args []string) error {
			switch len(args) {
			case 1:
				return nil
			case 0:
				return errors.New("passwd needs the user name: softphone passwd USER >> htpasswd (the password is asked on the terminal, or read from standard input)")
			}
			return fmt.Errorf("passwd takes one user name, got %d arguments: %q", len(args), args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			user := args[0]
			if err := htpasswd.CheckUser(user); err != nil {
				return err
			}
			password, err := readPassword(cmd.InOrStdin(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			line, err := htpasswd.HashLine(user, password, cost)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), line)
			return err
		},
	}
	cmd.Flags().IntVar(&cost, "cost", htpasswd.DefaultCost,
		fmt.Sprintf("bcrypt cost, %d to %d (each step doubles the work)", htpasswd.MinCost, htpasswd.MaxCost))
	return cmd
}

// readPassword prompts twice on a terminal, or reads one line otherwise.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		fmt.Fprint(prompt, "New password: ")
		first, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(prompt, "Re-type new password: ")
		second, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if subtle.ConstantTimeCompare(first, second) != 1 {
			return "", errors.New("passwords do not match")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
