"""Who may act on a company's records as a reviewer, checked the same way for every transition."""

from collections.abc import Callable
from typing import Any

import pytest

from backend.core.errors import NotFound, PermissionDenied


def assert_only_the_companys_reviewers_may(
    act: Callable[[Any], object], *, tenant: Any, other_tenant: Any, not_found: type[NotFound]
) -> NotFound:
    """`act(by)` as another company's manager is a not-found (nothing disclosed); as the
    company's guard or client contact it is refused `not_a_reviewer`. Returns the not-found."""
    with pytest.raises(not_found) as foreign:
        act(other_tenant.manager)
    for outsider in (tenant.guard, tenant.client_contact):
        with pytest.raises(PermissionDenied) as refused:
            act(outsider)
        assert refused.value.code == "not_a_reviewer"
    return foreign.value
