"""The award forms' fields as the services' request bodies, and the services' error keys back
as the forms' field names (so each message shows next to its field). No rules here."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict


def _score(raw: str) -> Any:
    raw = raw.strip()
    if raw == "":
        return None
    return int(raw) if raw.isdigit() else raw


def scores_body(form: MultiDict, criteria: list, note_key: str, *, complete: bool,
                prefix: str = "") -> tuple[dict, list[str]]:
    """`score-<criterion>` and `<note_key>-<criterion>` fields as `{"scores": [...]}`; a draft
    leaves out criteria with neither. Returns the body and the criterion ids in its order."""
    items, order = [], []
    for criterion in criteria:
        key = str(criterion.id)
        score, note = form.get(f"{prefix}score-{key}", ""), form.get(f"{note_key}-{key}", "")
        if not complete and not score.strip() and not note.strip():
            continue
        items.append({"criterion_id": key, "score": _score(score), note_key: note})
        order.append(key)
    return {"scores": items}, order


def score_fields(errors: dict, order: list[str], note_key: str, prefix: str = "") -> dict:
    """`scores.<i>.score` -> `score-<criterion>`, `scores.<i>.<note>` -> `<note>-<criterion>`,
    `scores.<criterion>` (missing) -> `score-<criterion>`."""
    result = {}
    for name, messages in errors.items():
        parts = name.split(".")
        if parts[0] == "scores" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(order):
            field = f"{prefix}score" if parts[2] in ("score", "criterion_id") else note_key
            result[f"{field}-{order[int(parts[1])]}"] = messages
        elif parts[0] == "scores" and len(parts) == 2:
            result[f"{prefix}score-{parts[1]}"] = messages
        else:
            result[name] = messages
    return result


def winners_body(form: MultiDict, results: list) -> dict:
    """`tender-<i>` and `reason-<i>` per lot result as `{"winners": [...]}`."""
    return {"winners": [{"lot_id": str(r.lot_id) if r.lot_id else None, "tender_id": form.get(f"tender-{i}", ""),
                         "reason": form.get(f"reason-{i}", "")} for i, r in enumerate(results)]}


def winner_fields(errors: dict) -> dict:
    """`winners.<i>` and `winners.<i>.tender_id` -> `tender-<i>`; `winners.<i>.reason` -> `reason-<i>`."""
    result = {}
    for name, messages in errors.items():
        parts = name.split(".")
        if parts[0] == "winners" and len(parts) >= 2:
            field = "reason" if parts[-1] == "reason" else "tender"
            result[f"{field}-{parts[1]}"] = messages
        else:
            result[name] = messages
    return result


def qualification_body(form: MultiDict) -> dict:
    """`qualified` (`yes`/`no`) and `qualification_reason` as the qualification's body (an
    unanswered choice goes as None, which the service refuses next to the field)."""
    return {"qualified": {"yes": True, "no": False}.get(form.get("qualified", "")),
            "reason": form.get("qualification_reason", "")}


def qualification_fields(errors: dict) -> dict:
    """`reason` -> `qualification_reason` (the rejection form on the same page has a `reason`)."""
    return {("qualification_reason" if name == "reason" else name): messages for name, messages in errors.items()}
