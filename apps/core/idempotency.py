"""One-time form tokens: a create form posted twice (a double click, a resend) creates once.

The page renders a hidden `form_token` (a fresh uuid per form shown, `new_token`). `submit_once` claims the
token by inserting it under a UNIQUE index in the same transaction as the write: a concurrent second post
waits on that index until the first commits, then finds the token taken and gets the first post's result
page (`AlreadySubmitted`). A write that fails rolls the claim back, so the corrected form can be posted
with the same token. A post without a token (an old page, a script) is an ordinary post.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction

from apps.core.exceptions import ConflictError
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
