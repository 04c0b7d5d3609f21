"""The applicants' figures and 待办 items on the home dashboard (registered in ApplicantsConfig.ready())."""

from datetime import date

from django.urls import reverse

from apps.applicants.selectors import duplicate_list, person_list
from apps.core.registry import HEADLINE, SearchSource, Tile, WorkItem, WorklistSource


def people_registered(user) -> dict:
    return {"value": person_list(user=user).count()}


def duplicate_reviews(user, today: date):
    """The oldest open possible duplicates: a caseworker merges them or marks them as two people."""
    return duplicate_list(user=user).order_by("id")


def duplicate_item(candidate) -> WorkItem:
    return WorkItem(what=f"{candidate.person.name}（{candidate.person.masked_id_number}）疑似重复登记",
                    why=f"与已登记的{candidate.other.name if candidate.other else '另一人员'}姓名、出生日期和电话相同，"
                        "请核对后合并或确认为两人",
                    url=reverse("applicants:duplicates"), since=candidate.created_at)


TILES = (
    Tile(key="applicants.registered", label="登记人员", icon="people", url_name="applicants:list",
         value=people_registered, order=10, group=HEADLINE),
)
WORKLIST_SOURCES = (
    WorklistSource(key="applicants.duplicates", module="applicants", label="疑似重复人员待核查",
                   queryset=duplicate_reviews, item=duplicate_item, order=80),
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
