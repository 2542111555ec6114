"""A client's concern raised in the portal, answered from its call page (/console/calls/<id>).

The call page shows the concern's thread (console/templates/console/calls/_concern.html);
the answer is posted here, joins the thread the contact reads in the portal and is
e-mailed to them. Closing the call (the SOP's close) closes the concern.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from backend.calls.concerns import concern_answer
from backend.calls.selectors import call_get_visible
from backend.core.errors import ApplicationError
from console.access import ConsoleRequest, console_view
from console.views.calls import _call_page, _form_error


class AnswerForm(forms.Form):
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label="Answer to the client")


@console_view
@require_POST
def concern_answer_view(request: ConsoleRequest, call_id: int) -> HttpResponse:
    call = call_get_visible(scope=request.scope, call_id=call_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _call_page(request, call, bound=("answer", form), status=422)
    try:
        concern_answer(call=call, by=request.user, text=form.cleaned_data["text"])
    except ApplicationError as error:
        return _call_page(request, call, bound=("answer", form), status=_form_error(form, error))
    messages.success(request, "Answer sent: the client sees it in the portal and by e-mail.")
    return redirect(f"{reverse('console:call', kwargs={'call_id': call.pk})}#concern")
