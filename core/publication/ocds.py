"""OCDS 1.1 releases, release packages and compiled records of a procurement.

Planning comes from here (needs and the market dialogue); tender, award, contract and
implementation releases come from the domains that own them through `samspill_ocds_releases`.
The public version (`published_only`) holds only what `core.publication.published` shows; the
project group's also holds its needs. Parties carry Norwegian organisation numbers (`NO-BRC`).
Published releases are stored (`PublishedRelease`) for the open-data feed; a release's id
includes a hash of its content, so storing again is a no-op and a change is a new release.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import force_locale
from sqlalchemy import select

from core import isolation
from core.db import db, utcnow
from core.pagination import Page, keyset_page
from core.plugin_platform.host import current_host
from core.procurement.models import ContractKind, Need, Procurement
from core.publication import settings
from core.publication.models import PublishedRelease
from core.publication.published import Published, published

PUBLISHER = {"name": "Samspill", "uri": "https://github.com/samspill"}
LICENSE = "https://data.norge.no/nlod/no/2.0"
POLICY = "https://samspill.invalid/apenhet"
CATEGORY = {ContractKind.works: "works", ContractKind.goods_services: "services",
            ContractKind.social_services: "services"}


def ocid(procurement: Procurement) -> str:
    return f"{settings.ocid_prefix()}-{procurement.id}"


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def party_id(org_number: str) -> str:
    return f"NO-BRC-{org_number}"


def parties(view: Published) -> list[dict[str, Any]]:
    result = []
    for buyer in view.buyers:
        roles = ["buyer", "procuringEntity"] if buyer.lead else ["buyer"]
        party: dict[str, Any] = {"id": party_id(buyer.org_number) if buyer.org_number else buyer.name,
                                 "name": buyer.name, "roles": roles}
        if buyer.org_number:
            party["identifier"] = {"scheme": "NO-BRC", "id": buyer.org_number, "legalName": buyer.name}
        party["address"] = {"countryName": "Norge"}
        result.append(party)
    return result


def _stamp(release: dict[str, Any]) -> dict[str, Any]:
    """The release id: stage + content hash (same content, same id)."""
    body = {k: v for k, v in release.items() if k not in ("id", "date")}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:12]
    release["id"] = f"{release['ocid']}-{release['tag'][0]}-{digest}"
    return release


def planning_release(view: Published, *, needs: list[Need] | None = None) -> dict[str, Any]:
    procurement = view.procurement
    the_parties = parties(view)
    lead = next((p for p in the_parties if "procuringEntity" in p["roles"]), the_parties[0] if the_parties else None)
    planning: dict[str, Any] = {"rationale": procurement.description or procurement.title}
    if procurement.estimated_value_ore is not None:
        planning["budget"] = {"amount": {"amount": procurement.estimated_value_ore / 100, "currency": "NOK"}}
    milestones = []
    if view.conference is not None:
        milestones.append({"id": "dialogue-conference", "title": view.conference.title or "Dialogkonferanse",
                           "type": "engagement", "dueDate": iso(view.conference.starts_at),
                           "status": "met" if view.conference.starts_at <= utcnow() else "scheduled"})
    if milestones:
        planning["milestones"] = milestones
    documents = [{"id": "invitation", "documentType": "marketStudies", "title": "Invitasjon til markedsdialog",
                  "description": view.invitation[:5000], "language": "no",
                  "url": url_for("publication_pages.procurement", procurement_id=procurement.id, _external=True)}]
    if view.conference is not None and view.conference.minutes_published_at:
        documents.append({"id": "conference-minutes", "documentType": "marketStudies", "title": "Referat",
                          "description": view.conference.minutes[:5000],
                          "datePublished": iso(view.conference.minutes_published_at)})
    for index, answer in enumerate(view.answers, start=1):
        documents.append({"id": f"clarification-{index}", "documentType": "clarifications",
                          "title": "; ".join(answer.questions)[:300] or "Svar",
                          "description": answer.text[:5000], "datePublished": iso(answer.published_at),
                          **({"dateModified": iso(answer.corrected_at)} if answer.corrected_at else {})})
    for notice in view.notices:
        documents.append({"id": f"notice-{notice.id}", "documentType": "plannedProcurementNotice",
                          "title": "Forhåndskunngjøring", "format": "application/xml",
                          "datePublished": iso(notice.doffin_sent_at)})
    planning["documents"] = documents
    if needs:
        planning["rationale"] += "\n\n" + "\n".join(f"- {n.statement}" for n in needs)
    items = [{"id": str(i), "classification": {"scheme": "CPV", "id": str(code).split("-")[0]}}
             for i, code in enumerate(procurement.cpv_codes or [], start=1)]
    tender: dict[str, Any] = {"id": f"{ocid(procurement)}-tender", "title": procurement.title,
                              "description": procurement.description, "status": "planning",
                              "mainProcurementCategory": CATEGORY.get(procurement.contract_kind, "services")}
    if items:
        tender["items"] = items
    if lead:
        tender["procuringEntity"] = {"id": lead["id"], "name": lead["name"]}
    moments = [procurement.dialogue_opened_at or procurement.created_at]
    moments += [a.corrected_at or a.published_at for a in view.answers]
    moments += [n.doffin_sent_at for n in view.notices if n.doffin_sent_at]
    if view.conference is not None and view.conference.minutes_published_at:
        moments.append(view.conference.minutes_published_at)
    release = {
        "ocid": ocid(procurement), "id": "", "date": iso(max(moments)),  # when its newest content was published
        "tag": ["planning"], "initiationType": "tender", "language": "no", "parties": the_parties,
        "planning": planning, "tender": tender,
    }
    if lead:
        release["buyer"] = {"id": lead["id"], "name": lead["name"]}
    return _stamp(release)


def releases(procurement_id: uuid.UUID, *, published_only: bool, view: Published | None = None) -> list[dict]:
    """The releases in Bokmål, whatever the request's language: the same content is the same
    release (the invitation's filled-in dates and names are worded in the page language)."""
    if view is None:
        with force_locale("nb"):
            view = published(procurement_id)
    needs = None
    if not published_only:
        needs = list(db.session.execute(select(Need).where(Need.procurement_id == procurement_id)
                                        .order_by(Need.position).limit(200)).scalars())
    result = [planning_release(view, needs=needs)]
    context = {"ocid": ocid(view.procurement), "parties": result[0]["parties"], "published_only": published_only}
    for answer in current_host().call("samspill_ocds_releases", procurement=view.procurement, context=context):
        for release in answer or []:
            release.setdefault("ocid", context["ocid"])
            result.append(_stamp(release) if not release.get("id") else release)
    return result


def package(release_list: list[dict], uri: str) -> dict[str, Any]:
    dates = [r["date"] for r in release_list if r.get("date")]
    return {"uri": uri, "version": "1.1", "publishedDate": max(dates) if dates else iso(utcnow()),
            "publisher": PUBLISHER, "license": LICENSE, "publicationPolicy": POLICY, "releases": release_list}


def record(release_list: list[dict], uri: str) -> dict[str, Any]:
    """A record package: every release linked, and a compiled release (later stages win)."""
    compiled: dict[str, Any] = {}
    for release in sorted(release_list, key=lambda r: r.get("date") or ""):
        _merge(compiled, release)
    if release_list:
        compiled["id"] = f"{release_list[0]['ocid']}-compiled"
        compiled["tag"] = ["compiled"]
    ocid_value = release_list[0]["ocid"] if release_list else ""
    return {"uri": uri, "version": "1.1", "publishedDate": compiled.get("date") or iso(utcnow()),
            "publisher": PUBLISHER, "license": LICENSE, "publicationPolicy": POLICY,
            "records": [{"ocid": ocid_value,
                         "releases": [{"url": f"{uri}#{r['id']}", "date": r["date"], "tag": r["tag"]}
                                      for r in release_list],
                         "compiledRelease": compiled}]}


def _merge(target: dict, source: dict) -> None:
    """OCDS merge, simplified: objects merge, arrays of objects with ids merge by id, others replace."""
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value) \
                and isinstance(target.get(key), list):
            by_id = {item.get("id"): item for item in target[key] if isinstance(item, dict)}
            for item in value:
                if item["id"] in by_id:
                    _merge(by_id[item["id"]], item)
                else:
                    target[key].append(item)
                    by_id[item["id"]] = item
        else:
            target[key] = json.loads(json.dumps(value))


def publish(procurement_id: uuid.UUID) -> int:
    """Store the procurement's current public releases for the feed; how many were new."""
    with isolation.system_scope():  # the feed table belongs to no tenant; only public content goes in
        procurement = db.session.get(Procurement, procurement_id)
        if procurement is None or not procurement.dialogue_open:
            return 0
        new = 0
        for release in releases(procurement_id, published_only=True):
            exists = db.session.execute(select(PublishedRelease.id).where(
                PublishedRelease.release_id == release["id"])).scalar_one_or_none()
            if exists is None:
                db.session.add(PublishedRelease(procurement_id=procurement_id, release_id=release["id"],
                                                ocid=release["ocid"], data=release, published_at=utcnow()))
                new += 1
        db.session.flush()
    return new


def feed(cursor: str | None, limit: int, since: datetime | None) -> Page:
    stmt = select(PublishedRelease)
    if since is not None:
        stmt = stmt.where(PublishedRelease.published_at >= since)
    with isolation.system_scope():  # the open-data feed: only released, public content is stored
        return keyset_page(stmt, [(PublishedRelease.published_at, False), (PublishedRelease.id, False)],
                           limit=limit, cursor=cursor)
