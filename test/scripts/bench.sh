#!/usr/bin/env bash
# make bench: softphone against Debian's nginx serving the same files over
# HTTPS, in the same run, on loopback:
#   nginx-manual  the vendor manual's configuration (gzip on the fly)
#   nginx-static  the same with gzip_static on (precompressed .gz sidecars)
# wrk drives each with a browser's Accept-Encoding for the main JS bundle
# and index.html. Prints requests/s, bytes per response, the ratios, and
# softphone's peak RSS under load. Targets: >= 1.0x nginx-static and >= 2x
# nginx-manual on the JS bundle, RSS < 40 MB under wrk's load. The HTTP/2
# rows (h2load) and their RSS are reported beside them, without a target.
set -euo pipefail

BIN=${1:-bin/softphone}
DURATION=${BENCH_DURATION:-5s}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
AE=${BENCH_ACCEPT_ENCODING:-gzip, deflate, br}

need() { command -v "$1" >/dev/null 2>&1 || { [ -x "/usr/sbin/$1" ]; } || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$2" >/dev/null
  else echo "bench: $1 is required (Debian package $2)" >&2; exit 1; fi; }; }
need wrk wrk; need nginx nginx; need openssl openssl
# HTTP/2, what browsers speak, is measured with h2load when it can be had;
# the targets are on wrk's HTTP/1.1 figures.
H2=""
if command -v h2load >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null &&
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nghttp2-client >/dev/null 2>&1; }; then
  H2=1
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as another user and must read the tree
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SP_PORT=$(freeport); NM_PORT=$(freeport); NS_PORT=$(freeport)

cat > "$work/softphone.yaml" <<YAML
listen: "127.0.0.1:$SP_PORT"
redirectListen: ""
stateDir: "$work/state"
log:
  access: "$work/softphone-access.log"
advancedOptions:
  defaultServerConfig:
    sipDomain: example.com
    sipServerAddress: ["wss://sbc.example.com:10081"]
YAML
"$BIN" export --config "$work/softphone.yaml" "$work/html" >/dev/null
JS=$(grep -o 'static/js/[^"]*\.js' "$work/html/index.html" | grep -v advancedOptions | head -1)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# The manual's nginx.conf (chapter 3, "Configuring NGINX"), with paths,
# ports and the pid/log files moved into the work folder.
nginx_conf() { # name port extra
  mkdir -p "$work/$1/tmp"
  cat > "$work/$1/nginx.conf" <<CONF
worker_processes auto;
error_log $work/$1/error.log;
pid $work/$1/nginx.pid;
daemon off;
events { worker_connections 1024; }
http {
    log_format main '\$remote_addr - \$remote_user [\$time_local] "\$request" '
        '\$status \$body_bytes_sent "\$http_referer" '
        '"\$http_user_agent" "\$http_x_forwarded_for"';
    access_log $work/$1/access.log main;
    client_body_temp_path $work/$1/tmp; proxy_temp_path $work/$1/tmp; fastcgi_temp_path $work/$1/tmp;
    uwsgi_temp_path $work/$1/tmp; scgi_temp_path $work/$1/tmp;
    sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_timeout 65; types_hash_max_size 2048;
    # Not in the manual: nginx closes a connection after 1,000 requests by
    # default. wrk reconnects (a TLS handshake nginx would pay for), and
    # h2load does not (its clients stop, capping nginx at 64,000 requests
    # per run). softphone has no such limit, so neither has nginx here.
    keepalive_requests 1000000;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$2 ssl http2 default_server;
        server_name localhost;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        root $work/html;
        gzip on; gzip_vary on; gzip_min_length 1024; gzip_proxied any;
        gzip_types text/plain text/css application/javascript application/json text/xml application/xml text/javascript;
        $3
        add_header Cache-Control no-cache;
        expires 24h;
        ssl_session_timeout 10m;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers on;
        location / { try_files \$uri \$uri/ =404; }
    }
}
CONF
}
nginx_conf nginx-manual "$NM_PORT" ""
nginx_conf nginx-static "$NS_PORT" "gzip_static on;"

"$BIN" serve --config "$work/softphone.yaml" 2>"$work/softphone.log" & pids+=($!); SP_PID=$!
"$NGINX" -c "$work/nginx-manual/nginx.conf" -e "$work/nginx-manual/error.log" 2>/dev/null & pids+=($!)
"$NGINX" -c "$work/nginx-static/nginx.conf" -e "$work/nginx-static/error.log" 2>/dev/null & pids+=($!)

wait_up() { for _ in $(seq 100); do curl -ksf -o /dev/null "https://127.0.0.1:$1/index.html" && return 0; sleep 0.1; done; echo "bench: server on port $1 did not start" >&2; exit 1; }
for p in "$SP_PORT" "$NM_PORT" "$NS_PORT"; do wait_up "$p"; done
startup=$(grep -o 'startup=[0-9.]*m*s' "$work/softphone.log" | head -1 | cut -d= -f2)
# softphone serves at once with fast compression and swaps in brotli 11 /
# gzip 9 in the background; measure the steady state, after the swap.
for _ in $(seq 300); do grep -q "best compression in place" "$work/softphone.log" && break; sleep 0.1; done

# One wrk run (h2load for an "h2:" path): prints "requests/s bytes/response".
run() { # port path
  local out rps bytes reqs
  if [[ $2 == h2:* ]]; then
    out=$(h2load -t"$THREADS" -c"$CONNS" -m1 -D"${DURATION%s}" -H "Accept-Encoding: $AE" "https://127.0.0.1:$1/${2#h2:}" 2>&1)
    if ! grep -Eq 'status codes: [0-9]+ 2xx, 0 3xx, 0 4xx, 0 5xx' <<<"$out" || ! grep -q ' 0 failed, 0 errored' <<<"$out"; then
      echo "bench: failed or non-2xx HTTP/2 responses from port $1 /${2#h2:}" >&2; echo "$out" >&2; exit 1
    fi
    rps=$(awk '/^finished in/ {print $4}' <<<"$out")
    bytes=$(curl -ks --http2 -o /dev/null -w '%{size_download}' -H "Accept-Encoding: $AE" "https://127.0.0.1:$1/${2#h2:}")
    echo "$rps $bytes"
    return
  fi
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -H "Accept-Encoding: $AE" "https://127.0.0.1:$1/$2" 2>&1)
  if grep -q "Non-2xx" <<<"$out"; then echo "bench: non-2xx responses from port $1 /$2" >&2; echo "$out" >&2; exit 1; fi
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  bytes=$(curl -ks -o /dev/null -w '%{size_download}' -H "Accept-Encoding: $AE" "https://127.0.0.1:$1/$2")
  echo "$rps $bytes $reqs"
}

# Each RSS sample is tagged with the protocol of the load running then, so
# the peak is reported for HTTP/1.1 and HTTP/2 apart.
echo h1 > "$work/phase"
sample_rss() { while kill -0 "$SP_PID" 2>/dev/null; do
  r=$(awk '/VmRSS/ {print $2}' "/proc/$SP_PID/status" 2>/dev/null || echo 0)
  echo "$(cat "$work/phase") $r" >> "$work/rss"; sleep 0.2; done; }
sample_rss & pids+=($!)

# Rounds interleave the servers so a noisy neighbour hurts all alike; the
# median of the rounds is reported. The HTTP/1.1 rounds run first, then the
# HTTP/2 ones, so the HTTP/1.1 peak RSS is not raised by HTTP/2's.
ROUNDS=${BENCH_ROUNDS:-5}
declare -A RUNS BYTES
rounds() { # phase target...
  local phase=$1 round target srv name port rps bytes; shift
  echo "$phase" > "$work/phase"
  for round in $(seq "$ROUNDS"); do
    for target in "$@"; do
      for srv in softphone:$SP_PORT nginx-manual:$NM_PORT nginx-static:$NS_PORT; do
        name=${srv%%:*}; port=${srv##*:}
        read -r rps bytes _ < <(run "$port" "$target")
        RUNS[$name:$target]="${RUNS[$name:$target]:-} $rps"
        BYTES[$name:$target]=$bytes
      done
    done
  done
}
TARGETS=("$JS" index.html)
rounds h1 "${TARGETS[@]}"
if [ -n "$H2" ]; then rounds h2 "h2:$JS"; TARGETS+=("h2:$JS"); fi
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-12s %-34s %12s %10s   %s\n' server path "requests/s" "bytes/resp" "(rounds)"
declare -A R
for target in "${TARGETS[@]}"; do
  for name in softphone nginx-manual nginx-static; do
    R[$name:$target]=$(median "${RUNS[$name:$target]}")
    label="/$target"; [[ $target == h2:* ]] && label="/${target#h2:} (h2)"
    printf '%-12s %-34s %12s %10s  %s\n' "$name" "$label" "${R[$name:$target]}" "${BYTES[$name:$target]}" "${RUNS[$name:$target]}"
  done
done
peakof() { awk -v p="$1" '$1 == p { if ($2 > m) m = $2 } END { print m + 0 }' "$work/rss"; }
peak_h1=$(peakof h1); peak_h2=$(peakof h2)

# Ratios are taken within each round (adjacent runs share the machine's
# load at that moment), then the median over the rounds.
pratio() { # name-a name-b target
  local -a a b; read -ra a <<<"${RUNS[$1:$3]}"; read -ra b <<<"${RUNS[$2:$3]}"
  local out="" i
  for i in "${!a[@]}"; do out+=" $(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.3f", x / y }')"; done
  median "$out" | awk '{ printf "%.2f", $1 }'
}
echo
js_static=$(pratio softphone nginx-static "$JS")
js_manual=$(pratio softphone nginx-manual "$JS")
ix_static=$(pratio softphone nginx-static index.html)
ix_manual=$(pratio softphone nginx-manual index.html)
echo "JS bundle:  softphone/nginx-static = ${js_static}x (target >= 1.0), softphone/nginx-manual = ${js_manual}x (target >= 2.0)"
echo "index.html: softphone/nginx-static = ${ix_static}x, softphone/nginx-manual = ${ix_manual}x"
if [ -n "$H2" ]; then
  echo "JS bundle over HTTP/2 (h2load, one stream per connection): softphone/nginx-static = $(pratio softphone nginx-static "h2:$JS")x, softphone/nginx-manual = $(pratio softphone nginx-manual "h2:$JS")x"
else
  echo "HTTP/2 not measured: h2load (Debian package nghttp2-client) is missing"
fi
echo "(median of per-round ratios over $ROUNDS interleaved rounds of $DURATION, $CONNS connections, Accept-Encoding: $AE)"
rss_h2=""; [ -n "$H2" ] && rss_h2="; under h2load (HTTP/2): $((peak_h2 / 1024)) MB"
echo "softphone peak RSS under wrk (HTTP/1.1): $((peak_h1 / 1024)) MB (target < 40 MB)$rss_h2; startup to serving: $startup (target < 1s)"

fail=0
awk -v r="$js_static" 'BEGIN { exit !(r < 1.0) }' && { echo "FAIL: below nginx-static on the JS bundle"; fail=1; }
awk -v r="$js_manual" 'BEGIN { exit !(r < 2.0) }' && { echo "FAIL: below 2x nginx-manual on the JS bundle"; fail=1; }
[ "$peak_h1" -lt $((40 * 1024)) ] || { echo "FAIL: RSS over 40 MB"; fail=1; }
exit $fail
