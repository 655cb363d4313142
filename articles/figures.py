"""Figures counted over whole tables: the home page's totals, the source directory's counts,
a source's statements by role.

At a million statements a count takes from a fifth of a second to over a second, too long
for a page. They are kept in the shared cache and pages read them from there. When a figure
is older than its freshness (or a write marked it changed) one process counts it again, in a
background thread, while pages go on showing the last count: a page never waits for a count
except the very first, when the cache holds none (and not even then if it needs only a part
it can count itself: ``last_counted``).

A writer that changes many figures at once and can afford a second (an import, at its end)
counts the registered figures itself (``refresh``): every process's next page then shows the
new figures, with no stale read in between.

``settings.FIGURES_IN_BACKGROUND`` off (the tests) counts again within the request instead.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

#: The figures readers see counted, which any new or changed statement changes.
READER_FIGURES = ("site-figures", "source-counts", "article-total", "publishers", "search-languages")
#: How long a figure stays in the cache at all (a recount replaces it long before).
KEEP_SECONDS = 7 * 24 * 3600
#: How long one process may take to count before another may try.
COUNTING_SECONDS = 120
_MISSING = object()
#: The last background recount started (tests wait for it).
last_recount: threading.Thread | None = None


#: Figures any process can count by name: key -> (compute, fresh_seconds).
_REGISTERED: dict[str, tuple[Callable[[], object], int]] = {}


def figure(key: str, fresh_seconds: int):
    """Register a function that counts the figure ``key``; the decorated name reads it (from
    the cache, as ``get`` does)."""

    def register(compute: Callable[[], object]):
        _REGISTERED[key] = (compute, fresh_seconds)

        @functools.wraps(compute)
        def read():
            return get(key, compute, fresh_seconds)

        return read

    return register


def refresh(*keys: str) -> None:
    """Count these figures now and keep them as fresh. Those no module registered in this
    process are only marked changed."""
    for key in keys:
        found = _REGISTERED.get(key)
        if found is None:
            changed(key)
        else:
            _store(key, *found)
    new_generation()


def get(key: str, compute: Callable[[], object], fresh_seconds: int):
    """The figure under ``key``: the cached one, recounted in the background when stale."""
    found = cache.get_many([key, f"{key}:fresh"])
    value = found.get(key, _MISSING)
    if value is _MISSING:
        return _store(key, compute, fresh_seconds)
    if f"{key}:fresh" not in found and cache.add(f"{key}:counting", True, COUNTING_SECONDS):
        if not settings.FIGURES_IN_BACKGROUND:
            return _store(key, compute, fresh_seconds, counting=True)
        _recount_in_background(key, compute, fresh_seconds)
    return value


def last_counted(key: str):
    """The registered figure ``key`` as last counted, or None when the cache holds none: for a
    page that needs only a small part of a figure and can count that part itself, rather than
    wait for the whole count (the first one after the cache was emptied). A missing figure is
    counted again in the background as a stale one is.

    With ``FIGURES_IN_BACKGROUND`` off (the tests) it is ``get``: counted within the request.
    """
    compute, fresh_seconds = _REGISTERED[key]
    if not settings.FIGURES_IN_BACKGROUND:
        return get(key, compute, fresh_seconds)
    found = cache.get_many([key, f"{key}:fresh"])
    stale = key not in found or f"{key}:fresh" not in found
    if stale and cache.add(f"{key}:counting", True, COUNTING_SECONDS):
        _recount_in_background(key, compute, fresh_seconds)
    return found.get(key)


def changed(*keys: str) -> None:
    """Mark figures changed: the next page to read one has it counted again."""
    cache.delete_many([f"{key}:fresh" for key in keys])
    new_generation()


# The content generation: what readers see as of the last write (project.pagecache keeps
# whole reader pages under it). Every write that can change a reader page starts a new one:
# imports and editors' actions through changed/refresh, other saves through the signals.

GENERATION_KEY = "reader-pages:generation"
#: The app labels whose saved or deleted rows start a new generation.
CONTENT_APPS = ("articles", "attributions")


def new_generation() -> None:
    # After a commit: a cache that cannot be written (no cache table yet, Redis away) must not
    # fail the write that has already happened; kept pages then expire on their own.
    try:
        cache.set(GENERATION_KEY, str(time.time_ns()), None)
    except Exception:
        logger.warning(
            "Could not start a new content generation; kept reader pages expire on their own", exc_info=True
        )


def content_generation() -> str:
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, str(time.time_ns()), None)
        current = cache.get(GENERATION_KEY)
    return current


#: The generation this process read last: a guess that saves a round trip (see ``kept``).
_last_seen_generation: str | None = None


def kept(kind: str, address: str) -> tuple[str, object | None]:
    """The cache key of an answer kept as of the current generation (a reader page, an API
    answer) and what the cache holds under it (None when nothing): a write starts a new
    generation, so no kept answer outlives the data it shows.

    The generation and the answer are read together, in one round trip, under the generation
    this process saw last; only when that is no longer the current one is the answer read
    again under the current one."""
    global _last_seen_generation
    digest = hashlib.sha256(address.encode()).hexdigest()
    guess = _last_seen_generation
    if guess is not None:
        key = f"{kind}:{guess}:{digest}"
        found = cache.get_many([GENERATION_KEY, key])
        if found.get(GENERATION_KEY) == guess:
            return key, found.get(key)
    _last_seen_generation = current = content_generation()
    key = f"{kind}:{current}:{digest}"
    return key, cache.get(key)


def row_changed(sender, using: str = "default", **kwargs) -> None:
    """A post_save/post_delete receiver: a new generation once the transaction commits (once
    per transaction however many rows it writes). A model whose rows no reader page shows
    says so with ``readers_never_see = True`` (an editor's presence beat, every minute, would
    otherwise drop every kept page)."""
    if sender._meta.app_label not in CONTENT_APPS or getattr(sender, "readers_never_see", False):
        return
    # One callback per savepoint level: a rolled-back savepoint takes its callbacks with it.
    database = transaction.get_connection(using)
    level = set(database.savepoint_ids)
    if not any(callback is new_generation and sids == level for sids, callback, _ in database.run_on_commit):
        transaction.on_commit(new_generation, using=using)


def _store(key: str, compute: Callable[[], object], fresh_seconds: int, *, counting: bool = False):
    """Count, and keep the figure with its freshness; ``counting``: this process holds the
    counting flag, to give back."""
    try:
        value = compute()
        cache.set(key, value, KEEP_SECONDS)
        cache.set(f"{key}:fresh", True, fresh_seconds)
        return value
    finally:
        if counting:
            cache.delete(f"{key}:counting")


def _recount_in_background(key: str, compute: Callable[[], object], fresh_seconds: int) -> None:
    global last_recount

    def run() -> None:
        try:
            _store(key, compute, fresh_seconds, counting=True)
        except Exception:  # a failed count leaves the last one in place; the next page retries
            logger.exception("Counting the figure %s failed", key)
        finally:
            connection.close()  # the thread's own connection

    last_recount = threading.Thread(target=run, name=f"recount {key}", daemon=True)
    last_recount.start()
