"""A save the owning service refuses comes back as the change form with the field error and what was typed
(apps.core.scoped_admin.ServiceRefusalAdminMixin), for every back-office page that saves through a service."""

import pytest
from django.contrib.auth.models import Permission

from apps.core.demo import make_uscc
from apps.public_posts.models import PublicPost


def _post_with_its_places_taken(user, client):
    from datetime import date

    from apps.public_posts import services
    from tests.public_posts.conftest import difficult_person, make_post

    post = make_post(user, places=2)
    for _ in range(2):
        services.placement_create(post=post, person=difficult_person(), start_date=date(2026, 2, 1),
                                  agreed_end_date=date(2026, 12, 31), user=user)
    data = {"name": "改名后的快递收发员", "employer": post.employer_id, "employer_name": post.employer_name,
            "post_type": post.post_type, "region": post.region_id, "places": 1, "start_date": "2026-01-01",
            "end_date": "", "status": post.status}
    return f"/admin/public_posts/publicpost/{post.pk}/change/", data, PublicPost.objects.filter(name=data["name"])


def _childcare_institution_of_another_region(user, client):
    from apps.childcare.models import Institution as ChildcareInstitution

    url = "/admin/childcare/institution/add/"
    inline = client.get(url).context["inline_admin_formsets"][0].formset
    data = {"name": "南关区外的托育园", "uscc": make_uscc("220204", 9), "category": "public_self_financed", "region": "220204",
            "status": "operating", "places_infant": 0, "places_toddler": 0, "places_preschool": 0,
            f"{inline.prefix}-TOTAL_FORMS": 0, f"{inline.prefix}-INITIAL_FORMS": 0}
    return url, data, ChildcareInstitution.objects.filter(name=data["name"])


@pytest.fixture
def back_office(supervisor):
    # the city's supervisor: the childcare institution admin offers every region, and refuses one outside 长春市
    supervisor.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=("public_posts",
                                                                                           "childcare")))
    return supervisor


# the setup (→ url, the form's data, the rows a save would write), the field carrying the message, part of it
CASES = [
    pytest.param(_post_with_its_places_taken, "places", "不能少于在岗人数 2", id="public-post-places-taken"),
    pytest.param(_childcare_institution_of_another_region, "region", "不在您的经办区划", id="childcare-region"),
]


@pytest.mark.parametrize("setup, field, message", CASES)
def test_a_refused_save_is_the_form_again_with_the_error_and_the_input(client_for, back_office, setup, field,
                                                                         message):
    client = client_for(back_office)
    url, data, written = setup(back_office, client)
    response = client.post(url, data)
    assert response.status_code == 200  # not the error page, not a redirect to an empty form
    form = response.context["adminform"].form
    assert any(message in e for e in form.errors.get(field or "__all__", [])), form.errors
    assert form.data["name"] == data["name"]  # what was typed is still there
    assert not written.exists()  # the refused save was rolled back


def test_a_refusal_while_only_showing_the_form_is_the_error_page(client_for, back_office, monkeypatch):
    from apps.core.exceptions import ApplicationError
    from apps.public_posts.admin import PublicPostAdmin

    def refuse(self, request, obj=None, change=False, **kwargs):
        raise ApplicationError("refused", "不能打开")

    monkeypatch.setattr(PublicPostAdmin, "get_fieldsets", refuse)
    response = client_for(back_office).get("/admin/public_posts/publicpost/add/")
    assert response.status_code == 400 and "不能打开".encode() in response.content
