# GuardOps: `make run` for the demo, `make test` for the suite. Both set up whatever is
# missing first (scripts/setup.sh), so each works on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
export DATABASE_URL ?= postgis://root@127.0.0.1:5432/guardops
export REDIS_URL ?= redis://127.0.0.1:6379/0
export DEMO_PASSWORD ?= guardops-demo
PORT ?= 8000
VENV := .venv/bin

.PHONY: setup run test lint bench migrate seed clean-test-db screenshots pdf-previews

setup:
	@bash scripts/setup.sh

migrate: setup
	@$(VENV)/python manage.py migrate --noinput

seed: migrate
	@$(VENV)/python manage.py seed_demo

# Local demo: DEBUG on (plain HTTP on loopback), web + Celery worker + beat under honcho.
run: export DJANGO_DEBUG ?= true
# Demo e-mail (alerts, client deliveries) is written as files under var/mail; EMAIL_URL or EMAIL_HOST send it instead.
run: export DJANGO_EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
run: export PORT := $(PORT)
run: seed
	@$(VENV)/python manage.py collectstatic --noinput -v0
	@$(VENV)/python manage.py demo_banner --port $(PORT)
	@exec $(VENV)/honcho start -f Procfile

test: setup
	@$(VENV)/python manage.py makemigrations --check --dry-run --settings=backend.config.settings_test >/dev/null \
		|| { echo "Model changes without a migration: run manage.py makemigrations"; exit 1; }
	$(VENV)/pytest
	$(VENV)/ruff check .
	$(VENV)/mypy .
	$(VENV)/lint-imports

lint: setup
	$(VENV)/ruff check .
	$(VENV)/mypy .
	$(VENV)/lint-imports

bench: migrate
	@set -e; for script in bench/bench_*.py; do echo "== $$script"; $(VENV)/python "$$script"; done

# PNGs of the console's pages (desk and phone sizes) in var/screenshots/, which git ignores.
screenshots: seed pdf-previews
	@$(VENV)/python scripts/screenshots.py --out var/screenshots

# Sample PDFs of every report and PNGs of their pages (pdftoppm) in var/pdf-previews/; no database.
pdf-previews: setup
	@$(VENV)/python scripts/pdf_previews.py --out var/pdf-previews
