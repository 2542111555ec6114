"""Re-make display copies and thumbnails that still carry metadata (stored before they were pixels only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.incidents.images import ImageRejected
from backend.incidents.models import IncidentPhoto
from backend.incidents.services import incident_photo_copies_clean


class Command(BaseCommand):
    help = (
        "Re-make, from the kept originals, every photo's display copy and thumbnail that carries "
        "metadata (a JPEG comment with a GPS position, EXIF, XMP, ICC). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=200, help="Photos read from the database at a time.")

    def handle(self, *args: Any, **options: Any) -> None:
        cleaned = failed = seen = 0
        photo_ids = IncidentPhoto.objects.order_by("created_at").values_list("pk", flat=True)
        for photo_id in photo_ids.iterator(chunk_size=options["batch_size"]):
            seen += 1
            try:
                cleaned += incident_photo_copies_clean(photo_id=photo_id)
            except (ImageRejected, OSError) as exc:
                failed += 1
                self.stderr.write(f"Photo {photo_id}: left as it was ({exc}).")
        self.stdout.write(f"{seen} photos checked, {cleaned} re-made without metadata, {failed} could not be.")
