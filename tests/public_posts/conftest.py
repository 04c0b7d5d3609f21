from datetime import date

import pytest

from apps.applicants.models import StatusTag
from apps.public_posts import services
from apps.public_posts.models import PublicPost
from tests.factories import EmployerFactory, PersonFactory, StatusTagFactory


def difficult_person(region_id="220102", since=date(2025, 6, 1), until=None, **kwargs):
    person = PersonFactory(region_id=region_id, **kwargs)
    StatusTagFactory(person=person, tag=StatusTag.Tag.EMPLOYMENT_DIFFICULTY, since=since, until=until)
    return person


def make_post(user, places=2, region_id="220102", **kwargs):
    employer = EmployerFactory(region_id=region_id)
    values = {"name": "村级快递收发员", "post_type": PublicPost.PostType.RURAL_LOGISTICS, "employer": employer,
              "region_id": region_id, "places": places, "start_date": date(2026, 1, 1), **kwargs}
    return services.post_save(post=PublicPost(**values), user=user)


@pytest.fixture
def post(caseworker):
    return make_post(caseworker)


@pytest.fixture
def start_run(django_capture_on_commit_callbacks):
    """run_start with its on-commit enqueue run (the eager task computes the run)."""

    def start(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(**kwargs)
        run.refresh_from_db()
        return run

    return start
