# DIALOG+ — the README's two commands (`make run`, `make test`) and a few helpers.
# GNU make; every recipe runs in bash with -e (stop at the first failure).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# Touched after a successful install: pip runs again only when pyproject.toml changes.
STAMP := $(VENV)/.dialogplus-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# A fresh 64-character key for each production-like command, never stored.
NEW_SECRET_KEY = $$($(PY) -c 'import secrets; print(secrets.token_urlsafe(48))')
# A fresh field-encryption key (Fernet: 32 random bytes, url-safe base64).
NEW_FERNET_KEY = $$($(PY) -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')
# Tests run as production does: DEBUG unset, real keys.
TEST_ENV = env -u DEBUG SECRET_KEY="$(NEW_SECRET_KEY)" DIALOGPLUS_ENCRYPTION_KEYS="$(NEW_FERNET_KEY)"
DEPLOY_ENV = env DEBUG=0 SECRET_KEY="$(NEW_SECRET_KEY)" DIALOGPLUS_ENCRYPTION_KEYS="$(NEW_FERNET_KEY)" \
	ALLOWED_HOSTS=dialogplus.example.org

.PHONY: help install run test messages compilemessages bench clean distclean

help:
	@echo "make run    set up (venv, install, migrate, messages, demo data) and start"
	@echo "            the web server on http://$(HOST):$(PORT)/ with a Celery worker + beat"
	@echo "make test   ruff, migrations check, deploy check, translations, pytest"
	@echo "make messages | make bench | make clean | make distclean"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -e ".[dev]"
	touch $@

install: $(STAMP)

# compilemessages only when there are catalogs; $(1) = "warn" or "fail" without msgfmt.
define compile_messages
	if [ -n "$$(find locale -name '*.po' -print -quit 2>/dev/null)" ]; then \
	  if command -v msgfmt >/dev/null; then \
	    DEBUG=1 $(MANAGE) compilemessages --ignore=$(VENV) --verbosity 0; \
	  elif [ "$(1)" = warn ]; then \
	    echo "WARNING: msgfmt not found, the interface stays in English." \
	         "Install gettext (Debian: apt-get install gettext)." >&2; \
	  else \
	    echo "msgfmt not found: install gettext (Debian: apt-get install gettext)." >&2; \
	    exit 1; \
	  fi; \
	fi
endef

compilemessages: $(STAMP)
	@$(call compile_messages,fail)

# The web server and the worker side by side; the worker dying leaves the
# web server serving (scripts/serve.sh says why and what waits).
define start_both
	scripts/serve.sh "$(MANAGE) runserver $(HOST):$(PORT)" \
	  "$(BIN)/celery -A dialogplus worker -B --pool solo --loglevel info"
endef

run: export DEBUG = 1
run: $(STAMP)
	$(MANAGE) migrate --noinput
	@$(call compile_messages,warn)
	$(MANAGE) seed_demo
	@echo
	@echo "DIALOG+ is starting at http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the worker)"
	@echo "  clinician@demo.test  admin@demo.test  carer@demo.test  (password: dialogplus-demo)"
	@# Read from the settings, so a value in .env is shown as it is used.
	@$(MANAGE) shell --no-imports -c "from django.conf import settings as s; \
	  db = s.DATABASES['default']; \
	  print('  database:', db['NAME'] if db['ENGINE'] == 'dialogplus.sqlite' else db['ENGINE'].rsplit('.', 1)[-1] + ' ' + db['NAME'], \
	        ' broker:', s.CELERY_BROKER_FOLDER if s.CELERY_BROKER_URL.startswith('filesystem') else 'Redis')"
	@echo
	@$(start_both)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(BIN)/mypy
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING
	$(PY) scripts/check_translations.py
	$(PY) scripts/sr_latn_from_cyrillic.py --check
	$(PY) scripts/bootstrap_subset.py --check
	@$(call compile_messages,fail)
	@# Templates use the production static storage (a manifest), as in production.
	$(TEST_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# makemessages for every language but English; locale names as Django wants
# them (sr-latn -> sr_Latn).
messages: $(STAMP)
	DEBUG=1 $(MANAGE) makemessages --no-obsolete \
	  --ignore=$(VENV) --ignore=bench --ignore=tests --ignore=staticfiles --ignore=var --ignore=static \
	  $$($(PY) -c 'from django.utils.translation import to_locale; \
	    from dialogplus.languages import LANGUAGE_CODES; \
	    print(" ".join("-l " + to_locale(c) for c in LANGUAGE_CODES if c != "en"))')

bench: $(STAMP)
	$(PY) bench/flow_pages.py
	$(PY) bench/page_weight.py

clean:
	rm -rf staticfiles var/bench bench/out test-results .pytest_cache .ruff_cache .mypy_cache $(STAMP)
	find . \( -path ./.venv -o -path ./.git \) -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf
	find locale -name '*.mo' -delete 2>/dev/null || true

# Also the virtualenv and the local database, broker folder and mail outbox.
distclean: clean
	rm -rf $(VENV) var
