"""Shared fixtures: the registry, the sample article, and users of each right."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

SAMPLE_PATH = Path(__file__).resolve().parent.parent / "articles" / "fixtures" / "raqqa-coalition.txt"


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE_PATH.read_bytes()


@pytest.fixture
def registry(db):
    from attributions.registry import load_sources

    return load_sources()


@pytest.fixture
def sample_article(registry):
    from articles.importing import iter_paths, run_import
    from articles.models import Article, ImportBatch

    batch = run_import(iter_paths([SAMPLE_PATH]), origin=ImportBatch.Origin.COMMAND)
    return Article.objects.get(batch=batch)


@pytest.fixture
def reader(db) -> User:
    """Logged in, but with no editing rights."""
    return User.objects.create_user("alice", password="alice-password-123")


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user("bob", password="bob-password-123")
    # get_or_create: a transactional test empties the table the migration filled
    user.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return user


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("charlie", "charlie@example.org", "charlie-password-123")


@pytest.fixture(autouse=True)
def figures_counted_in_the_request(settings):
    """Whole-table figures are recounted within the request in tests, so a page shows a
    change at once (tests/integration/test_throttling_and_cache.py covers the background)."""
    settings.FIGURES_IN_BACKGROUND = False
    # Tests change rows directly and read the page again; tests/integration/test_page_cache.py
    # covers the kept pages.
    settings.READER_PAGE_CACHE_SECONDS = 0
    # Refused logins are answered at once (tests/integration/test_login_guard.py holds them).
    settings.LOGIN_GUARD_HOLD_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Cached figures from one test must not leak into the next (the cache is a database
    table, so only tests that use the database can have filled it)."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if not uses_database:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
