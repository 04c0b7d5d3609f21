"""Childcare's tile on the home dashboard (registered in ChildcareConfig.ready(), read by the portal)."""

from django.urls import reverse

from apps.childcare.models import Institution
from apps.childcare.selectors import institution_list
from apps.core.registry import SearchSource, Tile


def institutions_operating(user) -> dict:
    count = institution_list(user=user).filter(status=Institution.Status.OPERATING).count()
    return {"value": count, "hint": "含普惠与非普惠"}


TILES = (
    Tile(key="childcare.operating", label="在营托育机构", icon="balloon-heart", url_name="childcare:dashboard",
         value=institutions_operating, order=30),
)


def institution_search(user, query: str):
    return institution_list(user=user, filters={"q": query}).select_related("region").order_by("name", "pk")


def institution_row(institution) -> dict[str, str]:
    return {"title": institution.name, "detail": f"{institution.uscc} · {institution.region.name}",
            "url": reverse("childcare:institution-detail", args=[institution.pk])}


SEARCH_SOURCES = (
    SearchSource(key="childcare.institution", label="托育机构", search=institution_search, row=institution_row,
                 list_url_name="childcare:institution-list", order=30),
)
