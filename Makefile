# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Debian packages: the browser for the tests and for the charts in the PDFs, Pango for WeasyPrint,
# fonts, gettext for the translations, libmagic to read the type of uploaded files.
SYSTEM_PACKAGES := chromium fonts-dejavu-core fonts-liberation gettext libmagic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: run test lint typecheck check system-packages venv migrate messages translations plotly clean

run: venv system-packages messages
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo "Portail : http://127.0.0.1:8000  (Ctrl-C arrête le serveur web, le worker et beat)"
	$(BIN)/honcho start --port 8000

# The suite runs in parallel, one pytest-xdist worker per core, each on its own test database and broker
# (CONTRIBUTING.md); `make test PYTEST_WORKERS=0` runs it in one process, PYTEST_ARGS adds options or paths.
PYTEST_WORKERS ?= auto
test: venv system-packages messages
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Type checking (strict for the apps, migrations excluded: [tool.mypy] in pyproject.toml).
typecheck: venv
	$(BIN)/mypy

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Installs the missing Debian packages when run as root; otherwise says which are missing.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installation des paquets Debian :$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "Paquets Debian manquants (à installer en root) :$$missing" >&2; \
		fi; \
	fi

# The compiled catalogues (.mo) are built from the sources (.po) when gettext is there.
messages: venv
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt introuvable : traductions non compilées" >&2; fi

# After changing texts: refresh the catalogues, fill the French plurals; then translate the new
# English entries in locale/en/LC_MESSAGES/django.po and run `make messages`.
translations: venv
	$(BIN)/python manage.py makemessages -l en -l fr --no-location --no-obsolete --ignore=.venv --ignore=var
	$(BIN)/python tools/french_plurals.py

# Rebuilds static/js/plotly-portal.min.js and static/css/plotly.css from the plotly.js pinned in
# frontend/package-lock.json (Node 20 and npm; the result is committed: see frontend/README.md).
plotly:
	cd frontend && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) var
