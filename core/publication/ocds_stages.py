"""OCDS releases of the later stages: tender (the announced competition), award (the decision
once the standstill has ended) and contract (each buyer's signed contract).

Built from `core.publication.stages`, which holds only public facts: no tender content, prices
or business secrets ever reach a release. The buyers' parties come from the planning release
(`context["parties"]`); suppliers are identified by organisation number (NO-BRC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from core.publication.stages import Stages, criteria_text, stages_of


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _day(value: date | None) -> str | None:
    return _iso(datetime.combine(value, time(), tzinfo=UTC)) if value else None


def _supplier(name: str, org_number: str) -> dict[str, Any]:
    party: dict[str, Any] = {"id": f"NO-BRC-{org_number}" if org_number else name, "name": name,
                             "roles": ["supplier"], "address": {"countryName": "Norge"}}
    if org_number:
        party["identifier"] = {"scheme": "NO-BRC", "id": org_number, "legalName": name}
    return party


def _lot_ref(lot_id: str | None) -> list[str]:
    return [lot_id] if lot_id else []


def tender_release(stages: Stages, context: dict[str, Any], procurement) -> dict[str, Any]:
    competition = stages.competition
    method = procurement.procedure.value if procurement.procedure is not None else None
    tender: dict[str, Any] = {
        "id": f"{context['ocid']}-tender", "title": procurement.title, "description": procurement.description,
        "status": "complete" if stages.decision is not None else "active",
        "procurementMethod": "open" if method == "open" else "selective",
        "tenderPeriod": {k: v for k, v in (("startDate", _iso(competition.announced_at)),
                                            ("endDate", _iso(competition.tender_deadline))) if v},
    }
    if method:
        tender["procurementMethodDetails"] = method
    if competition.question_deadline:
        tender["enquiryPeriod"] = {"endDate": _iso(competition.question_deadline)}
    if stages.criteria:
        tender["awardCriteria"] = "ratedCriteria"
        tender["awardCriteriaDetails"] = criteria_text(stages.criteria)
    if stages.tender_count is not None:
        tender["numberOfTenderers"] = stages.tender_count
    if stages.lots:
        tender["lots"] = [{"id": str(lot.id), "title": lot.title, "description": lot.description or lot.title,
                           "status": tender["status"]} for lot in stages.lots]
    lead = next((p for p in context["parties"] if "procuringEntity" in p["roles"]), None)
    if lead:
        tender["procuringEntity"] = {"id": lead["id"], "name": lead["name"]}
    release = {"ocid": context["ocid"], "date": _iso(competition.opened_at or competition.announced_at),
               "tag": ["tender"], "initiationType": "tender", "language": "no",
               "parties": context["parties"], "tender": tender}
    if lead:
        release["buyer"] = {"id": lead["id"], "name": lead["name"]}
    return release


def award_release(stages: Stages, context: dict[str, Any]) -> dict[str, Any]:
    suppliers = {w.org_number or w.supplier: _supplier(w.supplier, w.org_number) for w in stages.winners}
    awards = []
    for index, winner in enumerate(stages.winners, start=1):
        value = sum(c.value_ore or 0 for c in stages.contracts
                    if c.supplier_org_number == winner.org_number and c.lot_id == winner.lot_id)
        award: dict[str, Any] = {"id": f"{context['ocid']}-award-{index}", "status": "active",
                                 "date": _iso(stages.award_date), "title": winner.lot or None,
                                 "suppliers": [{"id": suppliers[winner.org_number or winner.supplier]["id"],
                                                "name": winner.supplier}],
                                 "relatedLots": _lot_ref(winner.lot_id)}
        if value:
            award["value"] = {"amount": value / 100, "currency": "NOK"}
        awards.append({k: v for k, v in award.items() if v not in (None, [])})
    return {"ocid": context["ocid"], "date": _iso(stages.award_date), "tag": ["award"],
            "initiationType": "tender", "language": "no",
            "parties": context["parties"] + list(suppliers.values()), "awards": awards}


def contract_release(stages: Stages, context: dict[str, Any]) -> dict[str, Any]:
    award_of = {(w.org_number, w.lot_id): f"{context['ocid']}-award-{i}"
                for i, w in enumerate(stages.winners, start=1)}
    contracts = []
    for c in stages.contracts:
        contract: dict[str, Any] = {
            "id": f"{context['ocid']}-contract-{c.buyer_org_number or c.buyer}-{c.lot_id or 'all'}",
            "awardID": award_of.get((c.supplier_org_number, c.lot_id), f"{context['ocid']}-award-1"),
            "title": f"{c.buyer} – {c.supplier}", "status": "active", "dateSigned": _day(c.signed_on)}
        period = {k: v for k, v in (("startDate", _day(c.starts_on)), ("endDate", _day(c.ends_on))) if v}
        if period:
            contract["period"] = period
        if c.value_ore is not None:
            contract["value"] = {"amount": c.value_ore / 100, "currency": "NOK"}
        contracts.append(contract)
    suppliers = {c.supplier_org_number: _supplier(c.supplier, c.supplier_org_number) for c in stages.contracts}
    return {"ocid": context["ocid"], "date": max(c["dateSigned"] for c in contracts), "tag": ["contract"],
            "initiationType": "tender", "language": "no",
            "parties": context["parties"] + list(suppliers.values()), "contracts": contracts}


def releases(procurement, context: dict[str, Any]) -> list[dict[str, Any]]:
    stages = stages_of(procurement.id)
    if not stages.announced:
        return []
    result = [tender_release(stages, context, procurement)]
    if stages.award_public and stages.winners:
        result.append(award_release(stages, context))
        if stages.contracts:
            result.append(contract_release(stages, context))
    return result
