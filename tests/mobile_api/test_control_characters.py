"""No text field of the API takes control characters: C0, DEL and C1 alike.

One-line fields refuse every one of them; multi-line free text (a narrative, an activity
line, a person's description) keeps tabs and line breaks. PostgreSQL cannot store NUL,
and the others corrupt exports, PDFs and the terminals of those who read them.
"""

import types
import typing
import uuid
from typing import Annotated

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from backend.devices.models import DeviceToken
from backend.incidents.models import IncidentReport
from backend.tracking.models import ActivityEntry
from mobile_api.api import api
from tests import factories
from tests.mobile_api.test_field import activity
from tests.mobile_api.test_incidents import incident_body

pytestmark = pytest.mark.django_db

LOGIN = {"username": "guard", "password": "pw-for-tests", "device_id": "pixel-8-abc", "device_name": "Pixel 8"}
# U+009B is a terminal's "control sequence introducer", U+0085 "next line".
CONTROL_CHARACTERS = ["\x00", "\x01", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9b", "\x9f"]
MULTI_LINE_FIELDS = {
    "IncidentIn.narrative",
    "IncidentBodyIn.narrative",
    "ActivityIn.text",
    "PersonIn.description",
    "CompleteIn.note",
}


def _models_in(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def input_string_fields():
    """Every str field of every model the API parses from a request, nested models included."""
    seen, fields, pending = set(), {}, []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for params in operation.models:
                    for field in params.model_fields.values():
                        pending.extend(_models_in(field.annotation))
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            pending.extend(_models_in(field.annotation))
            if field.annotation is str or (
                isinstance(field.annotation, types.UnionType) and str in typing.get_args(field.annotation)
            ):
                fields[f"{model.__name__}.{name}"] = TypeAdapter(Annotated[str, *field.metadata])
    return fields


STRING_FIELDS = input_string_fields()


def test_the_walk_finds_the_string_fields_of_every_body():
    expected = {"TokenIn.password", "TokenIn.device_name", "PersonIn.name", "PersonIn.phone", "EmergencyIn.reference"}
    assert MULTI_LINE_FIELDS | expected | {"CheckpointScanIn.code", "IncidentIn.address"} <= set(STRING_FIELDS)


@pytest.mark.parametrize("field", sorted(STRING_FIELDS))
@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_input_string_field_refuses_control_characters(field, character):
    adapter = STRING_FIELDS[field]
    assert adapter.validate_python("ok") == "ok"

    with pytest.raises(ValidationError, match="control characters"):
        adapter.validate_python(f"ok{character}ok")


@pytest.mark.parametrize("field", sorted(STRING_FIELDS))
def test_only_multi_line_free_text_keeps_line_breaks_and_tabs(field):
    adapter = STRING_FIELDS[field]
    for text in ("line one\nline two", "a\tb", "a\r\nb"):
        if field in MULTI_LINE_FIELDS:
            assert adapter.validate_python(text) == text
        else:
            with pytest.raises(ValidationError):
                adapter.validate_python(text)


@pytest.mark.parametrize("field", ["username", "device_id", "device_name", "password"])
@pytest.mark.parametrize("character", ["\x00", "\x9b"], ids=["NUL", "U+009B"])
def test_control_characters_in_a_login_are_a_json_422_not_a_500(tenant, anonymous_api, field, character):
    body = {**LOGIN, "username": tenant.guard.username}
    body[field] = f"{body[field] or 'x'}{character}"

    response = anonymous_api.post_json("/auth/token", body)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["fields"]) == [field]
    assert not DeviceToken.objects.exists()


@pytest.fixture
def shift(tenant):
    return factories.ShiftFactory(post=tenant.post, guard=tenant.guard)


@pytest.mark.parametrize("character", ["\x9b", "\x85"], ids=["U+009B", "U+0085"])
def test_c1_controls_in_a_narrative_are_refused(shift, guard_api, character):
    body = incident_body(shift, narrative=f"The man ran{character}[2J toward gate B and climbed over it.")

    response = guard_api.post_json("/incidents", body)

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["narrative"]
    assert not IncidentReport.objects.exists()


@pytest.mark.parametrize("character", ["\x9b", "\x85"], ids=["U+009B", "U+0085"])
def test_c1_controls_in_an_activity_line_are_refused(shift, guard_api, character):
    response = guard_api.post_json("/activity", activity(shift, text=f"23:10 doors locked{character}"))

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["text"]
    assert not ActivityEntry.objects.exists()


def test_a_narrative_keeps_its_line_breaks_but_a_location_is_one_line(shift, guard_api):
    narrative = "02:10 found a man in the stairwell.\n02:15 he left by gate B."

    filed = guard_api.post_json("/incidents", incident_body(shift, narrative=narrative))
    two_lines = guard_api.post_json(
        "/incidents", incident_body(shift, id=str(uuid.uuid4()), location_detail="North stairwell\nlevel 2")
    )

    assert filed.status_code == 201, filed.json()
    assert IncidentReport.objects.get().narrative == narrative
    assert two_lines.status_code == 422
    assert list(two_lines.json()["fields"]) == ["location_detail"]
