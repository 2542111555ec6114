"""The console's template helpers: local times with their zone, status words, the navigation."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template, TemplateSyntaxError

from console.navigation import nav_items
from tests.console.conftest import signed_in


def render(source: str, **context) -> str:
    return Template("{% load console_tags %}" + source).render(Context(context))


def test_a_moment_shows_on_the_sites_clock_with_its_zone():
    moment = datetime(2026, 1, 15, 5, 14, tzinfo=UTC)

    assert render("{{ m|local:zone }}", m=moment, zone="America/New_York") == "2026-01-15 00:14 EST"
    assert render("{{ m|local_time:zone }}", m=moment, zone="America/Denver") == "22:14 MST"
    assert render("{{ m|local:zone }}", m=None, zone="America/New_York") == "—"


def test_a_status_word_has_its_colour_class_and_its_text():
    word = render('{% status "attention" "Late 12 min" %}')
    assert word == '<span class="status status-attention">Late 12 min</span>'
    with pytest.raises(TemplateSyntaxError):
        render('{% status "red" "Late" %}')


@pytest.mark.django_db
def test_every_navigation_entry_is_a_page_the_manager_can_open(tenant):
    client = signed_in(tenant.manager)

    assert nav_items()
    for item in nav_items():
        assert client.get(item.url).status_code == 200, item.url
