"""The applicants' figures and 待办 items on the home dashboard (registered in ApplicantsConfig.ready())."""

from datetime import date

from django.urls import reverse

from apps.applicants.selectors import duplicate_list, person_list
from apps.core.registry import HEADLINE, SearchSource, Tile, WorklistSource

# Open duplicate reviews listed on the dashboard; the duplicates page lists them all.
DUPLICATES_SHOWN = 5


def people_registered(user) -> dict:
    return {"value": person_list(user=user).count()}


def duplicate_reviews(user, today: date) -> list[dict]:
    """The oldest open possible duplicates: a caseworker merges them or marks them as two people."""
    url = reverse("applicants:duplicates")
    return [{"label": f"{candidate.person.name}（{candidate.person.masked_id_number}）疑似重复登记",
             "url": url, "due": None}
            for candidate in duplicate_list(user=user).order_by("id")[:DUPLICATES_SHOWN]]


def duplicate_review_count(user, today: date) -> int:
    return duplicate_list(user=user).count()


TILES = (
    Tile(key="applicants.registered", label="登记人员", icon="people", url_name="applicants:list",
         value=people_registered, order=10, group=HEADLINE),
)
WORKLIST_SOURCES = (
    WorklistSource(key="applicants.duplicates", label="疑似重复人员待核查", items=duplicate_reviews,
                   count=duplicate_review_count, order=50),
)


def person_search(user, query: str):
    return person_list(user=user, filters={"q": query}).select_related("region").order_by("name", "pk")


def person_row(person) -> dict[str, str]:
    return {"title": person.name, "detail": f"{person.masked_id_number} · {person.region.name}",
            "url": reverse("applicants:detail", args=[person.pk])}


SEARCH_SOURCES = (
    SearchSource(key="applicants.person", label="劳动者与申请人", search=person_search, row=person_row,
                 list_url_name="applicants:list", order=10),
)
