"""The one 新建 page shape (apps.core.idempotency.ServiceCreateMixin) and the one "which person is this ID number"
lookup (apps.applicants.selectors.person_by_id_number) every programme's form uses."""

import uuid

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.views.generic import FormView

from apps.applicants.models import Person
from apps.applicants.selectors import PERSON_NOT_FOUND, person_by_id_number
from apps.core.exceptions import ApplicationError
from apps.core.idempotency import ServiceCreateMixin
from apps.core.models import FormSubmission
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("where, found", [("visible", True), ("other region", False), ("nobody", False)])
def test_person_by_id_number_refuses_alike_whoever_holds_the_number(caseworker, where, found):
    person = PersonFactory(region_id="220102" if where == "visible" else "220204")
    number = person.id_number if where != "nobody" else person.id_number[:-4] + "0000"
    if where == "nobody":
        person.delete()
    if found:
        assert person_by_id_number(user=caseworker, id_number=number.lower()) == person  # a typed lower-case x
        return
    with pytest.raises(ApplicationError) as refused:
        person_by_id_number(user=caseworker, id_number=number, field="holder")
    # The same code, sentence and field whether nobody has the number or someone out of reach does: no probing.
    assert (refused.value.code, refused.value.message, refused.value.fields) == (
        "person_not_found", PERSON_NOT_FOUND, {"holder": [PERSON_NOT_FOUND]})


class NameForm(forms.Form):
    name = forms.CharField()


class SaveThenRefuse(ServiceCreateMixin, FormView):
    """Saves a person, then the service refuses: nothing may stay behind."""

    form_class = NameForm
    template_name = "base.html"
    fallback_url_name = "applicants:list"
    refuse = True

    def create(self, form) -> str:
        person = PersonFactory(name=form.cleaned_data["name"])
        if self.refuse:
            raise ApplicationError("refused", "服务拒绝了这次登记", {"name": ["该姓名不可用"]})
        return f"/applicants/{person.pk}/"


def _post(user, token, refuse):
    request = RequestFactory().post("/x/", {"name": "王五", "form_token": str(token)})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return SaveThenRefuse.as_view(refuse=refuse)(request)


@pytest.mark.parametrize("with_token", [True, False])
def test_a_refusal_part_way_leaves_nothing_and_shows_on_the_field(caseworker, with_token):
    token = uuid.uuid4() if with_token else "none"
    response = _post(caseworker, token, refuse=True)
    assert response.status_code == 200
    form = response.context_data["form"]
    assert form.errors == {"name": ["该姓名不可用"], "__all__": ["服务拒绝了这次登记"]}
    assert not Person.objects.filter(name="王五").exists()  # rolled back with the refusal, token or not
    assert not FormSubmission.objects.exists()  # the token is not used up: the corrected form can be sent again

    response = _post(caseworker, token, refuse=False)
    assert response.status_code == 302 and Person.objects.filter(name="王五").count() == 1
    if with_token:  # the same page sent twice: the first result, not a second person
        again = _post(caseworker, token, refuse=False)
        assert again.status_code == 302 and again.url == response.url
        assert Person.objects.filter(name="王五").count() == 1
