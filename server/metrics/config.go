package metrics

import (
	"fmt"
	"net"
	"strconv"
)

// Config is the metrics section of softphone.yaml.
type Config struct {
	// Listen is the address of a separate plain-HTTP listener that serves
	// Prometheus metrics at /metrics, such as "127.0.0.1:9464". Keep it on
	// loopback or a management network: it is never gated. Default ""
	// (metrics off, nothing is collected).
	Listen string `mapstructure:"listen"`
}

// Enabled reports whether metrics are collected and served.
func (c Config) Enabled() bool { return c.Listen != "" }

// Validate checks the section; errors name the key path.
func (c Config) Validate() error {
	if c.Listen == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return fmt.Errorf("metrics.listen: must be host:port such as \"127.0.0.1:9464\", or \"\" to turn metrics off, got %q", c.Listen)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("metrics.listen: port must be a number from 0 to 65535, got %q", port)
	}
	return nil
}
