#!/usr/bin/env bash
# make soak: prove what softphone survives, against the built binary on
# loopback, with bounded durations and request counts.
#
#   test/scripts/soak.sh [BIN]         the full soak (SOAK=full) of ./test/soak against BIN
#                                      (built when not given), then every fuzz target
#                                      for SOAK_FUZZTIME (default 5m) each
#   test/scripts/soak.sh --fuzz-only [TIME] every fuzz target for TIME (default 30s) each:
#                                      the short form `make test` runs (its Go step
#                                      runs the short soak tests)
#
# Prints one line per test and per fuzz target with its figures, and fails
# if any fails. A fuzz target that crashes leaves its input under the
# package's testdata/fuzz/FuzzX/: fix the defect, then commit the input as
# a seed. wrk comes from Debian (installed by the tests when missing and
# running as root), h2spec is a Go tool pinned in go.mod (go tool h2spec); with CI=true a
# missing tool is a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
mode=full
fuzztime=${SOAK_FUZZTIME:-5m}
if [ "${1:-}" = "--fuzz-only" ]; then
  mode=fuzz
  fuzztime=${2:-30s}
  shift $(( $# >= 2 ? 2 : 1 ))
fi

# Fuzz targets: package and name. Every parser of outside input.
FUZZ=(
  "./server/site FuzzResolve"             # request path -> served name
  "./server/site FuzzNegotiateEncoding"   # Accept-Encoding
  "./server/site FuzzServeRange"          # Range
  "./server/auth/htpasswd FuzzParse"      # htpasswd files
  "./server/auth FuzzVerify"              # JWT gate
  "./server FuzzRedactURI"                # request target and Referer in the access log
  "./internal/config FuzzLoadConfigBytes" # softphone.yaml
  "./advancedoptions FuzzCompile"         # the advancedOptions section
  "./advancedoptions FuzzImportLegacy"    # legacy advancedOptions.js
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary=()
fail=0

# The slow-client test holds 1,000 connections at both ends.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "$mode" = full ]; then
  BIN=${1:-}
  if [ -z "$BIN" ]; then
    BIN="$work/softphone"
    CGO_ENABLED=0 "$GO" build -trimpath -o "$BIN" ./cmd/softphone
  fi
  echo "soak: full soak of $BIN (about 9 minutes), then ${#FUZZ[@]} fuzz targets for $fuzztime each"
  set +e
  SOAK=full SOAK_BIN="$BIN" "$GO" test -count=1 -v -timeout 30m ./test/soak/ 2>&1 | tee "$work/soak.log"
  rc=${PIPESTATUS[0]}
  set -e
  while IFS= read -r line; do summary+=("$line"); done < <(grep '^SOAK ' "$work/soak.log" || true)
  while IFS= read -r line; do summary+=("FAIL $line"); done < <(grep -E '^--- FAIL' "$work/soak.log" || true)
  [ "$rc" = 0 ] || fail=1
fi

for entry in "${FUZZ[@]}"; do
  read -r pkg name <<<"$entry"
  log="$work/$name.log"
  set +e
  "$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1
  rc=$?
  set -e
  # No count when the run ends while still gathering baseline coverage.
  execs=$({ grep -o 'execs: [0-9]*' "$log" || true; } | tail -1 | cut -d' ' -f2)
  if [ "$rc" = 0 ]; then
    line=$(printf 'SOAK fuzz      %-22s %-24s %s: %s execs, no failure' "$name" "$pkg" "$fuzztime" "${execs:-0}")
  else
    fail=1
    crash=$(grep -o 'testdata/fuzz/[^ ]*' "$log" | head -1 || true)
    line=$(printf 'SOAK fuzz      %-22s %-24s %s: FAILED after %s execs%s' "$name" "$pkg" "$fuzztime" "${execs:-0}" "${crash:+, input kept in ${pkg#./}/$crash}")
    tail -30 "$log"
  fi
  echo "$line"
  summary+=("$line")
done

# After the full soak's output, the figures again in one place.
if [ "$mode" = full ]; then
  echo
  echo "soak summary:"
  printf '%s\n' "${summary[@]}"
fi
exit $fail
