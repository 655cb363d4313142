"""gunicorn's settings for `gunicorn project.wsgi`, which reads this file from the folder it
starts in: the shape the benchmarks measure (benchmarks/_setup.py), not gunicorn's default of
one worker serving one request at a time, where one login's password hash (half a second of
CPU) would hold every reader up. Eight threads a worker: pages mostly wait on the database,
and the login guard (project/middleware.py) may hold half of them on refused logins while the
other half serve readers; settings.py reads GUNICORN_THREADS for that share too."""

import os

worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))


def post_worker_init(worker) -> None:
    """Import the views and compile the templates before the worker's first request, so that
    no reader pays for them (project/warmup.py). Imported here: gunicorn reads this file
    before Django is set up, and the worker has set it up by now."""
    from project.warmup import warm_up

    warm_up()
