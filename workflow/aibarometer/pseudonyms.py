"""Keyed pseudonyms (HMAC-SHA256) for response ids and enterprise numbers, and the key:
from the environment, at least 32 bytes; the documented demo key only for synthetic waves.

A public key is no key: with it anyone recomputes the pseudonym of each of the ~1.5 million
Belgian enterprise numbers and so reverses every enterprise pseudonym. The demo key, and any
key printed in the documentation (:data:`PUBLIC_KEYS`), is therefore refused for a wave that
is not synthetic, also when it is set in the environment."""

from __future__ import annotations

import hashlib
import os

import pandas as pd

from .errors import Fault, InputError

DEMO_KEY = "aibarometer-demo-key: public, for synthetic demo waves only"
MIN_KEY_BYTES = 32
# Keys anyone can read (the code, README.md, config/README.md): never for real data.
PUBLIC_KEYS = (DEMO_KEY,)


def public_key(value: str) -> bool:
    """Is this a published key (the demo key, a key printed in the documentation)?"""
    text = value.strip().strip("'\"").strip()
    return any(text == k or text.lower() == k.lower() for k in PUBLIC_KEYS)


def pseudonym_key(env_var: str, synthetic: bool) -> tuple[bytes, str]:
    """The key from the environment (at least 32 bytes); the documented demo key only for synthetic waves."""
    value = os.environ.get(env_var, "")
    if value and not synthetic and public_key(value):
        raise InputError(Fault(
            f"${env_var}", f"de omgevingsvariabele {env_var} bevat de publieke demosleutel (of een sleutel uit de "
            "documentatie); die mag enkel voor synthetische golven (synthetic: true): met een bekende sleutel rekent "
            "iedereen de pseudoniemen van alle ~1,5 miljoen Belgische ondernemingsnummers uit en zijn de "
            "pseudoniemen van deze golf terug te rekenen naar de ondernemingen",
            f"maak een eigen geheime sleutel en bewaar die buiten de repository: openssl rand -hex 32 > "
            f"~/.aibarometer-key; export {env_var}=$(cat ~/.aibarometer-key)"))
    if value and (synthetic or len(value.encode("utf-8")) >= MIN_KEY_BYTES):
        return value.encode("utf-8"), f"environment variable {env_var}"
    if synthetic:
        return DEMO_KEY.encode("utf-8"), "documented demo key (synthetic wave)"
    problem = (f"de sleutel voor de pseudoniemen is te kort ({len(value.encode('utf-8'))} bytes; minstens "
               f"{MIN_KEY_BYTES} nodig, anders zijn de pseudoniemen door uitproberen terug te rekenen)" if value else
               "geen sleutel voor de pseudoniemen ingesteld")
    raise InputError(Fault(
        f"${env_var}", problem,
        f"zet de omgevingsvariabele {env_var} op een geheime, willekeurige sleutel van minstens {MIN_KEY_BYTES} bytes "
        "die buiten de repository bewaard wordt (bv. openssl rand -hex 32 > ~/.aibarometer-key; "
        f"export {env_var}=$(cat ~/.aibarometer-key)); de demosleutel geldt enkel voor synthetische golven"))


def pseudonym_map(values, key: bytes, kind: str) -> dict:
    """value -> keyed pseudonym (HMAC-SHA256 of ``kind:value``, 16 hex digits), one HMAC per
    distinct value: ``hmac.digest(key, f"{kind}:{v}".encode(), "sha256")``, computed from the
    two SHA-256 states of RFC 2104 after the key (and ``kind:``), copied for every value,
    which takes half the time of a fresh HMAC each (1.4 million enterprises in a 100x frame)."""
    prefix = kind[0] + "_"
    inner, outer = _hmac_states(key, f"{kind}:".encode())

    def digest(v) -> str:
        i = inner.copy()
        i.update(str(v).encode())
        o = outer.copy()
        o.update(i.digest())
        return prefix + o.hexdigest()[:16]
    return {v: digest(v) for v in pd.unique(pd.Series(values, dtype=object).dropna())}


def _hmac_states(key: bytes, message_start: bytes):
    """HMAC-SHA256 (RFC 2104) split open: the inner hash after (key XOR ipad) and the start
    of the message, and the outer hash after (key XOR opad)."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    inner.update(message_start)
    return inner, hashlib.sha256(bytes(b ^ 0x5C for b in key))


def pseudonymise(values, key: bytes, kind: str, known: dict | pd.Series | None = None) -> pd.Series:
    """The pseudonym of every value (None where it is missing); ``known``: pseudonyms
    already made (a dict, or a Series indexed by value, whose index is hashed only once
    when it is reused), the others are made here."""
    values = pd.Series(values, dtype=object)
    out = values.map(known) if known is not None and len(known) else pd.Series(None, index=values.index, dtype=object)
    todo = values.notna() & out.isna()
    if todo.any():
        out = out.astype(object)
        out[todo] = values[todo].map(pseudonym_map(values[todo], key, kind))
    return out.astype(object).where(values.notna(), None)
