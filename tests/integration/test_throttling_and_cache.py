"""Failed logins are throttled (django-axes), and the figures every process caches are shared
and dropped wherever the data changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def fail(client, username: str, where: str = "login", address: str = "203.0.113.7"):
    path = reverse(where) if where == "login" else "/admin/login/"
    return client.post(path, {"username": username, "password": "not-the-password"}, REMOTE_ADDR=address)


def test_a_username_from_an_address_is_locked_out_with_a_429_page(client, editor, settings):
    settings.LOGIN_GUARD_MEMORY_SECONDS = 0  # so that the reset below shows at once
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail(client, "bob").status_code == 200  # the form again, with its message
    locked = fail(client, "bob")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text and "site-header" in locked.text
    # Locked: even the right password is not checked now.
    right = client.post(
        reverse("login"), {"username": "bob", "password": "bob-password-123"}, REMOTE_ADDR="203.0.113.7"
    )
    assert right.status_code == 429
    # Another address is not locked out for it.
    elsewhere = client.post(
        reverse("login"), {"username": "bob", "password": "bob-password-123"}, REMOTE_ADDR="198.51.100.4"
    )
    assert elsewhere.status_code == 302
    # An admin lifts the lockout.
    call_command("axes_reset", verbosity=0)
    again = client.post(
        reverse("login"), {"username": "bob", "password": "bob-password-123"}, REMOTE_ADDR="203.0.113.7"
    )
    assert again.status_code == 302


def test_an_address_guessing_many_usernames_is_locked_out_and_so_is_the_admin_login(client, admin_user):
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(client, f"guess{number}", where="admin")
    assert fail(client, "someone-new", where="admin").status_code == 429
    assert fail(client, "someone-else").status_code == 429
    page = client.post(
        "/admin/login/",
        {"username": "charlie", "password": "charlie-password-123"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert page.status_code == 429 and "Too many failed logins" in page.text


def test_figures_are_kept_in_the_shared_cache():
    assert settings.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }


@pytest.mark.django_db
def test_a_few_hundred_kept_pages_do_not_push_the_figures_out_of_the_cache(client, sample_article):
    """The database cache culls a third of its entries once it holds more than its limit
    (300 by default): kept pages would then push out the site's figures, each a recount."""

    def kept() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM cache_table")
            return {row[0] for row in cursor.fetchall()}

    assert client.get(reverse("home")).status_code == 200
    figures = kept()
    assert figures, "the home page's figures are kept in the shared cache"
    for number in range(400):
        cache.set(f"reader-pages:test:{number}", b"x" * 100)
    assert figures <= kept()


@pytest.mark.django_db(transaction=True)
def test_an_import_in_another_process_shows_on_the_home_page_at_once(client, registry, tmp_path, settings):
    # As in production: pages never count a figure the cache holds; the import counts them.
    settings.FIGURES_IN_BACKGROUND = True
    first = client.get("/").context["article_total"]  # computed now, and cached for a minute
    assert client.get("/").context["article_total"] == first  # served from the cache
    article = tmp_path / "harbour.txt"
    article.write_text("Harbour closed\n\nThe harbour master said the port would close on Monday.\n")
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        url = f"sqlite:///{database['NAME']}"
    else:
        host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        url = f"postgres://{database['USER']}@{host}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": "tests-only-not-a-secret"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(article)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert Article.objects.count() == first + 1
    assert client.get("/").context["article_total"] == first + 1
    assert client.get("/articles/").context["article_total"] == first + 1


@pytest.mark.django_db(transaction=True)
def test_a_changed_figure_is_recounted_in_the_background_meanwhile_the_last(settings, client, registry):
    from articles import figures
    from articles.importing import Item, run_import

    settings.FIGURES_IN_BACKGROUND = True
    first = client.get("/").context["article_total"]  # none cached yet: counted in the request
    # An import counts the figures before it ends: the next page shows them at once.
    run_import([Item("bridge.txt", data=b"Bridge\n\nThe mayor said the bridge would reopen.\n")])
    assert client.get("/").context["article_total"] == first + 1
    # A change that only marks them changed (as an editor's action does; a withdrawal here):
    # the next page shows the last count at once and a background thread counts again.
    run_import([Item("dam.txt", data=b"Dam\n\nThe engineer said the dam would hold.\n")])
    figures.last_recount = None
    Article.objects.filter(title="Dam").update(withdrawn_at="2024-01-01T00:00:00Z")
    figures.changed(*figures.READER_FIGURES)
    assert client.get("/").context["article_total"] == first + 2
    assert figures.last_recount is not None
    figures.last_recount.join(timeout=30)
    assert client.get("/").context["article_total"] == first + 1
