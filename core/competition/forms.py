"""Reading the competition's HTML forms: the qualification questions (one per line, per kind),
the settings' values for re-display, and a tender from the supplier's form."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from core.competition.documents import TenderDocuments
from core.competition.models import Competition
from core.dialogue.forms import integer, local_input


def qualification_from_form(form: MultiDict, competition: Competition | None) -> list[dict[str, str]]:
    """Questions from the two textareas; a question whose text is unchanged keeps its key."""
    keys = {(q["kind"], q["text"]): q["key"] for q in (competition.qualification if competition else [])}
    result = []
    for kind in ("exclusion", "qualification"):
        for line in (form.get(kind) or "").splitlines():
            text = line.strip()
            if text:
                item = {"kind": kind, "text": text}
                if (kind, text) in keys:
                    item["key"] = keys[(kind, text)]
                result.append(item)
    return result


def settings_values(competition: Competition | None) -> dict[str, str]:
    if competition is None:
        return {}
    return {"tender_deadline": local_input(competition.tender_deadline),
            "question_deadline": local_input(competition.question_deadline),
            "opening_at": local_input(competition.opening_at),
            "exclusion": "\n".join(q["text"] for q in competition.qualification if q["kind"] == "exclusion"),
            "qualification": "\n".join(q["text"] for q in competition.qualification if q["kind"] == "qualification")}


def _price(form: MultiDict, name: str, lot_id: str | None) -> list[dict[str, Any]]:
    kroner = integer(form.get(name))
    return [] if kroner is None else [{"lot_id": lot_id, "price_ore": kroner * 100 if kroner >= 0 else -1}]


def tender_from_form(form: MultiDict, competition: Competition, documents: TenderDocuments) -> dict[str, Any]:
    """The tender input from the supplier's form (same shape as the API's)."""
    qualification = []
    for q in competition.qualification:
        raw = form.get(f"q-{q['key']}")
        answer = True if raw == "yes" else False if raw == "no" else None
        qualification.append({"key": q["key"], "answer": answer, "text": form.get(f"qtext-{q['key']}", "")})
    responses = [{"requirement_id": str(r.id), "confirmed": form.get(f"r-confirm-{r.id}") == "on",
                  "description": form.get(f"r-desc-{r.id}", "")} for r in documents.requirements]
    if documents.lots:
        prices = [p for lot in documents.lots for p in _price(form, f"price-{lot.id}", str(lot.id))]
    else:
        prices = _price(form, "price_kroner", None)
    secrets = []
    if form.get("secret_part") or form.get("secret_reason"):
        secrets.append({"part": form.get("secret_part", ""), "reason": form.get("secret_reason", "")})
    return {"qualification": qualification, "responses": responses, "prices": prices,
            "business_secrets": secrets, "files": form.getlist("keep_file")}


def tender_field_errors(errors: dict, competition: Competition, documents: TenderDocuments) -> dict:
    """The service's error keys (the API's field paths) as the names of the form's fields, so each
    message stands next to its field; the status stays."""
    keys = [q["key"] for q in competition.qualification]
    price_field = f"price-{documents.lots[0].id}" if documents.lots else "price_kroner"
    shown = type(errors)()
    shown.status = getattr(errors, "status", 422)
    for name, messages in errors.items():
        parts = name.split(".")
        if parts[0] == "prices":
            name = price_field
        elif parts[0] == "business_secrets":
            name = "secret_reason"
        elif parts[0] == "qualification" and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) < len(keys):
            name = f"qtext-{keys[int(parts[1])]}"
        shown.setdefault(name, []).extend(messages)
    return shown
