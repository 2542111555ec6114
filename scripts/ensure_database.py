"""Create the database named by DATABASE_URL if missing, with PostGIS enabled.

On a fresh Debian machine run as root there is no `root` role yet; it is created
through the `postgres` superuser (peer auth) so the default URL works.
"""

import os
import subprocess
import sys
from typing import Any
from urllib.parse import unquote, urlparse

import psycopg


def main() -> int:
    url = urlparse(os.environ["DATABASE_URL"])
    dbname = unquote(url.path.lstrip("/")) or "guardops"
    params: dict[str, Any] = {
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "user": unquote(url.username or "root"),
        "password": unquote(url.password) if url.password else None,
    }
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error) or params["host"] not in ("127.0.0.1", "localhost"):
            raise
        role = params["user"]
        subprocess.run(["su", "postgres", "-c", f"createuser --superuser {role}"], check=True)  # noqa: S603,S607
        admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            print(f"==> Creating database {dbname}")  # noqa: T201
            admin.execute(f'CREATE DATABASE "{dbname}"')
    with psycopg.connect(dbname=dbname, autocommit=True, **params) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        version = conn.execute("SELECT postgis_lib_version()").fetchone()
    print(f"==> PostGIS {version[0] if version else '?'} ready in {dbname}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
