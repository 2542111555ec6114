"""PNGs of the console's and the client portal's main pages, on a desk monitor and on a phone.

    make screenshots            # seeds the demo, then writes var/screenshots/*.png (git-ignored)

Starts the development server on the demo database, signs in as the demo's manager (and
supervisor, and a guard for the role page) in Debian's Chromium, and visits the sign-in
page, every page in the console's navigation (each area registers its own there), and
any extra path given with --page; then signs in to the portal as `client1` and visits its
pages (sites, attendance, a DAR, reports and one report, concerns and a thread, summaries,
e-mail preferences), and the public verify page of a PDF the demo made.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import django
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

SIZES: dict[str, ViewportSize] = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
# Pages that are not in the navigation, by area.
LIVE_PAGES = ["/console/live/alerts"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(60):
        if server.poll() is not None:
            raise SystemExit("The development server stopped; is the database seeded (make seed)?")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1):  # noqa: S310 (our own loopback server)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("The development server did not answer /healthz within 30 s.")


def _sign_in(page: Page, username: str, password: str) -> None:
    """Fill the sign-in page the browser is on (the console's or the portal's) and wait for the next one."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    parser.add_argument(
        "--page", action="append", default=[], help="another console path to capture, e.g. /console/live"
    )
    args = parser.parse_args()

    django.setup()
    from django.conf import settings

    from console.navigation import nav_items

    paths = [item.url for item in nav_items()] + LIVE_PAGES + args.page
    paths += _attendance_paths()
    # Post requirements: a demo post that requires something (the catalogue and posts list are in the nav).
    from backend.staffing.models import PostRequirement

    required = PostRequirement.objects.order_by("pk").first()
    if required is not None:
        paths.append(f"/console/posts/{required.post_id}")
    # Reviews: rule health, and the demo's newest flagged report (if the demo is seeded).
    from backend.incidents.models import IncidentReport

    paths.append("/console/reports/rule-health")
    flagged = IncidentReport.objects.filter(flags__status="open").order_by("-received_at").first()
    if flagged is not None:
        paths.append(f"/console/reports/{flagged.pk}")
    portal_paths = _portal_paths()
    password = settings.DEMO_PASSWORD
    base = f"http://127.0.0.1:{args.port}"
    args.out.mkdir(parents=True, exist_ok=True)

    server = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_SECURE_COOKIES": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    written: list[Path] = []
    try:
        _wait_until_up(base, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.goto(f"{base}/console/login")
                written.append(args.out / f"login-{size}.png")
                page.screenshot(path=written[-1], full_page=True)
                for username in ("manager", "supervisor"):
                    page.goto(f"{base}/console/login")
                    _sign_in(page, username, password)
                    for path in paths:
                        page.goto(f"{base}{path}")
                        page.wait_for_load_state("networkidle")
                        written.append(args.out / f"{username}-{_slug(path.removeprefix('/console'))}-{size}.png")
                        page.screenshot(path=written[-1], full_page=True)
                    page.get_by_role("button", name="Sign out").first.click()
                    page.wait_for_url(f"{base}/console/login")
                _sign_in(page, "guard1", password)
                written.append(args.out / f"guard-not-for-your-role-{size}.png")
                page.screenshot(path=written[-1], full_page=True)
                context.close()
                written += _portal(browser, base, password, viewport, size, args.out, portal_paths)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)  # noqa: T201


def _portal_paths() -> list[str]:
    """client1's portal pages, each with the demo's object in it (seed_demo's portal_demo and documents_demo)."""
    from django.utils import timezone

    from backend.accounts.models import User
    from backend.calls.concern_models import Concern
    from backend.core.localtime import to_local
    from backend.documents.models import DocumentStatus, GeneratedDocument
    from backend.incidents.models import IncidentReport, IncidentStatus
    from backend.sites.models import Site

    contact = User.objects.filter(username="client1").first()
    if contact is None or contact.client_id is None:
        return []
    client_id = int(contact.client_id)
    paths = ["/portal/", "/portal/reports", "/portal/concerns", "/portal/summaries", "/portal/preferences"]
    site = Site.objects.filter(client_id=client_id).order_by("pk").first()
    if site is not None:
        today = to_local(timezone.now(), site.timezone).date()
        paths += [f"/portal/sites/{site.pk}/attendance", f"/portal/sites/{site.pk}/dar/{today - timedelta(days=1)}"]
        paths.append(f"/portal/summaries/{today:%Y-%m}")
    report = (
        IncidentReport.objects.filter(shift__post__site__client_id=client_id, status=IncidentStatus.APPROVED)
        .order_by("-occurred_at")
        .first()
    )
    if report is not None:
        paths.append(f"/portal/reports/{report.pk}")
    concern = Concern.objects.filter(raised_by=contact).order_by("created_at").first()
    if concern is not None:
        paths.append(f"/portal/concerns/{concern.pk}")
    document = GeneratedDocument.objects.filter(client_id=client_id, status=DocumentStatus.READY).first()
    if document is not None:
        paths.append(f"/portal/verify/{document.content_hash}")
    return paths


def _portal(
    browser: Browser, base: str, password: str, viewport: ViewportSize, size: str, out: Path, paths: list[str]
) -> list[Path]:
    """The portal's sign-in page, then each of `paths` as client1; the files written."""
    written: list[Path] = []
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/portal/login")
    written.append(out / f"portal-login-{size}.png")
    page.screenshot(path=written[-1], full_page=True)
    _sign_in(page, "client1", password)
    for path in paths:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        written.append(out / f"portal-{_slug(path.removeprefix('/portal')) or 'sites'}-{size}.png")
        page.screenshot(path=written[-1], full_page=True)
    context.close()
    return written


def _attendance_paths() -> list[str]:
    """The attendance area's detail pages: the demo's no-show today and its guard (seed_demo)."""
    from backend.flags.models import Flag, FlagStatus
    from backend.rules.findings import FlagCode

    flag = Flag.objects.filter(code=FlagCode.NO_SHOW, status=FlagStatus.OPEN, shift__isnull=False).first()
    if flag is None or flag.shift is None:
        return []
    return [f"/console/attendance/{flag.pk}", f"/console/guards/{flag.shift.guard_id}"]


if __name__ == "__main__":
    main()
