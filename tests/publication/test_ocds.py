"""OCDS of the joint procurement: the release package and record validate against the OCDS 1.1.5
schema with 0 errors, parties carry organisation numbers (NO-BRC), nothing secret or unpublished
is in the public version, and the open-data feed pages by keyset with a bounded query count."""

from __future__ import annotations

import json

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT4

from tests.publication.conftest import ASKER, ASKER_QUESTION, BAERUM, OPEN_QUESTION, PUBLISHED_ANSWER, STANDARDS

SCHEMA = STANDARDS / "ocds-1.1.5" / "schema"


def _validator(name: str):
    registry = Registry()
    for file in ("release-schema.json", "release-package-schema.json", "record-package-schema.json"):
        schema = json.loads((SCHEMA / file).read_text(encoding="utf-8"))
        resource = DRAFT4.create_resource(schema)
        registry = registry.with_resources([(schema.get("id", file), resource), (file, resource)])
    schema = json.loads((SCHEMA / name).read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, registry=registry,
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def package_validator():
    return _validator("release-package-schema.json")


@pytest.fixture(scope="module")
def record_validator():
    return _validator("record-package-schema.json")


def errors_of(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_public_package_validates_and_holds_only_published_things(published_world, package_validator):
    w = published_world
    r = w.client.get(f"/api/v1/procurements/{w.pid}/ocds")  # anyone: no token
    assert r.status_code == 200, r.get_data(as_text=True)
    package = r.get_json()
    assert errors_of(package_validator, package) == []
    [planning] = package["releases"]
    assert planning["ocid"] == f"ocds-test01-{w.pid}" and planning["tag"] == ["planning"]
    schemes = {(p["identifier"]["scheme"], p["identifier"]["id"]) for p in planning["parties"]}
    assert schemes == {("NO-BRC", BAERUM), ("NO-BRC", ASKER)}
    text = json.dumps(package, ensure_ascii=False)
    assert PUBLISHED_ANSWER in text
    for hidden in (w.secret, ASKER_QUESTION, OPEN_QUESTION, "Trygg Teknologi", "Omsorgsdata", "hemmelig-lenke"):
        assert hidden not in text, hidden


def test_group_package_and_record_validate(published_world, package_validator, record_validator):
    w = published_world
    package = w.api("get", f"/api/v1/procurements/{w.pid}/ocds", w.asker_member_token).get_json()
    assert errors_of(package_validator, package) == []
    record = w.api("get", f"/api/v1/procurements/{w.pid}/ocds/record", w.officer_token).get_json()
    assert errors_of(record_validator, record) == []
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["tag"] == ["compiled"] and compiled["buyer"]["id"] == f"NO-BRC-{BAERUM}"
    assert w.secret not in json.dumps(record, ensure_ascii=False)


def test_unpublished_procurement_has_no_public_ocds(joint):
    assert joint.client.get(f"/api/v1/procurements/{joint.pid}/ocds").status_code == 404
    assert joint.api("get", f"/api/v1/procurements/{joint.pid}/ocds", joint.outsider_token).status_code == 404
    assert joint.api("get", f"/api/v1/procurements/{joint.pid}/ocds", joint.officer_token).status_code == 200


def test_feed_pages_published_releases_by_keyset(published_world, package_validator, count_queries):
    w = published_world
    runner = w.app.test_cli_runner()
    result = runner.invoke(args=["publication", "publish-releases"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["publication", "publish-releases"])
    assert "new releases 0" in again.output  # same content, same release: stored once
    # Publishing an answer stores a new planning release by itself (the artefact_published hook).
    r = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.b, json={"text": "Når starter piloten?"})
    w.api("post", f"/api/v1/questions/{r.json['id']}/answer", w.officer_token, json={"text": "I 2027."})
    seen, cursor = [], None
    while True:
        with count_queries() as counted:
            page = w.client.get("/api/v1/ocds/releases?limit=1" + (f"&cursor={cursor}" if cursor else "")).get_json()
        assert counted.count <= 4 and len(page["releases"]) <= 1
        seen += page["releases"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) >= 2 and len({r["id"] for r in seen}) == len(seen)
    assert [r["date"] for r in seen] == sorted(r["date"] for r in seen)
    assert "I 2027." in json.dumps(seen[-1], ensure_ascii=False)  # the newest release has the new answer
    for release in seen:
        wrapped = {"uri": "https://x.test", "version": "1.1", "publishedDate": release["date"],
                   "publisher": {"name": "t"}, "releases": [release]}
        assert errors_of(package_validator, wrapped) == []
    late = w.client.get("/api/v1/ocds/releases?since=2999-01-01T00:00:00%2B00:00").get_json()
    assert late["releases"] == []
    assert w.client.get("/api/v1/ocds/releases?cursor=nonsense").status_code == 422
