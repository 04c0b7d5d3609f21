from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import HasRole
from apps.core.api.errors import error_body
from apps.core.api.idempotency import idempotent
from apps.imports.limits import ImportLimits
from apps.imports.models import ImportBatch
from apps.imports.selectors import API_ERROR_LIMIT, batch_get, batch_issues
from apps.imports.services import import_file


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportBatch.Kind.choices)
    file = serializers.FileField()


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = ["id", "kind", "status", "file_name", "sha256", "started_at", "finished_at", "rows_total",
                  "rows_created", "rows_updated", "rows_unchanged", "error_count", "message"]


def batch_body(batch: ImportBatch, request) -> dict:
    body = ImportBatchSerializer(batch).data
    if batch.error_count:
        issues = batch_issues(batch=batch).values("line", "column", "value", "message")[:API_ERROR_LIMIT]
        body["errors"] = list(issues)
        body["errors_truncated"] = batch.error_count > API_ERROR_LIMIT
        body["errors_url"] = request.build_absolute_uri(f"/imports/{batch.pk}/errors.csv")
    return body


class ImportUploadView(APIView):
    """Upload a CSV or XLSX file (multipart: `kind` = employers | contributions | applicants, `file`).

    201 with the batch when the whole file was written; 400 with `code` = `import_rejected` and **every**
    bad row in `errors` (line, column, value, Chinese message) when nothing was written.
    """

    permission_classes = [HasRole]
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = ImportUploadSerializer

    @idempotent
    def post(self, request):
        ImportLimits.from_settings().check_declared_length(request.META)  # before the body is parsed
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        batch = import_file(kind=serializer.validated_data["kind"], handle=upload.open("rb"), file_name=upload.name,
                            user=request.user, source="api")
        body = batch_body(batch, request)
        if batch.status == ImportBatch.Status.SUCCEEDED:
            return Response(body, status=status.HTTP_201_CREATED)
        return Response({**error_body("import_rejected", batch.message), **body, "status": batch.status},
                        status=status.HTTP_400_BAD_REQUEST)


class ImportBatchView(APIView):
    permission_classes = [HasRole]
    serializer_class = ImportBatchSerializer

    def get(self, request, pk: int):
        return Response(batch_body(batch_get(user=request.user, pk=pk), request))
