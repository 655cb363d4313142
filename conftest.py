"""Test-wide settings that must be in place before Django reads its settings."""

import os

# Tests never run with a real secret; DEBUG stays off as in production.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_PLAIN_STATIC", "1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
