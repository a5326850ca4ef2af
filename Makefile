# softphone: build, test and measure.
# `make test` is what CI runs (.ci/run); every target is safe to run locally.

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE      ?= $(shell git log -1 --format=%cI 2>/dev/null)
LDFLAGS   := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)
BIN       ?= bin/softphone
HAVE_NPM  := $(shell command -v npm 2>/dev/null)

.PHONY: all build brand demo test test-go test-race test-helm node-deps fuzz-short test-web lint e2e bench tls-grade soak dist clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/softphone

## demo: the example Kamailio and softphone configured for it, with two demo
## agents that call each other (README "Quick start"). Ctrl-C stops it.
demo:
	GO="$(GO)" examples/kamailio/demo.sh

## test: everything CI checks: formatting, vet, staticcheck, go.mod tidiness,
## Go tests (real parts, the short soak tests and several instances behind
## HAProxy included), the race detector on the packages with concurrent state,
## the Helm chart, 30 s of each fuzz target, the web client's type check and
## unit tests, and the browser end-to-end run.
test: lint test-go test-race test-helm fuzz-short test-web e2e

## lint: gofmt, go vet, staticcheck (a go.mod tool: `go tool staticcheck`)
## and `go mod tidy -diff` (go.mod and go.sum as tidy leaves them).
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) mod tidy -diff

# The soak and multi-instance packages run on their own after the others:
# their load (thousands of loopback connections, wrk) would otherwise starve
# their timing and ephemeral ports.
test-go: node-deps
	$(GO) test -count=1 -timeout 20m $$($(GO) list ./... | grep -v -e /test/soak$$ -e /test/multiinstance$$)
	$(GO) test -count=1 -timeout 10m ./test/soak/
	$(GO) test -count=1 -timeout 10m ./test/multiinstance/

# The chart test is a module of its own (Helm and the Kubernetes API types
# stay out of the product's go.mod); the first run builds Helm.
test-helm:
	cd test/helm && $(GO) vet ./... && $(GO) test -count=1 -timeout 20m ./...

# The race detector on the packages whose state is shared between
# requests and reloads: the server, its gates, the site store and the
# client config compiler.
test-race: node-deps
	$(GO) test -race -count=1 -timeout 20m ./server/ ./server/auth/ ./server/site/ ./advancedoptions/

## node-deps: the npm packages Go tests use, from the committed lockfiles:
## the OpenID provider harness (test/oidctest/) and the web client's build (the
## test that rebuilds dist/). Tests never install them themselves.
node-deps:
ifdef HAVE_NPM
	cd test/oidctest && npm ci --no-audit --no-fund
	cd webclient && npm ci --no-audit --no-fund
else
	@if [ "$$CI" = "true" ]; then echo "npm is required under CI=true"; exit 1; fi
	@echo "SKIPPED npm packages: npm not found; the tests that need them skip"
endif

fuzz-short:
	test/scripts/soak.sh --fuzz-only 30s

test-web:
ifdef HAVE_NPM
	cd webclient && npm ci --no-audit --no-fund && npm run typecheck && npm test
else
	@if [ "$$CI" = "true" ]; then echo "npm is required under CI=true"; exit 1; fi
	@echo "SKIPPED web client tests: npm not found"
endif

e2e:
	@if [ -x test/e2e/run.sh ]; then test/e2e/run.sh; else echo "no e2e harness yet"; fi

## brand: binaries with a brand folder embedded (docs/branding.md):
##   make brand BRAND=path/to/brand [TARGETS="linux/amd64 windows/amd64"] [DIST_DIR=build/brand] [NAME=acme]
brand:
	@if [ -z "$(BRAND)" ]; then echo "usage: make brand BRAND=path/to/brand"; exit 2; fi
	GO="$(GO)" VERSION="$(VERSION)" COMMIT="$(COMMIT)" DATE="$(DATE)" internal/release/brand.sh "$(BRAND)"

## bench: softphone against nginx and Caddy at their best, same run, on
## loopback; with Node.js also the browser rows (docs/performance.md).
bench: build
ifdef HAVE_NPM
	cd test/e2e && npm ci --no-audit --no-fund
endif
	test/scripts/bench.sh $(BIN)

## soak: the full soak run (reload under load, graceful stop, slow clients,
## h2spec, hostile paths, memory) and 5 minutes of each fuzz target.
soak: build
	test/scripts/soak.sh $(BIN)

tls-grade: build
	test/scripts/tls-grade.sh $(BIN)

## dist: reproducible release binaries for linux/amd64, linux/arm64,
## windows/amd64 and darwin/arm64, and .deb and .rpm packages (systemd unit
## included) for linux/amd64 and linux/arm64, in build/dist with SHA256SUMS.
dist:
	VERSION=$(VERSION) COMMIT=$(COMMIT) DATE=$(DATE) GO=$(GO) internal/release/dist.sh
	VERSION=$(VERSION) GO=$(GO) internal/release/package.sh

clean:
	rm -rf bin build
