import django_filters

from apps.notifications.events import event_choices
from apps.notifications.models import Channel, Message


class MessageFilter(django_filters.FilterSet):
    """Shared by the API and the supervisors' page."""

    status = django_filters.ChoiceFilter(choices=Message.Status.choices, label="状态")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="渠道")
    event = django_filters.ChoiceFilter(choices=event_choices, label="事件")
    source = django_filters.CharFilter(field_name="source", max_length=40, label="业务来源")
    source_id = django_filters.NumberFilter(field_name="source_id", label="来源记录")
    region = django_filters.CharFilter(field_name="region_id", lookup_expr="startswith", max_length=12,
                                       label="区划代码")

    class Meta:
        model = Message
        fields = ["status", "channel", "event", "source", "source_id", "region"]
