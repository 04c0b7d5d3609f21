"""One-time form tokens: a create form posted twice (a double click, a resend) creates once.

The page renders a hidden `form_token` (a fresh uuid per form shown, `new_token`). `submit_once` claims the
token by inserting it under a UNIQUE index in the same transaction as the write: a concurrent second post
waits on that index until the first commits, then finds the token taken and gets the first post's result
page (`AlreadySubmitted`). A write that fails rolls the claim back, so the corrected form can be posted
with the same token. A post without a token (an old page, a script) is an ordinary post.

Every create form of the UI uses it, one of three ways:
- a FormView that creates: `OnceFormMixin` (puts `form_token` in the context for
  `templates/includes/form_token.html`) and `once_redirect(request, action, fallback_url=…)` in `form_valid`;
- a form among several on one page (a detail page): `{% new_form_token %}` (apps.core.templatetags.portal)
  inside the form, and `once_redirect` in the view it posts to;
- the child-welfare case forms (`CaseFormView.once`), which call `submit_once` directly.
The API's counterpart is the `Idempotency-Key` header (apps.core.api.idempotency).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.forms import report_error
from apps.core.models import FormSubmission

FIELD = "form_token"
REPEAT_MESSAGE = "该表单已提交过，未重复保存，以下是第一次提交的结果"


class AlreadySubmitted(Exception):  # noqa: N818 — a signal to the view, not a failure
    def __init__(self, result_url: str):
        super().__init__(result_url)
        self.result_url = result_url


def new_token() -> str:
    return str(uuid.uuid4())


def posted_token(data) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(data.get(FIELD, "")))
    except ValueError:
        return None


def submit_once(*, user, token: uuid.UUID | None, action: Callable[[], str]) -> str:
    """Run `action` (the write; returns the result page's url) once per token. Raises AlreadySubmitted with
    the first result's url on a repeat; whatever `action` raises rolls the claim back with the write."""
    if token is None:
        return action()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, user=user)
        except IntegrityError:
            first = FormSubmission.objects.filter(token=token, user=user).first()
            if first is None:
                raise ConflictError("form_token_taken", "表单令牌无效，请刷新页面后重新填写") from None
            raise AlreadySubmitted(first.result_url) from None
        url = action()
        FormSubmission.objects.filter(pk=claim.pk).update(result_url=url[:300])
        return url


def page_token(request) -> str:
    """The token a form page carries: the posted one when a refused form is shown again, else a fresh one."""
    posted = posted_token(request.POST) if request.method == "POST" else None
    return str(posted) if posted else new_token()


def once_redirect(request, action: Callable[[], str], *, fallback_url: str) -> HttpResponseRedirect:
    """A view's create, once per posted token: run `action` (the write; returns its result page's url) and
    redirect there. A repeat post redirects to the first post's result page (or `fallback_url`) with
    REPEAT_MESSAGE. An ApplicationError from `action` propagates, its claim rolled back, for the view to
    show on the form."""
    try:
        url = submit_once(user=request.user, token=posted_token(request.POST), action=action)
    except AlreadySubmitted as repeat:
        messages.info(request, REPEAT_MESSAGE)
        return redirect(repeat.result_url or fallback_url)
    return redirect(url)


def repeat_redirect(request, *, fallback_url: str) -> HttpResponseRedirect | None:
    """Before a form is validated: a post whose token this user already used is a repeat — its first result
    page, not the form again with "already exists" (a unique field now finds the first post's record). Only a
    shortcut for the page: the claim in `submit_once` is what makes two concurrent posts create once."""
    token = posted_token(request.POST)
    if token is None or not getattr(request.user, "is_authenticated", False):
        return None
    first = FormSubmission.objects.filter(token=token, user=request.user).values_list("result_url", flat=True).first()
    if first is None:
        return None
    messages.info(request, REPEAT_MESSAGE)
    return redirect(first or fallback_url)


class OnceFormMixin:
    """A FormView whose page creates a record: the page carries a one-time token (`form_token` in the context,
    rendered by templates/includes/form_token.html); a repeat post is answered before the form is validated
    (`repeat_redirect`), and the view's `form_valid` writes through `once_redirect`.
    A view that also edits (one class for new/ and <pk>/edit/) says when it creates in `creates()`."""

    request: Any

    def creates(self) -> bool:
        return True

    def repeat_fallback_url(self) -> str:
        return self.request.path

    def post(self, request, *args, **kwargs):
        if self.creates():
            repeat = repeat_redirect(request, fallback_url=self.repeat_fallback_url())
            if repeat is not None:
                return repeat
        return super().post(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        if self.creates():
            context["form_token"] = page_token(self.request)
        return context


class ServiceCreateMixin(OnceFormMixin):
    """A FormView that creates one record through a service, once per page: the subclass writes in
    `create(form)` (returns the new record's page url; raise ApplicationError to refuse) and names the list it
    falls back to in `fallback_url_name`. A refusal shows on the form, field by field (report_error); a repeat
    post goes to the first post's page. Each programme's 新建 page (fraud cases, loans, eldercare, gig, posts)."""

    fallback_url_name: str

    def create(self, form) -> str:
        raise NotImplementedError

    def _create_atomically(self, form) -> str:
        with transaction.atomic():  # a refusal part-way (e.g. after a new person was saved) leaves nothing behind
            return self.create(form)

    def form_valid(self, form):
        try:
            return once_redirect(self.request, lambda: self._create_atomically(form),
                                 fallback_url=reverse(self.fallback_url_name))
        except ApplicationError as error:
            report_error(self.request, error, form)
            return self.form_invalid(form)  # type: ignore[attr-defined]
