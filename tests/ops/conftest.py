"""Fixtures of the operability tests: moto's S3 server (a real HTTP process) and the procurement
tests' `world` (tenants, people, API clients)."""

from __future__ import annotations

import uuid

import boto3
import pytest

from tests.ops.s3 import MotoServer
from tests.procurement.conftest import world  # noqa: F401  (the fixture, shared)


@pytest.fixture(scope="session")
def moto_server():
    server = MotoServer()
    yield server
    server.stop()


@pytest.fixture
def bucket(moto_server):
    """A fresh bucket on the moto server: (name, boto3 client, settings)."""
    name = f"samspill-{uuid.uuid4().hex[:12]}"
    settings = moto_server.settings(name)
    client = boto3.client("s3", endpoint_url=moto_server.url, region_name="eu-north-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    return name, client, settings
