# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
DEV    := DJANGO_DEBUG=1
# Settings for the checks that need a database-free, production-like configuration.
CHECKENV := DJANGO_SECRET_KEY=check-only-not-a-secret

.PHONY: install run serve demo test lint format check browser-deps clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

## make run: install, migrate, load the demo data, then serve on http://127.0.0.1:8000 with a
## background worker beside the web server (uploads go through the same queue as in
## production); Ctrl-C stops both.
run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py createcachetable
	$(DEV) $(BIN)/python manage.py load_demo
	$(DEV) TASKS_BACKEND=database $(BIN)/python manage.py db_worker --no-reload --interval 0.5 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) TASKS_BACKEND=database $(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: install (Chromium too, when missing) and run lint, migration check and every test
test: install browser-deps check
	$(BIN)/pytest $(PYTEST_ARGS)

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(CHECKENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(CHECKENV) $(BIN)/python manage.py check

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
