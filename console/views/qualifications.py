"""Post requirements in the console: the company's qualification catalogue and what each post requires.

- /console/qualifications: the catalogue. Managers add, edit (label, description) and
  retire; a qualification is retired, never deleted (records point at it). Supervisors read it.
- /console/posts and /console/posts/<id>: the posts of the viewer's sites and their
  required qualifications. A manager, or the site's supervisor, adds and removes them
  (recorded who and when); the requirements list is an htmx fragment of the post page.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from backend.core.errors import ApplicationError
from backend.staffing.models import Post
from backend.staffing.selectors import (
    post_get_visible,
    post_requirement_changes,
    posts_visible,
    qualification_get_visible,
    qualifications_visible,
)
from backend.staffing.services import (
    post_requirement_add,
    post_requirement_remove,
    qualification_add,
    qualification_edit,
    qualification_retire,
)
from console import navigation
from console.access import ConsoleRequest, console_view, error_page
from console.forms import QualificationAddForm, QualificationForm, RequirementForm, refusal_on_form
from console.views.guards import manages

navigation.register(label="Posts", url_name="console:posts", order=55)
navigation.register(label="Qualifications", url_name="console:qualifications", order=58)


def _catalogue_page(
    request: ConsoleRequest, form: QualificationAddForm | None = None, status: int = 200, refusal: str = ""
) -> HttpResponse:
    rows = qualifications_visible(scope=request.scope).annotate(
        required_at=Count("requirements", distinct=True),
        held_by=Count("holders__guard", filter=Q(holders__superseded_by__isnull=True), distinct=True),
    )
    context = {
        "qualifications": rows,
        "manages": manages(request),
        "form": form or QualificationAddForm(),
        "refusal": refusal,
    }
    return render(request, "console/qualifications/catalogue.html", context, status=status)


@console_view
def catalogue(request: ConsoleRequest) -> HttpResponse:
    return _catalogue_page(request)


@console_view
@require_POST
def catalogue_add(request: ConsoleRequest) -> HttpResponse:
    form = QualificationAddForm(request.POST)
    if not form.is_valid():
        return _catalogue_page(request, form, 422)
    company = request.user.company
    if company is None:  # GuardOps staff work in the admin, which knows which company
        return error_page(request, ApplicationError("Add qualifications from the admin.", code="no_company"))
    try:
        added = qualification_add(by=request.user, company=company, **form.cleaned_data)
    except ApplicationError as error:
        return _catalogue_page(request, form, refusal_on_form(form, error))
    messages.success(request, f"{added.name} added to the catalogue.")
    return redirect(reverse("console:qualifications"))


@console_view
@require_http_methods(["GET", "POST"])
def qualification_edit_view(request: ConsoleRequest, qualification_id: int) -> HttpResponse:
    """GET: the qualification with its edit form (managers); POST: save the label and description."""
    qualification = qualification_get_visible(scope=request.scope, qualification_id=qualification_id)
    initial = {"name": qualification.name, "description": qualification.description}
    form = QualificationForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            qualification_edit(by=request.user, qualification=qualification, **form.cleaned_data)
        except ApplicationError as error:
            status = refusal_on_form(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect(reverse("console:qualifications"))
    elif form.is_bound:
        status = 422
    context = {"qualification": qualification, "form": form, "manages": manages(request)}
    return render(request, "console/qualifications/edit.html", context, status=status)


@console_view
@require_POST
def qualification_retire_view(request: ConsoleRequest, qualification_id: int) -> HttpResponse:
    qualification = qualification_get_visible(scope=request.scope, qualification_id=qualification_id)
    try:
        qualification_retire(by=request.user, qualification=qualification)
    except ApplicationError as error:
        if error.status in (403, 404):
            raise
        return _catalogue_page(request, status=error.status, refusal=error.message)
    messages.success(request, f"{qualification.name} retired: kept on the records, no longer offered.")
    return redirect(reverse("console:qualifications"))


# --- Posts and their requirements ---------------------------------------------------------


@console_view
def posts(request: ConsoleRequest) -> HttpResponse:
    return render(request, "console/qualifications/posts.html", {"posts": posts_visible(scope=request.scope)})


def _post_page(
    request: ConsoleRequest, post: Post, form: RequirementForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "post": post,
        "requirements": list(post.requirements.all()),
        "changes": list(post_requirement_changes(post=post)[:50]),
        "form": form or RequirementForm(scope=request.scope),
    }
    template = "console/qualifications/post.html#requirements" if request.htmx else "console/qualifications/post.html"
    return render(request, template, context, status=status)


@console_view
def post_detail(request: ConsoleRequest, post_id: int) -> HttpResponse:
    return _post_page(request, post_get_visible(scope=request.scope, post_id=post_id))


@console_view
@require_POST
def post_requirement_add_view(request: ConsoleRequest, post_id: int) -> HttpResponse:
    post = post_get_visible(scope=request.scope, post_id=post_id)
    form = RequirementForm(request.POST, scope=request.scope)
    if not form.is_valid():
        return _post_page(request, post, form, 422)
    try:
        post_requirement_add(by=request.user, post=post, qualification=form.cleaned_data["qualification"])
    except ApplicationError as error:
        return _post_page(request, post, form, refusal_on_form(form, error))
    return _after_change(request, post)


@console_view
@require_POST
def post_requirement_remove_view(request: ConsoleRequest, post_id: int, qualification_id: int) -> HttpResponse:
    post = post_get_visible(scope=request.scope, post_id=post_id)
    qualification = qualification_get_visible(scope=request.scope, qualification_id=qualification_id)
    post_requirement_remove(by=request.user, post=post, qualification=qualification)
    return _after_change(request, post)


def _after_change(request: ConsoleRequest, post: Post) -> HttpResponse:
    # htmx swaps the fresh list in place; without it, back to the post page (POST, redirect, GET).
    if request.htmx:
        return _post_page(request, post_get_visible(scope=request.scope, post_id=post.pk))
    return redirect(reverse("console:post", args=[post.pk]))
