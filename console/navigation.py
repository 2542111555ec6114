"""The console's navigation: each area registers its entry when its views module is imported.

    from console import navigation
    navigation.register(label="Reviews", url_name="console:reports", order=20)

The header shows the registered entries, ordered; a page that does not exist yet has no
entry, so no link in the console ever leads to a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import get_resolver, reverse


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
    # Entries are registered by the views modules, which the URL conf imports: load it first
    # (cached after the first time), so the list is whole even before the first request.
    get_resolver().url_patterns  # noqa: B018
    return sorted(_items.values(), key=lambda item: (item.order, item.label))
