"""The employers' figures on the home dashboard (registered in EmployersConfig.ready())."""

from django.urls import reverse

from apps.core.registry import HEADLINE, Chart, SearchSource, Tile
from apps.employers.selectors import employer_counts_by_region, employer_counts_by_type, employer_list


def employers_registered(user) -> dict:
    return {"value": employer_list(user=user).count()}


def employers_seriously_dishonest(user) -> dict:
    return {"value": employer_list(user=user).filter(serious_dishonesty=True).count()}


def _chart_data(rows: list[tuple[str, int]]) -> dict:
    return {"labels": [label for label, _ in rows], "values": [n for _, n in rows]}


def employers_by_region(user) -> dict:
    return _chart_data(employer_counts_by_region(user=user))


def employers_by_type(user) -> dict:
    return _chart_data(employer_counts_by_type(user=user))


TILES = (
    Tile(key="employers.registered", label="用人单位", icon="building", url_name="employers:list",
         value=employers_registered, order=20, group=HEADLINE),
    Tile(key="employers.serious_dishonesty", label="严重失信单位", icon="exclamation-octagon",
         url_name="employers:list", value=employers_seriously_dishonest, order=30, group=HEADLINE),
)
CHARTS = (
    Chart(key="employers-region", title="用人单位分布（按下级区划）", kind="bar", series_label="单位数", width=7,
          order=10, data=employers_by_region),
    Chart(key="employers-type", title="用人单位类型", kind="doughnut", series_label="单位数", width=5, order=20,
          data=employers_by_type),
)


def employer_search(user, query: str):
    return employer_list(user=user, filters={"q": query}).select_related("region").order_by("name", "pk")


def employer_row(employer) -> dict[str, str]:
    return {"title": employer.name, "detail": f"{employer.uscc} · {employer.region.name}",
            "url": reverse("employers:detail", args=[employer.pk])}


SEARCH_SOURCES = (
    SearchSource(key="employers.employer", label="用人单位", search=employer_search, row=employer_row,
                 list_url_name="employers:list", order=20),
)
