#!/usr/bin/env bash
# make bench: softphone against nginx and Caddy at their best, serving the
# same exported tree over HTTPS with the same certificate, on loopback, in
# the same run. Every file is precompressed for all three (brotli 11 and
# gzip 9 sidecars from `softphone export`):
#   nginx  Debian's nginx with the vendor manual's configuration, plus
#          gzip_static and Debian's brotli_static module, keepalive_requests
#          raised (nginx closes a connection after 1,000 requests otherwise)
#   caddy  Debian's Caddy with file_server { precompressed br gzip }
# Rows (each server in turn within a round, several rounds, medians):
#   JS bundle, HTTP/1.1      wrk -c64
#   index.html, HTTP/1.1     wrk -c64
#   JS bundle, HTTP/2        h2load -c16 -m8
#   first page loads         h2load: 400 new TLS connections at once, each
#                            loading the 5 files a first visit fetches
#                            (index.html, advancedOptions.js, the JS bundle,
#                            the stylesheet, manifest.json), up to 5 at a time
# and the peak RSS of each server over the whole run (softphone's includes
# its start-up, nginx's is master and workers summed). With Kamailio, Node
# and Chromium present, the browser rows follow: page load to registered
# and first call setup (test/e2e/bench/agent.mjs).
# Exit status: 1 when softphone is behind the best peer on a row or its
# peak RSS is above nginx's.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${1:-bin/softphone}
DURATION=${BENCH_DURATION:-5}      # seconds per wrk/h2load run
ROUNDS=${BENCH_ROUNDS:-5}
THREADS=${BENCH_THREADS:-2}
FIRST_LOADS=${BENCH_FIRST_LOADS:-400}   # connections per first-page-load run
FIRST_RUNS=${BENCH_FIRST_RUNS:-3}       # first-page-load runs per round
AE=${BENCH_ACCEPT_ENCODING:-gzip, deflate, br}
BROWSER=${BENCH_BROWSER:-auto}    # auto | on | off

# Load generators and peers are Debian packages; root installs what is
# missing, anyone else is told which package to install.
need() { # command package
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$2" >/dev/null
  else echo "bench: $1 is required (Debian package $2)" >&2; exit 1; fi
}
need wrk wrk; need h2load nghttp2-client; need nginx nginx; need caddy caddy; need openssl openssl
BROTLI_MOD=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
[ -f "$BROTLI_MOD" ] || need "$BROTLI_MOD" libnginx-mod-http-brotli-static
# Debian starts the packaged services on install; the bench runs its own.
for s in nginx caddy; do (service "$s" stop || true) >/dev/null 2>&1; done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as another user and must read the tree
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SP_PORT=$(freeport); NG_PORT=$(freeport); CA_PORT=$(freeport)

# The browser rows need an SBC for the client to register with: Kamailio
# starts first, so the exported tree's advancedOptions point at it.
SIP_DOMAIN=bench.test SIP_PASSWORD=bench-secret SIP_SERVER="wss://sbc.example.com:10081"
if [ "$BROWSER" != off ]; then
  if command -v node >/dev/null && [ -d test/e2e/node_modules/playwright-core ]; then
    need kamailio "kamailio kamailio-websocket-modules"; need chromium chromium; need baresip baresip-core
    KAM_PORT=$(freeport); mkdir -p "$work/kamailio"
    PATH="$PATH:/usr/sbin" kamailio -f examples/kamailio/kamailio.cfg -DD -E -Y "$work/kamailio" -P "$work/kamailio/pid" \
      -A "WS_PORT=$KAM_PORT" -A "SIP_PASSWORD=\"$SIP_PASSWORD\"" -A "SIP_REALM=\"$SIP_DOMAIN\"" 2>"$work/kamailio.log" & pids+=($!)
    SIP_SERVER="ws://127.0.0.1:$KAM_PORT"
  elif [ "$BROWSER" = on ]; then
    echo "bench: the browser rows need Node.js and test/e2e's npm packages (make bench installs them)" >&2; exit 1
  else
    BROWSER=off; echo "bench: browser rows skipped: Node.js or test/e2e's npm packages missing" >&2
  fi
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

cat > "$work/softphone.yaml" <<YAML
listen: "127.0.0.1:$SP_PORT"
redirectListen: ""
stateDir: "$work/state"
tls:
  mode: files
  certFile: "$work/cert.pem"
  keyFile: "$work/key.pem"
log:
  access: "$work/softphone-access.log"
advancedOptions:
  defaultServerConfig:
    sipDomain: $SIP_DOMAIN
    sipServerAddress: ["$SIP_SERVER"]
YAML
"$BIN" export --config "$work/softphone.yaml" "$work/html" >/dev/null
JS=$(grep -o 'static/js/index[^"]*\.js' "$work/html/index.html" | head -1)
CSS=$(grep -o 'static/css/[^"]*\.css' "$work/html/index.html" | head -1)
PAGE=(index.html static/js/advancedOptions.js "$JS" "$CSS" manifest.json)

# The manual's nginx.conf (chapter 3, "Configuring NGINX") with paths and
# ports moved into the work folder, at its best: precompressed brotli and
# gzip, and no cap on requests per connection.
mkdir -p "$work/nginx/tmp"
cat > "$work/nginx/nginx.conf" <<CONF
load_module $BROTLI_MOD;
worker_processes auto;
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
daemon off;
events { worker_connections 4096; }
http {
    log_format main '\$remote_addr - \$remote_user [\$time_local] "\$request" '
        '\$status \$body_bytes_sent "\$http_referer" '
        '"\$http_user_agent" "\$http_x_forwarded_for"';
    access_log $work/nginx/access.log main;
    client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
    sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_timeout 65; types_hash_max_size 2048;
    keepalive_requests 1000000;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$NG_PORT ssl http2 default_server;
        server_name localhost;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        root $work/html;
        gzip on; gzip_vary on; gzip_min_length 1024; gzip_proxied any;
        gzip_types text/plain text/css application/javascript application/json text/xml application/xml text/javascript;
        gzip_static on;
        brotli_static on;
        add_header Cache-Control no-cache;
        expires 24h;
        ssl_session_timeout 10m;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers on;
        location / { try_files \$uri \$uri/ =404; }
    }
}
CONF

# Caddy at its best for static files: precompressed sidecars, access log
# like the other two, no admin endpoint.
mkdir -p "$work/caddy"
cat > "$work/caddy/Caddyfile" <<CONF
{
    admin off
    auto_https off
    storage file_system $work/caddy/data
}
https://127.0.0.1:$CA_PORT, https://localhost:$CA_PORT {
    tls $work/cert.pem $work/key.pem
    root * $work/html
    header Cache-Control no-cache
    file_server {
        precompressed br gzip
    }
    log {
        output file $work/caddy/access.log
    }
}
CONF

"$BIN" serve --config "$work/softphone.yaml" 2>"$work/softphone.log" & pids+=($!); SP_PID=$!
"$NGINX" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" 2>/dev/null & pids+=($!); NG_PID=$!
HOME=$work/caddy XDG_DATA_HOME=$work/caddy XDG_CONFIG_HOME=$work/caddy \
  caddy run --adapter caddyfile --config "$work/caddy/Caddyfile" 2>"$work/caddy/caddy.log" & pids+=($!); CA_PID=$!

# Peak RSS of each server's process tree, sampled every 0.1 s from now on,
# softphone's start-up included.
tree_rss() { # pid: summed VmRSS of pid and its children, in kB
  local p kids kb total
  # A process that has just exited has no status file, or one without
  # VmRSS (a zombie): it counts 0.
  total=0
  kids=$(cat /proc/"$1"/task/*/children 2>/dev/null || true)
  for p in "$1" $kids; do
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}
# Each sample is tagged with what is running (start-up, then each row).
echo start > "$work/phase"
sample_rss() { while kill -0 "$SP_PID" 2>/dev/null; do
  echo "$(tree_rss "$SP_PID") $(tree_rss "$NG_PID") $(tree_rss "$CA_PID") $(cat "$work/phase")" >> "$work/rss"; sleep 0.1; done; }
sample_rss & pids+=($!)

wait_up() { # port name log
  for _ in $(seq 150); do curl -ksf -o /dev/null "https://127.0.0.1:$1/index.html" && return 0; sleep 0.1; done
  echo "bench: $2 on port $1 did not start:" >&2; cat "$3" >&2; exit 1
}
wait_up "$SP_PORT" softphone "$work/softphone.log"; wait_up "$NG_PORT" nginx "$work/nginx/error.log"; wait_up "$CA_PORT" caddy "$work/caddy/caddy.log"
startup=$(grep -o 'startup=[0-9.]*m*s' "$work/softphone.log" | head -1 | cut -d= -f2)
# softphone serves at once with fast compression and swaps in the
# precompressed best forms in the background: measure after the swap.
for _ in $(seq 300); do grep -q "best compression in place" "$work/softphone.log" && break; sleep 0.1; done

# Each server must send the same bytes: brotli for the bundle everywhere.
for port in "$SP_PORT" "$NG_PORT" "$CA_PORT"; do
  enc=$(curl -ks -o /dev/null -D - -H "Accept-Encoding: $AE" "https://127.0.0.1:$port/$JS" | tr -d '\r' | awk -F': ' 'tolower($1) == "content-encoding" {print $2}')
  [ "$enc" = br ] || { echo "bench: port $port sends the bundle with Content-Encoding '${enc}', not br" >&2; exit 1; }
done

check_h2load() { # output port what
  if ! grep -Eq 'status codes: [0-9]+ 2xx, 0 3xx, 0 4xx, 0 5xx' <<<"$1" || ! grep -q ' 0 failed, 0 errored' <<<"$1"; then
    echo "bench: failed or non-2xx HTTP/2 responses from port $2 ($3)" >&2; echo "$1" >&2; exit 1
  fi
}

# One measurement of a row against one port: prints the rate.
measure() { # row port
  local out
  case $1 in
  h1-js | h1-index)
    local path=$JS; [ "$1" = h1-index ] && path=index.html
    out=$(wrk -t"$THREADS" -c64 -d"${DURATION}s" -H "Accept-Encoding: $AE" "https://127.0.0.1:$2/$path" 2>&1)
    if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "bench: errors from port $2 /$path" >&2; echo "$out" >&2; exit 1; fi
    awk '/Requests\/sec/ {print $2}' <<<"$out" ;;
  h2-js)
    out=$(h2load -t"$THREADS" -c16 -m8 -D"$DURATION" -H "Accept-Encoding: $AE" "https://127.0.0.1:$2/$JS" 2>&1)
    check_h2load "$out" "$2" "$JS"
    awk '/^finished in/ {print $4}' <<<"$out" ;;
  first)
    # FIRST_RUNS bursts of FIRST_LOADS connections opened at once; each
    # loads the page's files. The rate is page loads per second of wall
    # time over the bursts.
    local i total=0 urls=() f
    for f in "${PAGE[@]}"; do urls+=("https://127.0.0.1:$2/$f"); done
    for i in $(seq "$FIRST_RUNS"); do
      out=$(h2load -t"$THREADS" -c"$FIRST_LOADS" -n$((FIRST_LOADS * ${#PAGE[@]})) -m"${#PAGE[@]}" -H "Accept-Encoding: $AE" "${urls[@]}" 2>&1)
      check_h2load "$out" "$2" "first page loads"
      total=$(awk -v t="$total" '/^finished in/ { v = $3; sub(/,$/, "", v); if (v ~ /ms$/) { sub(/ms$/, "", v); v /= 1000 } else sub(/s$/, "", v); print t + v }' <<<"$out")
    done
    awk -v t="$total" -v n=$((FIRST_RUNS * FIRST_LOADS)) 'BEGIN { printf "%.0f\n", n / t }' ;;
  esac
}

ROWS=(h1-js h1-index h2-js first)
declare -A LABEL=(
  [h1-js]="JS bundle, HTTP/1.1, wrk -c64 (req/s)"
  [h1-index]="index.html, HTTP/1.1, wrk -c64 (req/s)"
  [h2-js]="JS bundle, HTTP/2, h2load -c16 -m8 (req/s)"
  [first]="first page loads, $FIRST_LOADS new TLS conns x 5 files (/s)"
)
SERVERS=(softphone:$SP_PORT nginx:$NG_PORT caddy:$CA_PORT)
declare -A RUNS
# Rounds interleave the servers, so a noisy neighbour hurts all alike; the
# order rotates each round, so no server always follows the same one.
for round in $(seq "$ROUNDS"); do
  for row in "${ROWS[@]}"; do
    echo "$row:$round" > "$work/phase"
    for k in 0 1 2; do
      srv=${SERVERS[$(((k + round) % 3))]}
      name=${srv%%:*}
      RUNS[$name:$row]="${RUNS[$name:$row]:-} $(measure "$row" "${srv##*:}")"
    done
  done
  echo "bench: round $round of $ROUNDS done" >&2
done

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# The ratio against the best peer is taken within each round (adjacent runs
# share the machine's load at that moment), then the median over rounds.
ratio() { # row
  local -a s n c; read -ra s <<<"${RUNS[softphone:$1]}"; read -ra n <<<"${RUNS[nginx:$1]}"; read -ra c <<<"${RUNS[caddy:$1]}"
  local out="" i
  for i in "${!s[@]}"; do out+=" $(awk -v x="${s[$i]}" -v a="${n[$i]}" -v b="${c[$i]}" 'BEGIN { m = a > b ? a : b; printf "%.3f", x / m }')"; done
  median "$out" | awk '{ printf "%.2f", $1 }'
}
# "body + headers" bytes of one HTTP/1.1 response.
sizes() { curl -ks -o /dev/null -w '%{size_download} + %{size_header}' -H "Accept-Encoding: $AE" "https://127.0.0.1:$1/$2"; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit+changes"
echo
echo "softphone $commit against nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') and Caddy $(caddy version | awk '{print $1}'), $(nproc) cores, $ROUNDS interleaved rounds of ${DURATION}s, Accept-Encoding: $AE"
echo
echo "| row | softphone | nginx | Caddy | softphone / best |"
echo "|---|---|---|---|---|"
fail=0
for row in "${ROWS[@]}"; do
  r=$(ratio "$row")
  printf '| %s | %s | %s | %s | %sx |\n' "${LABEL[$row]}" \
    "$(median "${RUNS[softphone:$row]}" | awk '{printf "%\047.0f", $1}')" \
    "$(median "${RUNS[nginx:$row]}" | awk '{printf "%\047.0f", $1}')" \
    "$(median "${RUNS[caddy:$row]}" | awk '{printf "%\047.0f", $1}')" "$r"
  awk -v r="$r" 'BEGIN { exit !(r < 1.0) }' && { echo "FAIL: softphone is behind the best peer on: ${LABEL[$row]}" >> "$work/fails"; fail=1; }
done
peak() { awk -v c="$1" -v p="${2:-}" 'p == "" || $4 == p { if ($c > m) m = $c } END { printf "%.0f", m / 1024 }' "$work/rss"; }
sp_rss=$(peak 1); ng_rss=$(peak 2); ca_rss=$(peak 3)
echo "| peak RSS over the run (MB) | $sp_rss | $ng_rss (master + workers) | $ca_rss | |"
echo
# Round 1 only: in later rounds the memory a server took for the previous
# round's burst of first page loads is still held when the next row starts.
echo "peak RSS by phase in round 1 (MB; while any of the three runs the row):"
printf '  %-9s %9s %6s %6s\n' phase softphone nginx Caddy
for phase in start "${ROWS[@]/%/:1}"; do
  printf '  %-9s %9s %6s %6s\n' "${phase%:1}" "$(peak 1 "$phase")" "$(peak 2 "$phase")" "$(peak 3 "$phase")"
done
[ "$sp_rss" -le "$ng_rss" ] || { echo "FAIL: softphone's peak RSS ($sp_rss MB) is above nginx's ($ng_rss MB)" >> "$work/fails"; fail=1; }
echo
echo "rounds:"
for row in "${ROWS[@]}"; do for name in softphone nginx caddy; do printf '  %-9s %-8s %s\n' "$name" "$row" "${RUNS[$name:$row]}"; done; done
echo "bytes per response, body + headers (HTTP/1.1):"
for f in "$JS" index.html; do
  printf '  %-28s softphone %s, nginx %s, Caddy %s\n' "$f" \
    "$(sizes "$SP_PORT" "$f")" "$(sizes "$NG_PORT" "$f")" "$(sizes "$CA_PORT" "$f")"
done
echo "softphone start-up to serving: $startup"

if [ "$BROWSER" != off ]; then
  echo
  echo "in the browser (Debian's Chromium, median ms of ${BENCH_BROWSER_ROUNDS:-5} rounds; load: navigation to registered, credentials stored,"
  echo "cold = new context and connection, warm = reload; call: Call click to connected and to first audio from baresip answering by itself):"
  BENCH_SITES="softphone=https://127.0.0.1:$SP_PORT/ nginx=https://127.0.0.1:$NG_PORT/ caddy=https://127.0.0.1:$CA_PORT/" \
    BENCH_KAMAILIO_PORT=$KAM_PORT BENCH_SIP_DOMAIN=$SIP_DOMAIN BENCH_SIP_PASSWORD=$SIP_PASSWORD \
    node test/e2e/bench/agent.mjs || { echo "FAIL: the browser measurement failed" >> "$work/fails"; fail=1; }
fi

[ -f "$work/fails" ] && { echo; cat "$work/fails"; }
exit $fail
