"""Dashboard passwords: salted scrypt hashes (hashlib, no extra library), checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~0.3 s here; 2^15 keeps a login near 0.1 s on the
# office's small server while still costing an offline guesser 32 MB per try.
N, R, P = 2**15, 8, 1
_MAXMEM = 128 * N * R * 2


def hash_password(password: str, n: int = N) -> str:
    """`scrypt$N$r$p$salt$hash`, the line to paste into [[web.accounts]] password_hash."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=R, p=P, maxmem=_MAXMEM)
    return "$".join(["scrypt", str(n), str(R), str(P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches a hash made by hash_password; False for any malformed hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), maxmem=128 * int(n) * int(r) * 2,
                             dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
