"""What childcare shows on the home dashboard (registered in ChildcareConfig.ready, read by the portal)."""

from apps.childcare.models import Institution
from apps.childcare.selectors import institution_list


def operating_institutions(user) -> dict:
    count = institution_list(user=user).filter(status=Institution.Status.OPERATING).count()
    return {"value": count, "hint": "含普惠与非普惠"}
