"""Keyed pseudonyms (HMAC-SHA256) for response ids and enterprise numbers, and the key:
from the environment, at least 32 bytes; the documented demo key only for synthetic waves."""

from __future__ import annotations

import hmac
import os

import pandas as pd

from .errors import Fault, InputError

DEMO_KEY = "aibarometer-demo-key: public, for synthetic demo waves only"
MIN_KEY_BYTES = 32


def pseudonym_key(env_var: str, synthetic: bool) -> tuple[bytes, str]:
    """The key from the environment (at least 32 bytes); the documented demo key only for synthetic waves."""
    value = os.environ.get(env_var, "")
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
        "export AIBAROMETER_PSEUDONYM_KEY=$(cat ~/.aibarometer-key)); de demosleutel geldt enkel voor synthetische golven"))


def pseudonym_map(values, key: bytes, kind: str) -> dict:
    """value -> keyed pseudonym (HMAC-SHA256, 16 hex digits), one HMAC per distinct value."""
    prefix = kind[0] + "_"
    return {v: prefix + hmac.digest(key, f"{kind}:{v}".encode(), "sha256").hex()[:16]
            for v in pd.unique(pd.Series(values, dtype=object).dropna())}


def pseudonymise(values, key: bytes, kind: str, known: dict | None = None) -> pd.Series:
    values = pd.Series(values, dtype=object)
    mapping = dict(known or {})
    missing = values[values.notna() & ~values.isin(mapping.keys())] if mapping else values
    mapping.update(pseudonym_map(missing, key, kind))
    return values.map(mapping).astype(object).where(values.notna(), None)


