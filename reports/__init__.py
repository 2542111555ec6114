"""PDF reports: plain frozen data in (`reports.documents`), PDF bytes out. No Django, no ORM.

- `render_incident_report(doc, *, verify_base_url, generated_at=None) -> bytes`
- `render_daily_activity(doc, *, verify_base_url, generated_at=None) -> bytes`
- `render_monthly_summary(doc, *, verify_base_url, generated_at=None) -> bytes`
- `content_hash(doc) -> str`: the SHA-256 printed in every footer, over the document's data
  (`reports.canonical`); store it with the PDF and look it up at `/portal/verify/<hash>`.
- `summarise(doc)` (`reports.figures`): the monthly figures, for the portal's page.
"""

from reports.canonical import content_hash, verify_url
from reports.figures import summarise
from reports.pdf.daily import render_daily_activity
from reports.pdf.incident import render_incident_report
from reports.pdf.monthly import render_monthly_summary

__all__ = [
    "content_hash",
    "render_daily_activity",
    "render_incident_report",
    "render_monthly_summary",
    "summarise",
    "verify_url",
]
