"""API token keys: random, shown once, stored as a SHA-256 hash (a leaked database gives no key)."""

import hashlib
import secrets

PREFIX_LENGTH = 8


def new_key() -> str:
    return "inc_" + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", errors="replace")).hexdigest()


def key_prefix(key: str) -> str:
    return key[:PREFIX_LENGTH]
