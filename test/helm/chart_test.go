package helm

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

const chart = "../../examples/helm/softphone"

// helm returns the Helm pinned in go.mod ("tool" directive): `go tool -n`
// builds it into the build cache when needed and prints its path.
func helm(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "tool", "-n", "helm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go tool -n helm: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+t.TempDir(), "HELM_CONFIG_HOME="+t.TempDir(), "HELM_DATA_HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// certificate is cert-manager's Certificate (cert-manager.io/v1), the
// fields the chart sets: a CRD, so not in k8s.io/api.
type certificate struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name   string            `json:"name"`
		Labels map[string]string `json:"labels"`
	} `json:"metadata"`
	Spec struct {
		SecretName string   `json:"secretName"`
		DNSNames   []string `json:"dnsNames"`
		PrivateKey struct {
			Algorithm      string `json:"algorithm"`
			Size           int    `json:"size"`
			RotationPolicy string `json:"rotationPolicy"`
		} `json:"privateKey"`
		IssuerRef struct {
			Name  string `json:"name"`
			Kind  string `json:"kind"`
			Group string `json:"group"`
		} `json:"issuerRef"`
	} `json:"spec"`
}

// rendered is one `helm template` output, decoded.
type rendered struct {
	deployment  *appsv1.Deployment
	service     *corev1.Service
	configMap   *corev1.ConfigMap
	secrets     map[string]*corev1.Secret
	ingress     *networkingv1.Ingress
	pdb         *policyv1.PodDisruptionBudget
	hpa         *autoscalingv2.HorizontalPodAutoscaler
	certificate *certificate
}

var docSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// decode splits the manifest and decodes every object strictly into its
// type: an unknown or misspelt field, or an unknown kind, fails the test.
func decode(t *testing.T, manifest string) rendered {
	t.Helper()
	r := rendered{secrets: map[string]*corev1.Secret{}}
	for _, doc := range docSeparator.Split(manifest, -1) {
		if strings.TrimSpace(strings.ReplaceAll(doc, "# Source:", "")) == "" || isOnlyComments(doc) {
			continue
		}
		var head struct{ APIVersion, Kind string }
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			t.Fatalf("rendered YAML: %v\n%s", err, doc)
		}
		var obj any
		switch head.APIVersion + " " + head.Kind {
		case "apps/v1 Deployment":
			r.deployment = &appsv1.Deployment{}
			obj = r.deployment
		case "v1 Service":
			r.service = &corev1.Service{}
			obj = r.service
		case "v1 ConfigMap":
			r.configMap = &corev1.ConfigMap{}
			obj = r.configMap
		case "v1 Secret":
			s := &corev1.Secret{}
			obj = s
			defer func() { r.secrets[s.Name] = s }()
		case "networking.k8s.io/v1 Ingress":
			r.ingress = &networkingv1.Ingress{}
			obj = r.ingress
		case "policy/v1 PodDisruptionBudget":
			r.pdb = &policyv1.PodDisruptionBudget{}
			obj = r.pdb
		case "autoscaling/v2 HorizontalPodAutoscaler":
			r.hpa = &autoscalingv2.HorizontalPodAutoscaler{}
			obj = r.hpa
		case "cert-manager.io/v1 Certificate":
			r.certificate = &certificate{}
			obj = r.certificate
		default:
			t.Fatalf("rendered an object of unexpected kind %s %s", head.APIVersion, head.Kind)
		}
		if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
			t.Fatalf("%s does not decode strictly into its API type: %v\n%s", head.Kind, err, doc)
		}
	}
	return r
}

func isOnlyComments(doc string) bool {
	for _, line := range strings.Split(doc, "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

func TestChart(t *testing.T) {
	start := time.Now()
	h := helm(t)
	t.Logf("helm at %s (%s)", h, time.Since(start).Round(time.Millisecond))
	run(t, h, "lint", "--strict", chart)

	everything := []string{
		"--set", "ingress.enabled=true", "--set", "autoscaling.enabled=true",
		"--set", "basicAuth.enabled=true", "--set-string", "basicAuth.htpasswd=agent:$2y$10$abcdefghijklmnopqrstuuJ5t8cV5hY2d6pQZ3V7W1n0Gk4Gm8f1e",
		"--set", "sessionKeys.keys={" + key(2) + "," + key(1) + "}",
		"--set", "tls.certManager.enabled=false", "--set", "tls.secretName=softphone-tls",
		"--set", "shutdownDelaySeconds=7",
	}
	run(t, h, append([]string{"lint", "--strict", chart}, everything...)...)

	t.Run("defaults", func(t *testing.T) {
		r := decode(t, run(t, h, "template", "sp", chart, "--namespace", "cc"))
		checkCommon(t, r, 10, 15)
		if r.deployment.Spec.Replicas == nil || *r.deployment.Spec.Replicas != 3 {
			t.Errorf("replicas = %v, want 3", r.deployment.Spec.Replicas)
		}
		if r.certificate == nil || r.certificate.Spec.SecretName != "sp-softphone-tls" {
			t.Errorf("cert-manager Certificate = %+v, want one into sp-softphone-tls", r.certificate)
		}
		if r.pdb == nil || r.pdb.Spec.MaxUnavailable == nil || r.pdb.Spec.MaxUnavailable.IntValue() != 1 {
			t.Errorf("PodDisruptionBudget = %+v, want maxUnavailable 1", r.pdb)
		}
		if r.ingress != nil || r.hpa != nil {
			t.Error("ingress or HorizontalPodAutoscaler rendered though off by default")
		}
		keys := r.secrets["sp-softphone-session-keys"]
		if keys == nil {
			t.Fatalf("no session key Secret; secrets %v", keys)
		}
		checkKeyFile(t, string(keys.Data["session-keys"]), 1)
	})

	t.Run("everything on", func(t *testing.T) {
		r := decode(t, run(t, h, append([]string{"template", "sp", chart}, everything...)...))
		checkCommon(t, r, 7, 15)
		if r.deployment.Spec.Replicas != nil {
			t.Errorf("replicas = %d with autoscaling on, want unset (the HorizontalPodAutoscaler decides)", *r.deployment.Spec.Replicas)
		}
		if r.hpa == nil || r.hpa.Spec.ScaleTargetRef.Name != r.deployment.Name {
			t.Errorf("HorizontalPodAutoscaler = %+v, want one scaling %s", r.hpa, r.deployment.Name)
		}
		if r.ingress == nil || r.ingress.Annotations["nginx.ingress.kubernetes.io/ssl-passthrough"] != "true" {
			t.Errorf("Ingress = %+v, want TLS pass-through", r.ingress)
		}
		if r.certificate != nil {
			t.Error("cert-manager Certificate rendered though tls.certManager.enabled=false")
		}
		checkKeyFile(t, string(r.secrets["sp-softphone-session-keys"].Data["session-keys"]), 2)
		if ht := r.secrets["sp-softphone-htpasswd"]; ht == nil || !strings.HasPrefix(string(ht.Data["htpasswd"]), "agent:$2y$") {
			t.Errorf("htpasswd Secret = %+v", ht)
		}
		cfg := softphoneYAML(t, r)
		if got := cfg.Access.BasicAuth.HtpasswdFile; got != "/etc/softphone/htpasswd/htpasswd" || !mounted(r, got) {
			t.Errorf("access.basicAuth.htpasswdFile = %q, want a file of the mounted htpasswd Secret", got)
		}
		if vol := volume(r, "tls"); vol == nil || vol.Secret == nil || vol.Secret.SecretName != "softphone-tls" {
			t.Errorf("tls volume = %+v, want Secret softphone-tls", vol)
		}
	})

	t.Run("basicAuth without htpasswd is refused", func(t *testing.T) {
		cmd := exec.Command(h, "template", "sp", chart, "--set", "basicAuth.enabled=true")
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "basicAuth.htpasswd: set the htpasswd lines") {
			t.Errorf("helm template with basicAuth on and no htpasswd: %v\n%s", err, out)
		}
	})
}

// softphoneConfig is the part of the rendered softphone.yaml the chart
// wires to the pod.
type softphoneConfig struct {
	Listen   string `json:"listen"`
	BasePath string `json:"basePath"`
	StateDir string `json:"stateDir"`
	TLS      struct {
		Mode     string `json:"mode"`
		CertFile string `json:"certFile"`
		KeyFile  string `json:"keyFile"`
	} `json:"tls"`
	Access struct {
		SessionKeyFile string `json:"sessionKeyFile"`
		BasicAuth      struct {
			HtpasswdFile string `json:"htpasswdFile"`
		} `json:"basicAuth"`
	} `json:"access"`
	Timeouts struct {
		Shutdown      string `json:"shutdown"`
		ShutdownDelay string `json:"shutdownDelay"`
	} `json:"timeouts"`
	AdvancedOptions map[string]any `json:"advancedOptions"`
}

func softphoneYAML(t *testing.T, r rendered) softphoneConfig {
	t.Helper()
	if r.configMap == nil {
		t.Fatal("no ConfigMap")
	}
	var c softphoneConfig
	if err := yaml.Unmarshal([]byte(r.configMap.Data["softphone.yaml"]), &c); err != nil {
		t.Fatalf("softphone.yaml in the ConfigMap: %v", err)
	}
	return c
}

// checkCommon checks what every rendering must hold: probes, the shutdown
// delay matching the readiness behaviour, non-root, a read-only root, and
// every file the config names inside a mounted volume.
func checkCommon(t *testing.T, r rendered, delay, timeout int) {
	t.Helper()
	if r.deployment == nil || r.service == nil || r.configMap == nil {
		t.Fatalf("missing Deployment, Service or ConfigMap")
	}
	pod := r.deployment.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if p := c.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" || p.HTTPGet.Scheme != corev1.URISchemeHTTPS {
		t.Errorf("readiness probe = %+v, want HTTPS /readyz", p)
	}
	if p := c.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
		t.Errorf("liveness probe = %+v, want /healthz", p)
	}
	cfg := softphoneYAML(t, r)
	if cfg.Timeouts.ShutdownDelay != fmt.Sprintf("%ds", delay) || cfg.Timeouts.Shutdown != fmt.Sprintf("%ds", timeout) {
		t.Errorf("timeouts = %+v, want shutdownDelay %ds, shutdown %ds", cfg.Timeouts, delay, timeout)
	}
	// The delay must outlast the readiness probe's way to "not ready".
	if p := c.ReadinessProbe; p != nil && int(p.PeriodSeconds*p.FailureThreshold) >= delay {
		t.Errorf("readiness probe takes %ds to fail, not shorter than the %ds shutdown delay", p.PeriodSeconds*p.FailureThreshold, delay)
	}
	if g := pod.TerminationGracePeriodSeconds; g == nil || *g <= int64(delay+timeout) {
		t.Errorf("terminationGracePeriodSeconds = %v, want more than delay + shutdown (%d)", g, delay+timeout)
	}
	if sc := pod.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
		t.Errorf("pod securityContext = %+v, want non-root", sc)
	}
	if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("container securityContext = %+v, want a read-only root and no privilege escalation", sc)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources = %+v, want CPU requests and a memory limit", c.Resources)
	}
	if c.Args[len(c.Args)-1] != "/etc/softphone/config/softphone.yaml" || !mounted(r, c.Args[len(c.Args)-1]) {
		t.Errorf("args %v: the config file is not in a mounted volume", c.Args)
	}
	for _, m := range c.VolumeMounts {
		if m.SubPath != "" {
			t.Errorf("volume %s mounted with subPath: the kubelet never updates those", m.Name)
		}
		if volume(r, m.Name) == nil {
			t.Errorf("volumeMount %s has no volume", m.Name)
		}
	}
	if cfg.TLS.Mode != "files" || !mounted(r, cfg.TLS.CertFile) || !mounted(r, cfg.TLS.KeyFile) {
		t.Errorf("tls = %+v, want files mode from the mounted Secret", cfg.TLS)
	}
	if !mounted(r, cfg.Access.SessionKeyFile) {
		t.Errorf("access.sessionKeyFile %q is not in a mounted volume", cfg.Access.SessionKeyFile)
	}
	if cfg.Listen != ":8443" || c.Ports[0].ContainerPort != 8443 || r.service.Spec.Ports[0].TargetPort.String() != "https" {
		t.Errorf("listen %q, container port %d, service target %s: want 8443 throughout", cfg.Listen, c.Ports[0].ContainerPort, r.service.Spec.Ports[0].TargetPort.String())
	}
	if cfg.BasePath != "/webrtc_client/" || cfg.AdvancedOptions["defaultServerConfig"] == nil {
		t.Errorf("softphone.yaml lost the values' config: %+v", cfg)
	}
}

// mounted reports whether path lies in a folder the container mounts.
func mounted(r rendered, path string) bool {
	for _, m := range r.deployment.Spec.Template.Spec.Containers[0].VolumeMounts {
		if strings.HasPrefix(path, strings.TrimSuffix(m.MountPath, "/")+"/") {
			return true
		}
	}
	return false
}

func volume(r rendered, name string) *corev1.Volume {
	for i, v := range r.deployment.Spec.Template.Spec.Volumes {
		if v.Name == name {
			return &r.deployment.Spec.Template.Spec.Volumes[i]
		}
	}
	return nil
}

// key is a session key as `openssl rand -base64 32` prints it.
func key(seed byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{seed}, 32))
}

// checkKeyFile checks the access.sessionKeyFile format: n lines, each the
// base64 of at least 32 bytes.
func checkKeyFile(t *testing.T, file string, n int) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(file), "\n")
	if len(lines) != n {
		t.Fatalf("session key file has %d lines, want %d", len(lines), n)
	}
	for i, l := range lines {
		b, err := base64.StdEncoding.DecodeString(l)
		if err != nil || len(b) < 32 {
			t.Errorf("session key line %d: %d bytes, %v; want the base64 of at least 32 bytes", i+1, len(b), err)
		}
	}
}
