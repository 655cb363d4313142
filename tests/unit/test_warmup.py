"""A gunicorn worker compiles the project's templates before its first request."""

from __future__ import annotations

import gc

from django.template import engines

from project.warmup import warm_up


def test_warm_up_compiles_every_page_template_into_the_loaders_cache():
    names = warm_up()
    pages = {"base.html", "articles/detail.html", "articles/search.html", "registration/locked_out.html"}
    assert pages <= set(names)
    loader = engines["django"].engine.template_loaders[0]
    while not hasattr(loader, "get_template_cache"):  # django-template-partials wraps Django's
        (loader,) = loader.loaders  # cached loader (DEBUG off)
    assert set(names) <= set(loader.get_template_cache)


def test_warm_up_freezes_the_workers_objects_out_of_full_collections():
    try:
        warm_up()
        # Django, the views and the templates at least: objects a full collection no longer walks
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # the test process goes on collecting as before
