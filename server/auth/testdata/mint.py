#!/usr/bin/env python3
"""Mint JWTs with PyJWT (Debian python3-jwt) for softphone's interop tests.

Reads {"secret": ..., "issuer": ..., "audience": ..., "now": unix} on stdin.
Makes its own RSA and EC keys, and prints {"jwks": {...}, "tokens": {...}}:
the public keys as a JWK Set (PyJWT's own JWK export) and one token per case.
"""
import json
import sys

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

req = json.load(sys.stdin)
now = int(req["now"])

rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ec_key = ec.generate_private_key(ec.SECP256R1())

def jwk(alg_cls, key, kid, alg):
    d = json.loads(alg_cls.to_jwk(key.public_key()))
    d.update({"kid": kid, "alg": alg, "use": "sig"})
    return d

def claims(**over):
    c = {
        "iss": req["issuer"],
        "aud": req["audience"],
        "sub": "py-agent",
        "email": "py.agent@example.com",
        "groups": ["webrtc-agents"],
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": "py-" + str(now),
    }
    c.update(over)
    return {k: v for k, v in c.items() if v is not None}

tokens = {
    "hs256": jwt.encode(claims(jti="hs"), req["secret"], algorithm="HS256"),
    "rs256": jwt.encode(claims(jti="rs"), rsa_key, algorithm="RS256", headers={"kid": "rsa-py"}),
    "es256": jwt.encode(claims(jti="es"), ec_key, algorithm="ES256", headers={"kid": "ec-py"}),
    "rs256_expired": jwt.encode(claims(exp=now - 3600, iat=now - 7200, nbf=now - 7200), rsa_key, algorithm="RS256", headers={"kid": "rsa-py"}),
    "rs256_no_exp": jwt.encode(claims(exp=None), rsa_key, algorithm="RS256", headers={"kid": "rsa-py"}),
    "rs256_wrong_aud": jwt.encode(claims(aud="someone-else"), rsa_key, algorithm="RS256", headers={"kid": "rsa-py"}),
    "es256_wrong_iss": jwt.encode(claims(iss="https://evil.example"), ec_key, algorithm="ES256", headers={"kid": "ec-py"}),
    "none": jwt.encode(claims(), None, algorithm="none"),
    "callback": jwt.encode(claims(jti="cb-1"), rsa_key, algorithm="RS256", headers={"kid": "rsa-py"}),
}
for k, v in tokens.items():
    if isinstance(v, bytes):
        tokens[k] = v.decode()

json.dump({
    "version": jwt.__version__,
    "jwks": {"keys": [jwk(RSAAlgorithm, rsa_key, "rsa-py", "RS256"), jwk(ECAlgorithm, ec_key, "ec-py", "ES256")]},
    "tokens": tokens,
}, sys.stdout)
