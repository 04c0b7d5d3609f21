from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    region_code = serializers.CharField(allow_null=True)
    region_name = serializers.CharField(allow_null=True)


class MeView(APIView):
    """The authenticated account: role and region decide what every other endpoint returns."""

    @extend_schema(responses=MeSerializer, summary="当前账号")
    def get(self, request):
        user = request.user
        return Response(MeSerializer({
            "username": user.username, "name": str(user), "role": user.role,
            "role_label": user.get_role_display(), "region_code": user.region_id,
            "region_name": user.region.full_name if user.region else None,
        }).data)
