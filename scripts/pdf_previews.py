"""Sample PDFs of every report, and PNGs of their pages, for a person to look at.

    make pdf-previews          # var/pdf-previews/*.pdf and *-<page>.png (git-ignored)

Renders the deterministic samples of `reports.samples` (an incident report, a busy and a
quiet daily activity report, a client's month) and turns each page into a PNG with
`pdftoppm` (Debian's poppler-utils, installed by scripts/setup.sh). No database needed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports import render_daily_activity, render_incident_report, render_monthly_summary, samples  # noqa: E402

BASE = "https://guardops.example"


def samples_to_render() -> dict[str, Callable[[], bytes]]:
    return {
        "incident": lambda: render_incident_report(samples.incident_report(), verify_base_url=BASE),
        "dar-busy": lambda: render_daily_activity(samples.daily_activity(), verify_base_url=BASE),
        "dar-quiet": lambda: render_daily_activity(samples.daily_activity(quiet=True), verify_base_url=BASE),
        "monthly": lambda: render_monthly_summary(samples.monthly_summary(photos=12, photo_size=(2000, 1500)),
                                                  verify_base_url=BASE),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "pdf-previews")
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--last-page", type=int, default=6, help="PNGs of the first N pages of each PDF")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    for name, render in samples_to_render().items():
        path = args.out / f"{name}.pdf"
        path.write_bytes(render())
        print(path)  # noqa: T201
        if pdftoppm:
            subprocess.run(  # noqa: S603 - a fixed command on files we just wrote
                [pdftoppm, "-png", "-r", str(args.dpi), "-l", str(args.last_page), str(path), str(args.out / name)],
                check=True,
            )
    if not pdftoppm:
        raise SystemExit("pdftoppm not found (apt-get install poppler-utils): PDFs written, no PNGs.")


if __name__ == "__main__":
    main()
