"""Export managers' dismissals of EMERGENCY_NOT_REPORTED as labelled narratives for the detector's corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.accounts.models import Company
from backend.incidents.selectors import emergency_dismissal_cases


class Command(BaseCommand):
    help = (
        "Write one company's dismissed EMERGENCY_NOT_REPORTED flags as JSONL in the format of "
        "tests/narrative/corpus/ (text, services [] = no service attended, the services the rule "
        "claimed, the manager's reason and note), to grow the detector's corpus from real use."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="The company's slug (or id): only its flags.")
        parser.add_argument("--output", help="A file to write; standard output when left out.")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = str(options["company"])
        company = Company.objects.filter(slug=wanted).first() or (
            Company.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        )
        if company is None:
            raise CommandError(f"No company {wanted!r}.")
        lines = [json.dumps(case, ensure_ascii=False) + "\n" for case in emergency_dismissal_cases(company=company)]
        if options["output"]:
            Path(options["output"]).write_text("".join(lines), encoding="utf-8")
        else:
            self.stdout.write("".join(lines), ending="")
        self.stderr.write(f"{len(lines)} dismissed emergency flags of {company.name} exported.")
