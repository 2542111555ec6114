"""Print where the demo runs and who can log in (used by `make run`)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.localtime import TIME, local_time
from backend.demo.management.commands.seed_demo import DAY_SHIFT_START, NIGHT_SHIFT_START
from backend.staffing.models import Shift

# The guards of the first post's day and night slots (seed_demo.ALWAYS_ON_POSITIONS).
ALWAYS_ON_GUARDS = ("guard1", "guard2")


def mail_destination() -> str:
    """Where the demo's e-mail (alerts, client deliveries) ends up, in words."""
    backend = str(settings.EMAIL_BACKEND)
    if backend.endswith("filebased.EmailBackend"):
        return f"written as files to {settings.EMAIL_FILE_PATH} (one .log file per message)"
    if backend.endswith("smtp.EmailBackend"):
        return f"sent through SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    if backend.endswith("console.EmailBackend"):
        return "printed by the Celery worker (console backend)"
    return f"handled by {backend}"


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
            f"  Console          {base}/console/   (managers and site supervisors)",
            f"  Client portal    {base}/portal/    (client contacts: sign in as client1)",
            f"  Admin            {base}/admin/",
            f"  Mobile API docs  {base}/api/mobile/v1/docs",
            f"  Health           {base}/healthz",
            f"  E-mail           {mail_destination()}",
            "",
            f"  Password for every demo login: {settings.DEMO_PASSWORD}",
            "  GuardOps staff   admin",
            "  Manager          manager         (Peachtree Shield Security; admin access to its own data)",
            "  Supervisor       supervisor      (two Peachtree Shield sites, in the console)",
            f"  Guards           {', '.join(guards[:3])} ... {guards[-1] if guards else ''}",
            *self._on_shift_now(),
            f"  Client contacts  {', '.join(clients)}   (the portal; client1 has reports and concerns)",
            "  Second company   other-manager, other-guard1, other-guard2, other-client1 (Front Range Protective)",
            "",
        ]
        self.stdout.write("\n".join(lines))

    def _on_shift_now(self) -> list[str]:
        """Which demo guard to log in as to be on shift right now, whatever the hour."""
        now = timezone.now()
        shift = (
            Shift.objects.filter(guard__username__in=ALWAYS_ON_GUARDS, scheduled_start__lte=now, scheduled_end__gt=now)
            .select_related("guard", "post__site")
            .first()
        )
        if shift is None:
            return ["  On shift now     nobody: run `make seed` to schedule the demo's shifts again"]
        zone_name = shift.post.site.timezone
        start = local_time(shift.scheduled_start, zone_name, TIME)
        end = local_time(shift.scheduled_end, zone_name, TIME)
        day, night = f"{DAY_SHIFT_START:%H:%M}", f"{NIGHT_SHIFT_START:%H:%M}"
        return [
            f"  On shift now     {shift.guard.username} ({shift.guard.get_full_name()}),"
            f" {shift.post.site.name} / {shift.post.name}, {start} to {end}",
            f"                   (every day {ALWAYS_ON_GUARDS[0]} works {day}-{night} and"
            f" {ALWAYS_ON_GUARDS[1]} {night}-{day} there, {zone_name} time)",
        ]
