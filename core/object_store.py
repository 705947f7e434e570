"""Files in an S3-compatible object store (boto3), chosen when `SAMSPILL_S3_BUCKET` is set.

Settings: `SAMSPILL_S3_BUCKET`, `SAMSPILL_S3_ENDPOINT_URL` (MinIO, Ceph, a Norwegian cloud's
store; empty for AWS), `SAMSPILL_S3_REGION`, `SAMSPILL_S3_ACCESS_KEY_ID` and
`SAMSPILL_S3_SECRET_ACCESS_KEY` (else boto3's own chain: environment, instance role), and
`SAMSPILL_S3_SSE` (`AES256` or `aws:kms`: server-side encryption asked for on every write where
the store offers it; `SAMSPILL_S3_SSE_KMS_KEY_ID` for a customer key).

Keys are `core.files`' keys as they are (`procurements/<id>/<random>`), so the bucket is laid out
per procurement (or tenant) and a lifecycle or export rule can take one procurement's files.
Writes stream from the checked temporary file in multipart chunks; reads stream the object's
body to the client; neither holds a whole file in memory.
"""

from __future__ import annotations

from typing import Any, BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

CHUNK = 8 * 1024 * 1024
TRANSFER = TransferConfig(multipart_threshold=CHUNK, multipart_chunksize=CHUNK, max_concurrency=2,
                          use_threads=True)


def settings_from(config: dict[str, Any]) -> dict[str, Any] | None:
    """The object store's settings, or None when no bucket is configured."""
    bucket = config.get("SAMSPILL_S3_BUCKET")
    if not bucket:
        return None
    return {key: config.get(f"SAMSPILL_S3_{key.upper()}") for key in
            ("bucket", "endpoint_url", "region", "access_key_id", "secret_access_key", "sse", "sse_kms_key_id")}


class S3FileStore:
    """save / open / delete / check against one bucket."""

    remote = True

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 access_key_id: str | None = None, secret_access_key: str | None = None,
                 sse: str | None = None, sse_kms_key_id: str | None = None):
        self.bucket = bucket
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            aws_access_key_id=access_key_id or None, aws_secret_access_key=secret_access_key or None,
            config=Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=60,
                          s3={"addressing_style": "path"} if endpoint_url else None))
        self.extra: dict[str, str] = {}
        if sse:
            self.extra["ServerSideEncryption"] = sse
            if sse == "aws:kms" and sse_kms_key_id:
                self.extra["SSEKMSKeyId"] = sse_kms_key_id

    def save(self, key: str, stream: BinaryIO, content_type: str = "application/octet-stream") -> None:
        self.client.upload_fileobj(stream, self.bucket, key, Config=TRANSFER,
                                   ExtraArgs={"ContentType": content_type, **self.extra})

    def open(self, key: str) -> BinaryIO:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)
