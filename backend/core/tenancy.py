"""Tenancy: the one way to narrow a query to a company, a client or a set of sites.

Each tenant-owned model names the lookup path from itself to its Company in
`TENANT_PATH`; a model that belongs to one of the company's clients names its path to
the Client in `CLIENT_PATH` and to the Site in `SITE_PATH`. The query set filters on
them, so a selector cannot scope a query by hand and get the join wrong.

A path is a string, or a tuple of strings when the row hangs from one of several
subjects (a flag is on a shift or on a report): the row matches through any of them.
A model without a path is not scoped that way: asking is a programming error
(`ScopePathMissing`), never a silent "everything".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, Self

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.http import HttpRequest

    from backend.accounts.models import Company


class ScopePathMissing(TypeError):
    """A model was asked to be scoped by a client or sites it does not belong to."""


class RowScope(Protocol):
    """Which rows a viewer may read: a company (None: every company), then optionally
    one client of it and a set of its sites (None: no narrowing on that level)."""

    @property
    def company_id(self) -> int | None: ...

    @property
    def client_id(self) -> int | None: ...

    @property
    def site_ids(self) -> frozenset[int] | None: ...


def _paths(model: type[models.Model], attribute: str, asked_for: str) -> tuple[str, ...]:
    path: str | tuple[str, ...] | None = getattr(model, attribute, None)
    if not path:
        raise ScopePathMissing(
            f"{model.__name__} has no {attribute}: its rows do not belong to a {asked_for}, "
            f"so they cannot be scoped by one (scope it by company, or give it a {attribute})."
        )
    return (path,) if isinstance(path, str) else tuple(path)


def _any_path(paths: tuple[str, ...], lookup: str, value: Any) -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}{lookup}": value})
    return condition


class TenantQuerySet(models.QuerySet[Any]):
    """Query set whose `for_company`, `for_client`, `for_sites` and `for_scope` are the
    ways to read a tenant's rows."""

    def for_company(self, company: Company | int) -> Self:
        path: str = self.model.TENANT_PATH
        return self.filter(**{path: company})

    def for_client(self, client: models.Model | int) -> Self:
        """Rows of one client (its sites and what happened on them); raises
        ScopePathMissing on a model that belongs to no client (a phone's token, settings)."""
        paths = _paths(self.model, "CLIENT_PATH", "client")
        client_id = client.pk if isinstance(client, models.Model) else client
        return self.filter(_any_path(paths, "", client_id))

    def for_sites(self, site_ids: Iterable[int]) -> Self:
        """Rows of these sites (none for an empty set); raises ScopePathMissing on a
        model that is not on a site."""
        paths = _paths(self.model, "SITE_PATH", "site")
        return self.filter(_any_path(paths, "__in", list(site_ids)))

    def for_scope(self, scope: RowScope) -> Self:
        """Rows a viewer may read: their company, narrowed to their client and sites."""
        rows = self if scope.company_id is None else self.for_company(scope.company_id)
        if scope.client_id is not None:
            rows = rows.for_client(scope.client_id)
        if scope.site_ids is not None:
            rows = rows.for_sites(scope.site_ids)
        return rows


def acting_company_id(request: HttpRequest) -> int | None:
    """None for GuardOps staff (no scoping); the user's company id otherwise (-1: none)."""
    user: Any = request.user
    if user.is_superuser:
        return None
    return int(user.company_id) if user.company_id is not None else -1


def scope_to_company(queryset: models.QuerySet[Any], company_id: int) -> models.QuerySet[Any]:
    """`queryset` narrowed to the company, for any model (the admin scopes every table).

    A model without TENANT_PATH is not tenant data (a Django group, a content type) and
    comes back whole; Company itself is narrowed to the one company.
    """
    model: Any = queryset.model
    if hasattr(model, "TENANT_PATH"):
        return queryset.filter(**{model.TENANT_PATH: company_id})
    if model.__name__ == "Company":
        return queryset.filter(pk=company_id)
    return queryset
