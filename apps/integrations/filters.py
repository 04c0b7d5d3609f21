import django_filters

from apps.integrations.kinds import kind_choices
from apps.integrations.models import Destination, OutboundMessage


class OutboundMessageFilter(django_filters.FilterSet):
    """Shared by the API and the operators' page."""

    status = django_filters.ChoiceFilter(choices=OutboundMessage.Status.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=kind_choices, label="推送内容")
    destination = django_filters.ChoiceFilter(choices=Destination.choices, label="推送目标")
    source_id = django_filters.NumberFilter(field_name="source_id", label="来源记录")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", max_length=12,
                                       label="区划代码")

    class Meta:
        model = OutboundMessage
        fields = ["status", "kind", "destination", "source_id", "region"]
