"""The API's documentation page works without the internet: no CDN, assets served here."""

import re

import pytest

pytestmark = pytest.mark.django_db

DOCS = "/api/mobile/v1/docs"


def test_the_docs_page_loads_nothing_from_another_host(client):
    response = client.get(DOCS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert "http://" not in html


def test_the_docs_page_scripts_and_styles_are_served_by_guardops(client):
    html = client.get(DOCS).content.decode()
    assets = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', html)

    # Swagger UI needs its stylesheet, its bundle and ninja's initialiser.
    assert len(assets) >= 3, html
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content if response.streaming else [response.content])
