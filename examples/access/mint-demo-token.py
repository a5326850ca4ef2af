#!/usr/bin/env python3
"""Mint a demo sign-in token for examples/access/jwt-hmac.yaml and print the
callback URL a login page would redirect to. Needs PyJWT (Debian python3-jwt).

    python3 examples/access/mint-demo-token.py [https://localhost:8443/]
"""
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import jwt

base = sys.argv[1] if len(sys.argv) > 1 else "https://localhost:8443/"
secret = (Path(__file__).parent / "demo-jwt-secret").read_text().rstrip("\r\n")
now = int(time.time())
token = jwt.encode(
    {
        "iss": "https://login.example.com",
        "aud": "softphone",
        "sub": "agent-42",
        "email": "agent42@example.com",
        "groups": ["webrtc-agents"],
        "iat": now,
        "exp": now + 120,
        "jti": str(uuid.uuid4()),  # each sign-in token works once
    },
    secret,
    algorithm="HS256",
)
print(f"{base.rstrip('/')}/auth/callback?jwt={token}&return_to={quote('/', safe='')}")
