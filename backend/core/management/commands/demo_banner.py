"""Print where the demo runs and who can log in (used by `make run`)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from backend.accounts.models import Role, User


class Command(BaseCommand):
    help = "Print the demo URLs and logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        base = f"http://127.0.0.1:{options['port']}"
        guards = list(
            User.objects.filter(role=Role.GUARD, company__slug="peachtree-shield").values_list("username", flat=True)
        )
        clients = list(
            User.objects.filter(role=Role.CLIENT_CONTACT, username__startswith="client").values_list(
                "username", flat=True
            )
        )
        guards.sort(key=lambda name: int(name.removeprefix("guard")) if name.removeprefix("guard").isdigit() else 0)
        lines = [
            "",
            "GuardOps is starting (web, Celery worker, Celery beat). Ctrl-C stops all three.",
            "",
            f"  Admin            {base}/admin/",
            f"  Mobile API docs  {base}/api/mobile/v1/docs",
            f"  Health           {base}/healthz",
            "",
            f"  Password for every demo login: {settings.DEMO_PASSWORD}",
            "  GuardOps staff   admin",
            "  Manager          manager         (Peachtree Shield Security; admin access to its own data)",
            f"  Guards           {', '.join(guards[:3])} ... {guards[-1] if guards else ''}",
            f"  Client contacts  {', '.join(clients)}",
            "  Second company   other-manager, other-guard1, other-guard2, other-client1 (Front Range Protective)",
            "",
        ]
        self.stdout.write("\n".join(lines))
