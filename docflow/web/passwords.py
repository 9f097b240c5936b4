"""Dashboard passwords: salted scrypt hashes (hashlib, no extra library), checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# OWASP's scrypt floor (N=2^17, r=8, p=1) took 0.9 s per check on this 2-core machine under load;
# 2^15 took 0.22 s and still costs an offline guesser 32 MB per try. A good check is remembered
# by the app (docflow.web.app.Accounts), so the page's polling does not pay it again.
N, R, P = 2**15, 8, 1


def hash_password(password: str, n: int = N) -> str:
    """`scrypt$N$r$p$salt$hash`, the line to paste into [[web.accounts]] password_hash."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=R, p=P,
                            maxmem=_maxmem(n, R))
    return "$".join(["scrypt", str(n), str(R), str(P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches a hash made by hash_password; False for any malformed hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), maxmem=_maxmem(int(n), int(r)),
                             dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _maxmem(n: int, r: int) -> int:
    """scrypt needs 128·n·r bytes; hashlib's default ceiling (32 MB) is below the chosen cost."""
    return 2 * 128 * n * r
