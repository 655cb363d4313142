"""Work a server process does once, before its first request rather than during it.

A new gunicorn worker imports its views and compiles each page's templates the first time
they are asked for: about 120 ms on the first request of a worker and a few ms on the first
page of each kind, paid by whichever reader comes first after every start or restart.
``gunicorn.conf.py`` calls ``warm_up`` in each worker before it takes requests.

Then the worker's objects so far (Django, the views, the compiled templates: over 100,000)
are frozen out of Python's garbage collector: a full collection walked them all, about 75 ms
at a time, and landed on whichever request happened to allocate past the threshold (the
stray 80 ms first views of the page benchmarks); frozen, a full collection takes about 1 ms.
They live as long as the worker anyway.
"""

from __future__ import annotations

import gc
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver


def our_templates() -> list[str]:
    """The project's own templates (the ``DIRS`` of the template settings), by name."""
    names = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        root = Path(folder)
        names += sorted(str(path.relative_to(root)) for path in root.rglob("*.html"))
    return names


def warm_up() -> list[str]:
    """Import every view and build the URL maps (the first ``reverse`` builds them), then
    compile the project's templates into the template loaders' cache (kept with DEBUG off),
    and freeze what the process holds out of the garbage collector's full passes.
    Returns the templates compiled."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - reading it imports every view module
    resolver.reverse_dict  # noqa: B018 - the reverse lookups, built once per process
    names = our_templates()
    for name in names:
        get_template(name)
    gc.collect()  # what is garbage already goes, rather than being kept for good
    gc.freeze()
    return names
