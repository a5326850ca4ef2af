#!/usr/bin/env bash
# make tls-grade: Debian's testssl.sh against softphone and, for comparison,
# against Debian's nginx with the vendor manual's TLS settings, on loopback.
#
# softphone runs with its default self-signed certificate (ECDSA P-256).
# nginx gets a self-signed RSA 2048 certificate for the same names: what the
# manual's deployments hold (certificates bought or issued from a CSR, as in
# its IIS chapter, are RSA), and what makes nginx's RSA key-exchange suites
# visible. testssl is told to trust each certificate (--add-ca), as an admin
# does when accepting it in the browser, so the chain-of-trust check passes
# and the report is about the server's settings, not about who signed it.
#
# Fails (exit 1) when softphone
#   - has any finding of severity MEDIUM, HIGH or CRITICAL, except
#     cert_revocation: a self-signed certificate has no issuer to publish a
#     CRL or run OCSP, so "Neither CRL nor OCSP URI provided" (HIGH) is
#     inherent to it; certificates from a CA (files or acme mode) carry a
#     CRL or OCSP URL;
#   - offers TLS 1.0 or TLS 1.1 (or SSL);
#   - offers any cipher without forward secrecy, or forward secrecy is not offered;
#   - sends no HSTS header.
# nginx's results are printed only. Keeps the reports when TLS_GRADE_OUT is set.
set -euo pipefail

BIN=${1:-bin/softphone}
[ -x "$BIN" ] || { echo "tls-grade: $BIN is not an executable (run make build)" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$2" >/dev/null
  else echo "tls-grade: $1 is required (Debian package $2)" >&2; exit 1; fi; }; }
need testssl testssl.sh; need nginx nginx; need curl curl; need python3 python3; need openssl openssl
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
chmod 755 "$work" # nginx workers (nobody) read the page; the key stays in the 0700 state folder
out=${TLS_GRADE_OUT:-$work}
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SP_PORT=$(freeport); NG_PORT=$(freeport)

cat > "$work/softphone.yaml" <<YAML
listen: "127.0.0.1:$SP_PORT"
redirectListen: ""
stateDir: "$work/state"
tls:
  mode: self-signed
YAML
"$BIN" serve --config "$work/softphone.yaml" >"$out/softphone.log" 2>&1 & pids+=($!)

wait_up() { for _ in $(seq 150); do curl -ksf -o /dev/null "https://127.0.0.1:$1/" && return 0; sleep 0.1; done
  echo "tls-grade: $2 on port $1 did not start; its log:" >&2; tail -n 20 "$3" >&2 || true; exit 1; }
wait_up "$SP_PORT" softphone "$out/softphone.log"
SP_CERT=$work/state/self-signed.crt
[ -s "$SP_CERT" ] || { echo "tls-grade: no self-signed certificate in $work/state" >&2; exit 1; }
NG_CERT=$work/nginx-rsa.crt NG_KEY=$work/nginx-rsa.key
openssl req -x509 -newkey rsa:2048 -nodes -days 397 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$NG_KEY" -out "$NG_CERT" 2>/dev/null

# The manual's nginx.conf (chapter 3, "Configuring NGINX"): its server block
# and TLS lines as printed, with paths, port and pid/log files moved into
# the work folder. Its "ssl on;" is left out: nginx 1.25+ rejects it and
# "listen ... ssl" already does the same.
mkdir -p "$work/nginx/tmp" "$work/html"
echo '<!doctype html><title>softphone</title>' > "$work/html/index.html"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
    sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_timeout 65; types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$NG_PORT ssl http2 default_server;
        server_name localhost;
        ssl_certificate $NG_CERT;
        ssl_certificate_key $NG_KEY;
        root $work/html;
        gzip on; gzip_vary on; gzip_min_length 1024; gzip_proxied any;
        gzip_types text/plain text/css application/javascript application/json text/xml application/xml text/javascript;
        add_header Cache-Control no-cache;
        expires 24h;
        ssl_session_timeout 10m;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers on;
        location / { try_files \$uri \$uri/ =404; }
    }
}
CONF
"$NGINX" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" 2>/dev/null & pids+=($!)
wait_up "$NG_PORT" nginx "$work/nginx/error.log"

scan() { # name port certificate
  echo "tls-grade: testssl against $1 (https://localhost:$2/) ..." >&2
  # testssl exits non-zero when it has findings; the JSON is what counts.
  testssl --quiet --color 0 --warnings batch --ip 127.0.0.1 --add-ca "$3" \
    --jsonfile "$out/$1.json" --logfile "$out/$1.txt" "https://localhost:$2/" >/dev/null 2>&1 || true
  [ -s "$out/$1.json" ] || { echo "tls-grade: testssl wrote no report for $1" >&2; exit 1; }
}
scan softphone "$SP_PORT" "$SP_CERT"
scan nginx-manual "$NG_PORT" "$NG_CERT"

status=0
python3 - "$out/softphone.json" "$out/nginx-manual.json" <<'PY' || status=$?
import json, re, sys

RANK = {"DEBUG": -1, "INFO": 0, "OK": 0, "WARN": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4}
# Inherent to a self-signed certificate; see the header of this script.
EXPECTED = {"cert_revocation"}

def load(path):
    return {f["id"]: f for f in json.load(open(path))}

def grade(f):
    g = {}
    g["protocols"] = [p for p in ("SSLv2", "SSLv3", "TLS1", "TLS1_1", "TLS1_2", "TLS1_3")
                      if p in f and f[p]["finding"].startswith("offered")]
    ciphers = [v["finding"] for k, v in f.items() if k.startswith("cipher_x")]
    # testssl prints the key exchange per cipher: ECDH/DH are forward secret;
    # TLS 1.3 suites (x13xx) always are.
    g["ciphers"] = len(ciphers)
    g["nofs"] = [c.split()[1] for c in ciphers if not c.startswith("x13") and not re.search(r"\b(ECDH|DH)\b", c)]
    g["cbc"] = [c.split()[1] for c in ciphers if "CBC" in c.split()[-1] or re.search(r"\b(AES|Camellia|ARIA|SEED|3DES)\b\s", c)]
    fs = f.get("FS") or f.get("PFS") or {}
    g["fs"] = fs.get("finding", "?")
    hsts = f.get("HSTS_time") or f.get("HSTS") or {}
    g["hsts"] = hsts.get("finding", "not offered") if hsts.get("severity") == "OK" else "missing"
    g["findings"] = sorted(((v["severity"], k, v["finding"]) for k, v in f.items() if RANK.get(v["severity"], 0) >= 1),
                           key=lambda x: (-RANK[x[0]], x[1]))
    g["counts"] = {s: sum(1 for x in g["findings"] if x[0] == s) for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW")}
    return g

def show(name, g):
    print(f"== {name}")
    print(f"   protocols offered : {' '.join(g['protocols'])}")
    print(f"   ciphers offered   : {g['ciphers']}, without forward secrecy: {len(g['nofs'])}, CBC: {len(g['cbc'])}")
    print(f"   forward secrecy   : {g['fs']}")
    print(f"   HSTS              : {g['hsts']}")
    print(f"   findings          : " + ", ".join(f"{n} {s}" for s, n in g["counts"].items()))
    for s, k, v in g["findings"]:
        note = "  (expected: self-signed certificate)" if k in EXPECTED and name == "softphone" else ""
        print(f"     {s:8} {k}: {v}{note}")

sp, ng = grade(load(sys.argv[1])), grade(load(sys.argv[2]))
show("softphone", sp)
show("nginx with the manual's settings", ng)

print("== softphone is stricter than the manual's nginx in:")
stricter = []
for p in ("TLS1", "TLS1_1"):
    if p in ng["protocols"] and p not in sp["protocols"]:
        stricter.append(f"{p} not offered (nginx offers it)")
if ng["nofs"] and not sp["nofs"]:
    stricter.append(f"no cipher without forward secrecy (nginx offers {len(ng['nofs'])}: {' '.join(ng['nofs'][:6])}{' ...' if len(ng['nofs']) > 6 else ''})")
if len(ng["cbc"]) > len(sp["cbc"]):
    stricter.append(f"AEAD ciphers only (nginx also offers {len(ng['cbc'])} CBC ciphers)")
if sp["ciphers"] < ng["ciphers"]:
    stricter.append(f"{sp['ciphers']} ciphers offered instead of {ng['ciphers']}")
if sp["hsts"] != "missing" and ng["hsts"] == "missing":
    stricter.append("HSTS sent (nginx sends none)")
spk = {k for _, k, _ in sp["findings"]}
for s, k, v in ng["findings"]:
    if k not in spk:
        stricter.append(f"no {s} finding {k} (nginx: {v})")
for line in stricter or ["nothing"]:
    print(f"   - {line}")

fail = []
for s, k, v in sp["findings"]:
    if RANK[s] >= RANK["MEDIUM"] and k not in EXPECTED:
        fail.append(f"{s} {k}: {v}")
for p in ("SSLv2", "SSLv3", "TLS1", "TLS1_1"):
    if p in sp["protocols"]:
        fail.append(f"{p} offered")
if sp["nofs"]:
    fail.append("ciphers without forward secrecy: " + " ".join(sp["nofs"]))
if not sp["fs"].startswith("offered"):
    fail.append(f"forward secrecy: {sp['fs']}")
if sp["hsts"] == "missing":
    fail.append("no HSTS header")
if fail:
    print("== FAIL: softphone")
    for line in fail:
        print(f"   - {line}")
    sys.exit(1)
print("== PASS: softphone has no finding MEDIUM or worse (apart from the self-signed certificate's revocation), no TLS 1.0/1.1, forward secrecy on every cipher, and HSTS")
PY
[ -n "${TLS_GRADE_OUT:-}" ] && echo "tls-grade: reports in $out" >&2
exit $status
