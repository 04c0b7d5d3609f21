"""The API shape of a record's publication (apps.publicity.selectors.publication_summary), shared by every
source's `GET …/publicity/`."""

from rest_framework import serializers


class PublicityListSerializer(serializers.Serializer):
    published = serializers.BooleanField()
    public_url = serializers.CharField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    working_days = serializers.IntegerField(allow_null=True)
    progress = serializers.DictField(allow_null=True)
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())
