"""Password hashing that readers do not wait for.

Django's PBKDF2 costs about half a second of CPU per login attempt (1,000,000 iterations):
that is what keeps guessed passwords expensive, and it stays. But a storm of failing logins
from one address makes the first AXES_FAILURE_LIMIT attempts (and those already in flight
when the lockout starts) hash at once, and on a small server that is seconds of every core
taken from reader pages. Here the same hash, with the same algorithm, iterations and stored
format, runs in a few threads of each server process at the lowest CPU priority (nice 19,
Linux nices threads one by one): a page a reader asked for is scheduled first, and a login
waits for the CPU that is left over, which on a quiet server is all of it (on a server whose
every core is busy with pages, a login takes that much longer: the price of keeping pages
fast while guesses are hashed).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import PBKDF2PasswordHasher

#: How much lower than the web server the hashing threads run (in nice steps; 19 is the lowest).
NICENESS = 19

_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _lower_priority() -> None:
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(os.getpriority(os.PRIO_PROCESS, thread) + NICENESS, 19))
    except (AttributeError, OSError):  # not Linux, or not allowed: hash at the usual priority
        pass


def _hashing_pool() -> ThreadPoolExecutor:
    """This process's hashing threads (made after gunicorn forks its workers: a pool does not
    survive a fork)."""
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            workers = max(2, os.cpu_count() or 2)
            _pool = (
                os.getpid(),
                ThreadPoolExecutor(workers, thread_name_prefix="hashing", initializer=_lower_priority),
            )
        return _pool[1]


class LowPriorityPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 as Django's (``pbkdf2_sha256$...``: existing hashes verify, new ones are
    the same), computed at a lower CPU priority. ``verify`` and ``harden_runtime`` go through
    ``encode``, so every hash of a login attempt runs there."""

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        parent = super().encode
        return _hashing_pool().submit(parent, password, salt, iterations).result()
