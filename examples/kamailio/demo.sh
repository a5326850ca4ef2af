#!/usr/bin/env bash
# make demo: a first call in two minutes. Runs the example Kamailio
# (examples/kamailio/kamailio.cfg) as the SBC and softphone configured for
# it, on this machine only, until Ctrl-C. Open the printed address in two
# tabs, sign in as the two demo agents, and call one from the other.
#
# Kamailio comes from Debian (kamailio, kamailio-websocket-modules): it is
# installed when missing and this runs as root with apt-get, as the tests do.
#
# Environment: DEMO_HTTP_PORT (8080), DEMO_SIP_PORT (8088), DEMO_PASSWORD
# (demo), DEMO_DIR (build/demo), DEMO_SOFTPHONE_BIN (a built binary; else
# built here with GO, default go). SOFTPHONE_* variables are not passed on:
# the demo's config file alone counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
http_port=${DEMO_HTTP_PORT:-8080}
sip_port=${DEMO_SIP_PORT:-8088}
password=${DEMO_PASSWORD:-demo}
dir=${DEMO_DIR:-build/demo}
export PATH="$PATH:/usr/sbin:/sbin"

have_kamailio() {
  command -v kamailio >/dev/null && [ -n "$(find /usr/lib -path '*kamailio/modules/websocket.so' -print -quit 2>/dev/null)" ]
}
if ! have_kamailio; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "demo: installing Kamailio from Debian"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends kamailio kamailio-websocket-modules
    # Debian starts the packaged service; the demo runs its own.
    (service kamailio stop || true) >/dev/null 2>&1
  else
    echo "demo: Kamailio is missing: install the Debian packages kamailio and kamailio-websocket-modules (as root, make demo does it)" >&2
    exit 1
  fi
fi

busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$http_port" "$sip_port"; do
  if busy "$p"; then
    echo "demo: port $p is taken; choose others with DEMO_HTTP_PORT=... DEMO_SIP_PORT=..." >&2
    exit 1
  fi
done

mkdir -p "$dir/run"
dir=$(cd "$dir" && pwd)
bin=${DEMO_SOFTPHONE_BIN:-}
if [ -z "$bin" ]; then
  bin="$dir/softphone"
  echo "demo: building softphone"
  "${GO:-go}" build -o "$bin" ./cmd/softphone
fi

# JSON is YAML. sessionStorage: each tab keeps its own agent signed in.
cat >"$dir/softphone.yaml" <<YAML
{
  "listen": "127.0.0.1:$http_port",
  "redirectListen": "",
  "tls": {"mode": "off"},
  "advancedOptions": {
    "defaultServerConfig": {"sipDomain": "demo.test", "sipServerAddress": ["ws://127.0.0.1:$sip_port"]},
    "storageConfig": {"location": "sessionStorage"},
    "ACDClientConfig": {
      "enabled": true,
      "notReadyDefaultReasonCode": "20",
      "notReadyReasonCodeMapping": {"10": "Break", "20": "After call work"}
    },
    "customerInfoContextDisplayMapping": {"name": "Customer", "VIPLevel": "Loyalty tier", "advice": "Getting expert advice for the product"},
    "callHistoryConfig": {"guiEnabled": true}
  }
}
YAML

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM

kamailio -f examples/kamailio/kamailio.cfg -DD -E -Y "$dir/run" -P "$dir/run/kamailio.pid" \
  -A WS_IP=127.0.0.1 -A "WS_PORT=$sip_port" -A "SIP_PASSWORD=\"$password\"" -A 'SIP_REALM="demo.test"' -A TEST_NUMBERS \
  >"$dir/kamailio.log" 2>&1 &
pids+=($!)
(for v in $(compgen -e | grep '^SOFTPHONE_' || true); do unset "$v"; done; exec "$bin" serve --config "$dir/softphone.yaml") >"$dir/softphone.log" 2>&1 &
pids+=($!)

# Wait for both to listen (or to fail), at most 30 s.
for _ in $(seq 300); do
  busy "$sip_port" && busy "$http_port" && break
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo: a part did not start; see $dir/kamailio.log and $dir/softphone.log" >&2
      tail -5 "$dir/kamailio.log" "$dir/softphone.log" >&2
      exit 1
    fi
  done
  sleep 0.1
done
busy "$sip_port" && busy "$http_port" || { echo "demo: not listening after 30 s" >&2; exit 1; }

cat <<MSG

  The demo runs: Kamailio on ws://127.0.0.1:$sip_port, softphone on http://localhost:$http_port/

  1. Open http://localhost:$http_port/ in two browser tabs.
  2. Sign in as agent1 in the first and agent2 in the second; the password is "$password".
  3. In the first tab, call agent2 and answer in the second.
     Dial *71agent2 instead to see customer information on the incoming call.

  Logs: $dir/kamailio.log, $dir/softphone.log. Ctrl-C stops both.

MSG
wait -n "${pids[@]}" || true
