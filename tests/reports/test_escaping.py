"""Guard- and client-written text prints as text: ReportLab markup in it is never interpreted.

ReportLab's Paragraph parses markup; CVE-2023-33733 ran code through `<font color>` and
`<img src>` loads a file from disk. If any of the strings below reached Paragraph
unescaped, the PDF would show red text or a link (not the literal tags), or rendering
would fail trying to load /etc/passwd as an image.
"""

from __future__ import annotations

import dataclasses

from reports import render_daily_activity, render_incident_report, render_monthly_summary, samples
from reports.documents import ActivityEntry, ConcernLine, Person, Photo
from tests.reports.pdfread import flat, images, read, text

BASE = "https://portal.example.com"
HOSTILE = [
    '<font color="red">RED</font>',
    '<img src="/etc/passwd"/>',
    '<link href="https://evil.example/x">click</link>',
    'Tom & Jerry; &amp; stays &amp;',
    '<font color="[[[getattr(pow, Word(\'__globals__\'))]]]">x</font>',
    "<b>not bold</b> <br/> <para>",
]


def _no_links(pdf: bytes) -> bool:
    return all("/Annots" not in page or all(
        "evil" not in str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for annotation in page["/Annots"]) for page in read(pdf).pages)


def test_an_incident_narrative_and_every_free_text_field_print_literally():
    doc = samples.incident_report(photos=0)
    doc = dataclasses.replace(
        doc,
        narrative="\n\n".join(HOSTILE),
        location_detail=HOSTILE[0],
        persons=(Person(HOSTILE[2], "witness", HOSTILE[1]),),
        filed_by=HOSTILE[3],
    )
    pdf = render_incident_report(doc, verify_base_url=BASE)
    words = flat(text(pdf))
    for hostile in HOSTILE:
        assert flat(hostile) in words, hostile
    assert images(pdf) == []  # the <img> loaded nothing
    assert _no_links(pdf)


def test_a_photo_caption_prints_literally():
    doc = samples.incident_report(photos=1)
    photo = dataclasses.replace(doc.photos[0], caption=HOSTILE[1] + " " + HOSTILE[0])
    pdf = render_incident_report(dataclasses.replace(doc, photos=(photo,)), verify_base_url=BASE)
    assert flat(HOSTILE[1] + " " + HOSTILE[0]) in flat(text(pdf))
    assert len(images(pdf)) == 1  # the photo itself, nothing from /etc


def test_dar_activity_lines_and_monthly_concerns_print_literally():
    dar = samples.daily_activity()
    entries = tuple(ActivityEntry(dar.activity[0].at, HOSTILE[3], hostile) for hostile in HOSTILE)
    pdf = render_daily_activity(dataclasses.replace(dar, activity=entries), verify_base_url=BASE)
    words = flat(text(pdf))
    assert all(flat(hostile) in words for hostile in HOSTILE)
    assert images(pdf) == []
    assert _no_links(pdf)

    month = samples.monthly_summary(sites=1, shifts=10, incidents=3)
    concerns = tuple(ConcernLine(month.shifts[0].scheduled_start, "Site", hostile, "open") for hostile in HOSTILE)
    thumbs = (dataclasses.replace(month.photos[0], photo=Photo(b"x", HOSTILE[1])),) if month.photos else ()
    pdf = render_monthly_summary(dataclasses.replace(month, concerns=concerns, photos=thumbs), verify_base_url=BASE)
    words = flat(text(pdf))
    assert all(flat(hostile) in words for hostile in HOSTILE)
    assert images(pdf) == []
