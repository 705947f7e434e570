"""Two `samspill serve` hosts behind nginx on loopback, sharing PostgreSQL, Redis and an S3 store
(moto's server), with one `samspill worker`: sign-in, CSRF, rate limits, plugin state and uploads
work whichever host answers; a job queued by host A is done once by the worker; killing host A
under load loses no acknowledged write. PostgreSQL only: SQLite is one host's file."""

from __future__ import annotations

import io
import os
import threading
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from sqlalchemy import select

from core import isolation
from core.db import db
from tests.conftest import PASSWORD, csrf_token
from tests.ops import processes
from tests.scaleout.nginx import Nginx, nginx_binary
from tests.waiting import wait_until

REDIS_URL = os.environ.get("SAMSPILL_TEST_REDIS_URL")
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

pytestmark = [
    pytest.mark.skipif(not os.environ.get("SAMSPILL_TEST_DATABASE_URL"),
                       reason="two app hosts share one database server: PostgreSQL only (SQLite is one host's file)"),
    pytest.mark.skipif(not REDIS_URL, reason="SAMSPILL_TEST_REDIS_URL not set (hosts share Redis)"),
    pytest.mark.skipif(nginx_binary() is None, reason="nginx not installed (apt-get install nginx)"),
]


class Cluster:
    def __init__(self, a, b, worker, proxy, app_env):
        self.a, self.b, self.worker, self.proxy, self.env = a, b, worker, proxy, app_env


@pytest.fixture
def cluster(app, world, migrated, moto_server, tmp_path):
    _owner_url, app_url = migrated
    bucket = f"samspill-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=moto_server.url, region_name="eu-north-1",
                      aws_access_key_id="test", aws_secret_access_key="test")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    shared = dict(SAMSPILL_DATABASE_URL=app_url, SAMSPILL_SECRET_KEY="shared-secret-of-both-hosts",
                  SAMSPILL_REDIS_URL=REDIS_URL, SAMSPILL_JOB_NAMESPACE=f"samspill-test-{uuid.uuid4().hex[:10]}",
                  SAMSPILL_PROXY_COUNT="1", SAMSPILL_LOG_FORMAT="json", **moto_server.settings(bucket))
    started: list = []
    try:
        a = processes.serve(processes.environment(tmp_path / "host-a", **shared), tmp_path / "a.log", workers=1)
        started.append(a)
        b = processes.serve(processes.environment(tmp_path / "host-b", **shared), tmp_path / "b.log", workers=1)
        started.append(b)
        worker = processes.start(["worker", "--no-scheduler", "--threads", "2"],
                                 processes.environment(tmp_path / "worker", **shared), tmp_path / "worker.log")
        worker.extra["instance"] = tmp_path / "worker"
        started.append(worker)
        proxy = Nginx(tmp_path / "nginx", [a.base_url, b.base_url])
        started.append(proxy)
        yield Cluster(a, b, worker, proxy, shared)
    finally:
        for process in reversed(started):
            process.stop()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _outbox(app):
    from core.notifications.models import OutboxMessage

    with app.app_context(), isolation.system_scope():
        return [(m.status.value, m.attempts) for m in db.session.execute(select(OutboxMessage)).scalars()]




def test_whichever_host_answers(cluster, app, world, make):
    a, b = cluster.a.base_url, cluster.b.base_url

    # Sign-in and CSRF: the form from A, posted to B; the session then works on A.
    person = make.user("kari@baerum.test", tenant=world.baerum, role="officer")
    browser = requests.Session()
    token = csrf_token(browser.get(a + "/signin", timeout=10).text)
    signed_in = browser.post(b + "/signin", data={"csrf_token": token, "email": person.email,
                                                  "password": PASSWORD}, allow_redirects=False, timeout=10)
    assert signed_in.status_code == 302, signed_in.text[:500]
    home = browser.get(a + "/", allow_redirects=False, timeout=10)
    assert home.status_code == 302 and "/t/baerum" in home.headers["Location"]
    forged = browser.post(a + "/lang", data={"lang": "en", "csrf_token": "forged"}, allow_redirects=False, timeout=10)
    assert forged.status_code == 400
    token = csrf_token(browser.get(b + home.headers["Location"], timeout=10).text)  # signed in: a new session
    assert browser.post(a + "/lang", data={"lang": "en", "csrf_token": token}, allow_redirects=False,
                        timeout=10).status_code == 302

    # Rate limits are counted in Redis: five failures spread over both hosts, the sixth refused.
    stranger = requests.Session()
    token = csrf_token(stranger.get(b + "/signin", timeout=10).text)
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.test"
    statuses = [stranger.post((a, b)[n % 2] + "/signin", data={"csrf_token": token, "email": email,
                                                              "password": "wrong"}, timeout=10).status_code
                for n in range(6)]
    assert statuses == [401] * 5 + [429]

    # Plugin state: switched on through A, seen on through B.
    admin = make.user("admin@baerum.test", tenant=world.baerum, role="admin")
    admin_token = make.token(admin)
    switched = requests.patch(a + "/api/v1/tenants/baerum/plugins/welfare_tech", json={"enabled": True},
                              headers=_bearer(admin_token), timeout=10)
    assert switched.status_code == 200, switched.text
    seen = requests.get(b + "/api/v1/tenants/baerum/plugins/welfare_tech", headers=_bearer(admin_token), timeout=10)
    assert seen.json()["enabled"] is True

    # An upload through A is downloaded through B (the object store, not A's instance folder).
    uploaded = requests.post(f"{a}/api/v1/procurements/{world.pid}/attachments", headers=_bearer(world.officer_token),
                             files={"file": ("behov.pdf", io.BytesIO(PDF), "application/pdf")}, timeout=10)
    assert uploaded.status_code == 201, uploaded.text
    download = requests.get(f"{b}/api/v1/procurements/{world.pid}/attachments/{uploaded.json()['id']}",
                            headers=_bearer(world.officer_token), timeout=10)
    assert download.status_code == 200 and download.content == PDF

    # A job queued by A (mail to the project group) is done once by the worker, with A's request id.
    request_id = f"two-hosts-{uuid.uuid4().hex[:8]}"
    opened = requests.post(f"{a}/api/v1/procurements/{world.pid}/dialogue/open",
                           headers=_bearer(world.officer_token), timeout=10)
    assert opened.status_code == 200, opened.text
    registered = requests.post(f"{a}/api/v1/procurements/{world.pid}/registrations",
                               headers={**_bearer(world.a), "X-Request-Id": request_id}, timeout=10)
    assert registered.status_code == 201, registered.text
    assert _outbox(app), "the registration queued mail"
    wait_until(lambda: all(status == "sent" for status, _n in _outbox(app)), what="the worker to deliver the mail")
    time.sleep(1.5)
    assert {attempts for _s, attempts in _outbox(app)} == {1}  # each message sent once
    mail = list((Path(cluster.worker.extra["instance"]) / "mail").glob("*.eml"))
    assert len(mail) == len(_outbox(app))
    assert request_id in cluster.worker.log()


def test_killing_a_host_under_load_loses_no_acknowledged_write(cluster, app, world):
    url = f"{cluster.proxy.url}/api/v1/tenants/baerum/procurements"
    acknowledged: list[tuple[float, str]] = []
    failed: list[int] = []
    stop = threading.Event()
    lock = threading.Lock()

    def write(thread: int) -> None:
        session = requests.Session()
        n = 0
        while not stop.is_set():
            n += 1
            try:
                response = session.post(url, json={"title": f"Last {thread}-{n}"},
                                        headers=_bearer(world.officer_token), timeout=15)
            except requests.RequestException:
                with lock:
                    failed.append(0)
                continue
            with lock:
                if response.status_code == 201:
                    acknowledged.append((time.monotonic(), response.json()["id"]))
                else:
                    failed.append(response.status_code)

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    killed_at = time.monotonic()
    cluster.a.kill()  # SIGKILL to A's master and worker, mid-request
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    before = [pid for at, pid in acknowledged if at < killed_at]
    after = [pid for at, pid in acknowledged if at >= killed_at]
    assert before and after, (len(before), len(after), failed)
    assert all(status in (0, 502, 503, 504) for status in failed), failed  # lost in flight, never acknowledged
    from core.procurement.models import Procurement

    ids = [uuid.UUID(pid) for _at, pid in acknowledged]
    with app.app_context(), isolation.system_scope():
        stored = set(db.session.execute(select(Procurement.id).where(Procurement.id.in_(ids))).scalars())
    assert stored == set(ids)
