"""The API shape of a record's publication (apps.publicity.selectors.publication_summary), shared by every
source's `GET …/publicity/`."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.STR)
class PublicCell(serializers.Field):
    """One public value: an amount as "1200.00" (a string with two decimals, like every amount of the API — never a
    float), anything else as the source gave it."""

    def to_representation(self, value):
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class PublicityListSerializer(serializers.Serializer):
    published = serializers.BooleanField()
    public_url = serializers.CharField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    working_days = serializers.IntegerField(allow_null=True)
    progress = serializers.DictField(allow_null=True)
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=PublicCell()))
