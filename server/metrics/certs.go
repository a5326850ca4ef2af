package metrics

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	certExpiryDesc = prometheus.NewDesc(namespace+"_tls_certificate_expiry_seconds",
		"Seconds until the served TLS certificate expires (negative once expired), by the names it covers.",
		[]string{"names"}, nil)
	certNotAfterDesc = prometheus.NewDesc(namespace+"_tls_certificate_not_after_timestamp_seconds",
		"Unix time the served TLS certificate expires, by the names it covers.",
		[]string{"names"}, nil)
)

// certCollector reads the certificates at scrape time.
type certCollector struct{ m *Metrics }

func (c certCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- certExpiryDesc
	ch <- certNotAfterDesc
}

func (c certCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.certMu.Lock()
	fn := c.m.certs
	c.m.certMu.Unlock()
	if fn == nil {
		return
	}
	t := c.m.now()
	seen := map[string]bool{}
	for _, cert := range fn() {
		names := strings.Join(cert.Names, ",")
		if seen[names] {
			continue // two label sets alike would fail the scrape
		}
		seen[names] = true
		ch <- prometheus.MustNewConstMetric(certExpiryDesc, prometheus.GaugeValue, cert.NotAfter.Sub(t).Seconds(), names)
		ch <- prometheus.MustNewConstMetric(certNotAfterDesc, prometheus.GaugeValue, float64(cert.NotAfter.Unix()), names)
	}
}

var _ prometheus.Collector = certCollector{}
