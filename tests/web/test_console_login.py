"""A manager signs in to the console in a real browser, lands on the review queue, and signs out."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_signs_in_sees_the_console_and_signs_out(page, live_server, tenant):
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    # given the console's sign-in page
    page.goto(f"{live_server.url}/console/")
    page.wait_for_url(f"{live_server.url}/console/login?next=/console/")

    # when the manager signs in
    page.get_by_label("Username").fill(tenant.manager.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()

    # then they see their company's console, with htmx running under the strict CSP (no eval)
    page.wait_for_url(f"{live_server.url}/console/reports")
    assert page.get_by_role("heading", name="Reports to review").is_visible()
    assert tenant.company.name in page.locator("header").inner_text()
    assert page.evaluate("window.htmx && window.htmx.config.allowEval") is False
    assert problems == []  # no CSP violation, no script error

    # and signing out brings them back to the sign-in page, signed out
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/console/login")
    assert page.get_by_text("You are signed out.").is_visible()
    page.goto(f"{live_server.url}/console/")
    page.wait_for_url(f"{live_server.url}/console/login?next=/console/")
