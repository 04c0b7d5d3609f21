"""Childcare's tile on the home dashboard (registered in ChildcareConfig.ready(), read by the portal)."""

from apps.childcare.models import Institution
from apps.childcare.selectors import institution_list
from apps.core.registry import Tile


def institutions_operating(user) -> dict:
    count = institution_list(user=user).filter(status=Institution.Status.OPERATING).count()
    return {"value": count, "hint": "含普惠与非普惠"}


TILES = (
    Tile(key="childcare.operating", label="在营托育机构", icon="balloon-heart", url_name="childcare:dashboard",
         value=institutions_operating, order=30),
)
