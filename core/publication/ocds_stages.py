"""OCDS releases of the later stages: tender (the announced competition), award (the decision
once the standstill has ended), contract (each buyer's signed contract) and implementation (each
signed contract's milestones: option deadlines, follow-up meetings held, and the benefit results
of the buyers that consented to sharing them).

Built from `core.publication.stages`, which holds only public facts: no tender content, prices
or business secrets ever reach a release. The buyers' parties come from the planning release
(`context["parties"]`); suppliers are identified by organisation number (NO-BRC). Benefit results
come from `core.benefits.results.shared_for_procurement` (consenting buyers only; never a waived
baseline, a deviation or a meeting's minutes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from core.benefits.results import Result, shared_for_procurement
from core.publication.stages import SignedContract, Stages, criteria_text, follow_up_dates, stages_of


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


def _award_ids(stages: Stages, context: dict[str, Any]) -> dict[tuple[str, str | None], str]:
    return {(w.org_number, w.lot_id): f"{context['ocid']}-award-{i}" for i, w in enumerate(stages.winners, start=1)}


def _contract_ids(c: SignedContract, context: dict[str, Any], award_of: dict) -> dict[str, str]:
    """The contract's id and its award's id: the same in the contract and implementation releases,
    so the compiled record merges them into one contract."""
    return {"id": f"{context['ocid']}-contract-{c.buyer_org_number or c.buyer}-{c.lot_id or 'all'}",
            "awardID": award_of.get((c.supplier_org_number, c.lot_id), f"{context['ocid']}-award-1")}


def contract_release(stages: Stages, context: dict[str, Any]) -> dict[str, Any]:
    award_of = _award_ids(stages, context)
    contracts = []
    for c in stages.contracts:
        contract: dict[str, Any] = {
            **_contract_ids(c, context, award_of),
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


def _number(value: float | None, unit: str) -> str:
    """"12,5 min": Norwegian decimal comma, no trailing ",0"."""
    if value is None:
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} {unit}".strip()


def _option_milestones(c: SignedContract, today: date) -> list[dict[str, Any]]:
    """The deadline to exercise each option: options are terms of the public contract, described in
    the procurement documents, not the supplier's business secrets (the reminder days stay out)."""
    milestones = []
    for index, option in enumerate(c.options, start=1):
        try:
            due = date.fromisoformat(str(option.get("exercise_by") or ""))
        except ValueError:
            continue
        milestone = {"id": f"option-{index}", "type": "approval", "title": "Frist for å utløse opsjon",
                     "description": str(option.get("description") or "")[:1000] or None, "dueDate": _day(due)}
        if due >= today:
            milestone["status"] = "scheduled"
        milestones.append({k: v for k, v in milestone.items() if v is not None})
    return milestones


def _meeting_milestones(days: list[date]) -> list[dict[str, Any]]:
    """That a follow-up meeting was held, and when (never its title or minutes)."""
    return [{"id": f"follow-up-{index}", "type": "assessment", "title": "Oppfølgingsmøte med leverandøren",
             "dateMet": _day(day), "status": "met"} for index, day in enumerate(days, start=1)]


def _benefit_milestone(result: Result) -> dict[str, Any]:
    """A consenting buyer's result for one KPI: the target as the milestone (met when the latest
    value reaches it, in the KPI's direction), baseline, target and latest value in words."""
    latest = result.measurements[-1] if result.measurements else None
    words = [f"Utgangsverdi {_number(result.baseline, result.unit)}"]
    if result.target is not None:
        words.append(f"mål {_number(result.target, result.unit)}")
    if latest is not None:
        words.append(f"siste måling {_number(latest[1], result.unit)} ({latest[0]:%m.%Y})")
    status = {True: "met", False: "notMet", None: "scheduled"}[result.on_target]
    milestone = {"id": f"benefit-{result.kpi_key}", "type": "reporting", "code": result.kpi_key,
                 "title": f"Gevinst: {result.kpi_name}", "description": "; ".join(words) + ".",
                 "dueDate": _day(result.target_date), "status": status,
                 "dateModified": _day(latest[0]) if latest else None}
    return {k: v for k, v in milestone.items() if v is not None}


def implementation_release(stages: Stages, context: dict[str, Any], procurement) -> dict[str, Any] | None:
    """One contract entry per signed contract with something to report; a buyer's benefit results
    go with its first contract (benefits are followed up per buyer, not per lot)."""
    meetings = follow_up_dates([c.contract_id for c in stages.contracts if c.contract_id])
    results: dict[Any, list[Result]] = {}
    for result in shared_for_procurement(procurement):
        results.setdefault(result.tenant_id, []).append(result)
    award_of = _award_ids(stages, context)
    today = datetime.now(UTC).date()
    contracts, seen, moments = [], set(), [c.signed_on for c in stages.contracts]
    for c in stages.contracts:
        milestones = _option_milestones(c, today) + _meeting_milestones(meetings.get(c.contract_id, []))
        moments += meetings.get(c.contract_id, [])
        if c.tenant_id not in seen:
            seen.add(c.tenant_id)
            for result in results.get(c.tenant_id, []):
                milestones.append(_benefit_milestone(result))
                moments += [period for period, _value in result.measurements]
        if milestones:
            contracts.append({**_contract_ids(c, context, award_of), "implementation": {"milestones": milestones}})
    if not contracts:
        return None
    return {"ocid": context["ocid"], "date": _day(max(moments)), "tag": ["implementation"],
            "initiationType": "tender", "language": "no", "parties": context["parties"], "contracts": contracts}


def releases(procurement, context: dict[str, Any]) -> list[dict[str, Any]]:
    stages = stages_of(procurement.id)
    if not stages.announced:
        return []
    result = [tender_release(stages, context, procurement)]
    if stages.award_public and stages.winners:
        result.append(award_release(stages, context))
        if stages.contracts:
            result.append(contract_release(stages, context))
            implementation = implementation_release(stages, context, procurement)
            if implementation is not None:
                result.append(implementation)
    return result
