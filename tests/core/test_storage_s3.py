"""Files go through Django's storage API: a folder by default, an S3-compatible store when S3_BUCKET is set
(config.settings.base.default_storage_settings). The S3 case runs against moto's in-process S3: an attachment
stored through the portal's own service lands in the bucket as a private object and downloads unchanged."""

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from moto import mock_aws

from apps.core.attachments import attachment_response, attachment_store
from config.settings.base import default_storage_settings

FOLDER = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, FOLDER),
    ({"S3_BUCKET": ""}, FOLDER),
    ({"S3_BUCKET": "portal-files"}, {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "portal-files", "default_acl": "private", "file_overwrite": False, "querystring_auth": True,
        "location": ""}}),
    ({"S3_BUCKET": "portal-files", "S3_ENDPOINT_URL": "http://minio.internal:9000", "S3_REGION": "cn-north-1",
      "S3_PREFIX": "jilin"}, {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "portal-files", "default_acl": "private", "file_overwrite": False, "querystring_auth": True,
        "location": "jilin", "endpoint_url": "http://minio.internal:9000", "region_name": "cn-north-1"}}),
])
def test_the_default_storage_follows_the_environment(environ, expected):
    assert default_storage_settings(environ) == expected


@pytest.fixture
def s3(monkeypatch, settings):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="portal-files")
        storages = {**settings.STORAGES, "default": default_storage_settings({"S3_BUCKET": "portal-files"})}
        with override_settings(STORAGES=storages):
            yield client


@pytest.mark.django_db
def test_an_attachment_is_a_private_object_in_the_bucket(s3, caseworker):
    data = b"%PDF-1.4\n% scanned letter\n" + b"0" * 2048
    upload = SimpleUploadedFile("异议书.pdf", data, content_type="application/pdf")
    attachment = attachment_store(user=caseworker, owner=caseworker, region_code="220102", upload=upload)
    body = s3.get_object(Bucket="portal-files", Key=attachment.stored_name)["Body"].read()
    assert body == data and attachment.stored_name.startswith("attachments/")
    grants = s3.get_object_acl(Bucket="portal-files", Key=attachment.stored_name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only: not public-read
    response = attachment_response(attachment=attachment, user=caseworker)
    assert b"".join(response.streaming_content) == data
