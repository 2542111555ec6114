#!/usr/bin/env bash
# One idempotent set-up for `make run`, `make test` and `make bench` on Debian/Ubuntu:
# system packages (PostGIS, GDAL, Redis, Chromium for browser tests), the venv, the
# database with PostGIS enabled, migrations. Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

: "${DATABASE_URL:=postgis://root@127.0.0.1:5432/guardops}"
: "${REDIS_URL:=redis://127.0.0.1:6379/0}"
export DATABASE_URL REDIS_URL
PYTHON="${PYTHON:-python3}"

# ---- system packages -------------------------------------------------------------
need=()
pkg_missing() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
local_db=false; case "$DATABASE_URL" in *@127.0.0.1*|*@localhost*|*@/*) local_db=true ;; esac
local_redis=false; case "$REDIS_URL" in *://127.0.0.1*|*://localhost*) local_redis=true ;; esac

if $local_db && ! command -v pg_ctlcluster >/dev/null && ! command -v psql >/dev/null; then need+=(postgresql); fi
if $local_db; then
  pg_major=$(psql --version 2>/dev/null | sed -E 's/[^0-9]*([0-9]+).*/\1/' || true)
  [ -n "$pg_major" ] || pg_major=15
  pkg_missing "postgresql-${pg_major}-postgis-3" && need+=("postgresql-${pg_major}-postgis-3")
fi
pkg_missing gdal-bin && need+=(gdal-bin)
pkg_missing libgdal-dev && need+=(libgdal-dev)
# pdftoppm turns the sample PDF reports into PNGs (make pdf-previews / make screenshots).
pkg_missing poppler-utils && need+=(poppler-utils)
$local_redis && ! command -v redis-server >/dev/null && need+=(redis-server)
pkg_missing python3-venv && ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null && need+=(python3-venv)
if [ "${GUARDOPS_BROWSER_TESTS:-1}" = "1" ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
# npm installs the web pages' JavaScript libraries (htmx) from package-lock.json.
command -v npm >/dev/null || need+=(nodejs npm)

if [ ${#need[@]} -gt 0 ]; then
  say "Installing system packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ---- services ----------------------------------------------------------------------
if $local_db && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  say "Starting PostgreSQL"
  cluster_version=$(ls /etc/postgresql | sort -n | tail -1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if $local_redis && ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  say "Starting Redis"
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && break; sleep 1; done
fi

# ---- python environment ------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  say "Creating the virtual environment"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  say "Installing GuardOps and its Python dependencies"
  log=$(mktemp)
  if ! { .venv/bin/pip install -q --upgrade pip && .venv/bin/pip install -q -e '.[dev]'; } >"$log" 2>&1; then
    cat "$log"; rm -f "$log"; exit 1
  fi
  rm -f "$log"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# ---- web libraries (package-lock.json -> node_modules, served as static files) --------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing the web pages' JavaScript libraries (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

# ---- local settings ------------------------------------------------------------------
if [ ! -f .env ]; then
  say "Writing .env with a fresh secret key (git-ignored)"
  key=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
  printf 'DJANGO_SECRET_KEY=%s\n' "$key" > .env
fi

# ---- database ------------------------------------------------------------------------
.venv/bin/python scripts/ensure_database.py
