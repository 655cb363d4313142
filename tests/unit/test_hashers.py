"""Passwords: Django's PBKDF2, hashed at a lower CPU priority than pages are served."""

from __future__ import annotations

import os
import threading

from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, get_hasher, make_password

from project.hashers import NICENESS, LowPriorityPBKDF2PasswordHasher


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_the_hash_is_djangos_pbkdf2_both_ways():
    hasher = get_hasher("default")
    assert isinstance(hasher, LowPriorityPBKDF2PasswordHasher)
    ours = make_password("a-real-password-9")
    assert ours.startswith("pbkdf2_sha256$1000000$")
    assert PBKDF2PasswordHasher().verify("a-real-password-9", ours)
    stock = PBKDF2PasswordHasher().encode("a-real-password-9", "somesalt1234")
    assert check_password("a-real-password-9", stock) and not check_password("wrong-guess", stock)
    assert hasher.encode("a-real-password-9", "somesalt1234") == stock


def test_a_hash_runs_at_a_lower_priority_and_the_caller_keeps_its_own(monkeypatch):
    seen = []
    encode = PBKDF2PasswordHasher.encode

    def spy(self, password, salt, iterations=None):
        seen.append(_niceness())
        return encode(self, password, salt, iterations)

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", spy)
    before = _niceness()
    assert not check_password("wrong-guess", make_password("a-real-password-9"))
    assert seen and all(niceness == min(before + NICENESS, 19) for niceness in seen)
    assert _niceness() == before
