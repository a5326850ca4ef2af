package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/softphone/softphone/assets"
	"github.com/softphone/softphone/internal/brand"
	"github.com/softphone/softphone/server/auth"
	"github.com/softphone/softphone/server/branding"
	"github.com/softphone/softphone/server/metrics"
	"github.com/softphone/softphone/server/site"
	"github.com/softphone/softphone/webclient"
)

// handler is everything one config produces for serving requests. It is
// built whole, then swapped in atomically; nothing in it changes afterwards.
type handler struct {
	store *site.Store
	gate  *auth.Gate // nil when no gate is configured
	sec   securityHeaders
	root  http.Handler
}

// Layers returns the served tree's sources in override order: the web
// client build, the default brand assets, the brand embedded by a branded
// build, then the admin's brand folder.
func Layers(brandDir string) []site.Layer {
	layers := []site.Layer{
		{Name: "webclient", FS: webclient.Dist(), Embedded: true},
		{Name: "assets", FS: assets.FS(), Embedded: true},
		{Name: "brand", FS: brand.Files(), Embedded: true}, // embedded by `make brand`; empty otherwise
	}
	if brandDir != "" {
		// Links leaving the folder are refused (softphone check names them).
		layers = append(layers, site.Layer{Name: "branding", FS: branding.DirFS(brandDir)})
	}
	return layers
}

// buildHandler builds the store and router for cfg. prev, when not nil,
// lends compressed files that did not change, so a reload is cheap.
func buildHandler(cfg *Config, prev *handler, logger *slog.Logger, m *metrics.Metrics, ready http.Handler) (*handler, error) {
	if cfg.Branding.Dir != "" {
		st, err := os.Stat(cfg.Branding.Dir)
		if err != nil {
			return nil, fmt.Errorf("branding.dir: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("branding.dir: must be a folder, got the file %q", cfg.Branding.Dir)
		}
	}
	var previous *site.Store
	if prev != nil {
		previous = prev.store
	}
	store, err := site.Build(Layers(cfg.Branding.Dir), site.Options{
		Generated: map[string][]byte{site.GeneratedConfigPath: cfg.Client.JS},
		Previous:  previous,
	})
	if err != nil {
		return nil, err
	}
	if store.Lookup("index.html") == nil {
		return nil, errors.New("the web client build has no index.html")
	}
	h := &handler{store: store}
	if cfg.Access.Enabled() {
		var opts []auth.Option
		if prev != nil && prev.gate != nil {
			// JWKS and replay caches carry over, so a reload neither refetches
			// keys nor forgets which callback tokens were already used.
			opts = append(opts, auth.WithPrevious(prev.gate))
		}
		access := cfg.Access
		access.PublicOrigins = cfg.publicOrigins()
		g, err := auth.New(access, cfg.BasePath, logger, opts...)
		if err != nil {
			return nil, err
		}
		h.gate = g
	}
	// Inside the access log (which attaches reqinfo), so denials the gate
	// records are counted; a nil *Metrics passes requests through.
	h.root = m.Middleware(metrics.RouteClasses(cfg.BasePath))(h.router(cfg, ready))
	return h, nil
}

func (h *handler) close() {
	if h != nil && h.gate != nil {
		h.gate.Close()
	}
}

func (h *handler) router(cfg *Config, ready http.Handler) http.Handler {
	r := chi.NewRouter()
	r.Use(routeDecoded)
	h.sec = newSecurityHeaders(cfg)
	r.Use(h.sec.middleware)
	r.NotFound(notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
	})

	r.Get("/healthz", health)
	r.Head("/healthz", health)
	r.Method(http.MethodGet, "/readyz", ready)
	r.Method(http.MethodHead, "/readyz", ready)

	base := cfg.BasePath
	if base != "/" {
		// "/webrtc_client" -> "/webrtc_client/": relative asset URLs need
		// the slash. The target is built from basePath, never from the
		// request, so this cannot redirect off-site.
		r.Handle(strings.TrimSuffix(base, "/"), redirectTo(base, http.StatusMovedPermanently))
		// "/" -> basePath: agents who type the host name alone land on the
		// softphone. 302, not 301: basePath may change with a reload, and a
		// cached permanent redirect would outlive it.
		r.Handle("/", redirectTo(base, http.StatusFound))
	}
	// Every method passes the gate first, so an unauthenticated client
	// learns nothing from 405 versus 404.
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.serveFile(w, r, base)
	})
	var tree http.Handler = files
	if h.gate != nil {
		tree = h.gate.Middleware(files)
	}
	r.Handle(base+"*", tree)
	return r
}

func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, base string) {
	rel := strings.TrimPrefix(r.URL.Path, base)
	escaped := strings.TrimPrefix(r.URL.EscapedPath(), strings.TrimSuffix(base, "/"))
	name, err := site.Resolve(rel, escaped)
	if err != nil {
		http.Error(w, "400 bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	f := h.store.Lookup(name)
	if f == nil {
		// Never the SPA shell: a stale hashed chunk must fail loudly as a
		// 404, not come back as HTML that the browser tries to run.
		notFound(w, r)
		return
	}
	if f.Document {
		h.sec.document(w.Header())
	}
	f.ServeHTTP(w, r)
}

// routeDecoded makes the router match the decoded path (URL.Path), the
// one the gate and the file lookup see. chi matches URL.RawPath when the
// request spelled the path with escapes, so "/%68ealthz" would otherwise
// miss the /healthz route and reach the gated tree, where the gate (which
// reads URL.Path, "/healthz") let it through ungated. Encoded slashes are
// still refused by site.Resolve, which looks at the escaped form.
func routeDecoded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath == "" {
			rctx.RoutePath = r.URL.Path
		}
		next.ServeHTTP(w, r)
	})
}

// redirectTo redirects to base with the request's query. The target is
// built from basePath, never from the request, so it cannot lead off-site.
func redirectTo(base string, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := base
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, status)
	})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	http.Error(w, "404 page not found", http.StatusNotFound)
}

func health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
