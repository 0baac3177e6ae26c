"""Figures kept in the cache under a fingerprint of what they were computed from."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from common import tenancy

logger = logging.getLogger(__name__)
T = TypeVar("T")


def computed_once(prefix: str, fingerprint: object, compute: Callable[[], T], *, seconds: int) -> T:
    """``compute()``, kept in the cache under ``prefix`` and a hash of ``fingerprint``.

    The fingerprint holds everything the result depends on (the data's state included): when any of it
    changes the key changes, so a stale result is never read, it is simply no longer asked for. A cache
    out of service costs time only: the result is computed and returned.
    """
    # Each collectivité's figures under their own key: the scope is part of what they are computed from.
    fingerprint = (tenancy.current_scope(), fingerprint)
    key = f"{prefix}:{hashlib.sha256(repr(fingerprint).encode()).hexdigest()}"
    try:
        kept: T | None = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable for %s: computed without it", prefix, exc_info=True)
        return compute()
    if kept is None:
        kept = compute()
        with contextlib.suppress(Exception):
            cache.set(key, kept, seconds)
    return kept
