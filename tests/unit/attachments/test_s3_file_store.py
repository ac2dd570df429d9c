"""The production file store on S3 (moto): presigned forms and links, ranged reads, S3 down → 503."""

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from portal.adapters.files import S3FileStore
from portal.domain.errors import BackendUnavailable, NotFound

BUCKET = "portal-test-attachments"
KEY = "uploads/acme/abcdefghijklmnop/rapport été.pdf"


@pytest.fixture
def s3_files(fake_aws):
    with mock_aws():
        boto3.client("s3", region_name="eu-west-3").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        yield S3FileStore(lambda: boto3.client("s3", region_name="eu-west-3"), BUCKET)


def test_the_client_is_made_at_the_first_use_only():
    made = []
    S3FileStore(lambda: made.append(1), BUCKET)
    assert made == []


def test_a_presigned_post_fixes_the_key_and_the_size_range(s3_files):
    import base64
    import json

    form = s3_files.upload_form(KEY, 25 * 1024 * 1024)
    assert form.fields["key"] == KEY
    policy = json.loads(base64.b64decode(form.fields["policy"]))
    assert ["content-length-range", 1, 25 * 1024 * 1024] in policy["conditions"]
    assert {"key": KEY} in policy["conditions"]
    assert BUCKET in form.url


def test_a_stored_file_can_be_sized_read_from_its_start_and_deleted(s3_files):
    s3_files.put(KEY, b"%PDF-1.7 content")
    assert s3_files.head(KEY) == 16
    assert s3_files.read_start(KEY, 5) == b"%PDF-"
    assert s3_files.open(KEY).read() == b"%PDF-1.7 content"
    assert s3_files.keys_under("uploads/acme/abcdefghijklmnop/") == [KEY]
    s3_files.delete(KEY)
    assert s3_files.head(KEY) is None
    with pytest.raises(NotFound):
        s3_files.read_start(KEY, 5)


def test_the_start_of_an_empty_object_is_empty(s3_files):
    s3_files.put(KEY, b"")
    assert s3_files.read_start(KEY, 5) == b""


def test_a_download_link_saves_the_file_under_its_name(s3_files):
    from urllib.parse import parse_qs, urlparse

    s3_files.put(KEY, b"%PDF")
    url = s3_files.download_url(KEY, "rapport été.pdf", expires=300)
    query = parse_qs(urlparse(url).query)
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith('attachment; filename="rapport _t_.pdf"; ')
    assert "filename*=UTF-8''rapport%20%C3%A9t%C3%A9.pdf" in disposition
    assert query["X-Amz-Expires"] == ["300"]


def test_s3_down_is_a_backend_unavailable(fake_aws):
    down = S3FileStore(lambda: boto3.client(
        "s3", region_name="eu-west-3", endpoint_url="http://127.0.0.1:9",
        config=Config(connect_timeout=0.5, read_timeout=0.5, retries={"max_attempts": 0})), BUCKET)
    for call in (lambda: down.head(KEY), lambda: down.put(KEY, b"x"), lambda: down.read_start(KEY, 4),
                 lambda: down.keys_under("uploads/")):
        with pytest.raises(BackendUnavailable):
            call()


def test_a_missing_bucket_is_a_backend_unavailable(s3_files):
    missing = S3FileStore(lambda: boto3.client("s3", region_name="eu-west-3"), "no-such-bucket-here")
    with pytest.raises(BackendUnavailable):
        missing.keys_under("uploads/")
