"""The console's navigation: each area registers its entry when its views module is imported.

    from console import navigation
    navigation.register(label="Reviews", url_name="console:reports", order=20)

The header shows the registered entries, ordered; a page that does not exist yet has no
entry, so no link in the console ever leads to a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_items: dict[str, NavItem] = {}


def register(*, label: str, url_name: str, order: int) -> None:
    """Adds (or replaces, on a re-import) the entry for `url_name`."""
    _items[url_name] = NavItem(label=label, url_name=url_name, order=order)


def nav_items() -> list[NavItem]:
    return sorted(_items.values(), key=lambda item: (item.order, item.label))
