"""Reading the competition's HTML forms: the qualification questions (one per line, per kind),
the settings' values for re-display, and a tender from the supplier's form."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

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


def tender_from_form(form: MultiDict, competition: Competition, content: dict[str, Any]) -> dict[str, Any]:
    """The tender input from the supplier's form (same shape as the API's)."""
    qualification = []
    for q in competition.qualification:
        raw = form.get(f"q-{q['key']}")
        answer = True if raw == "yes" else False if raw == "no" else None
        qualification.append({"key": q["key"], "answer": answer, "text": form.get(f"qtext-{q['key']}", "")})
    price = integer(form.get("price_kroner"))
    prices = [] if price is None else [{"lot_id": None, "price_ore": price * 100 if price >= 0 else -1}]
    secrets = []
    if form.get("secret_part") or form.get("secret_reason"):
        secrets.append({"part": form.get("secret_part", ""), "reason": form.get("secret_reason", "")})
    return {"qualification": qualification, "responses": content.get("responses", []), "prices": prices,
            "business_secrets": secrets, "files": form.getlist("keep_file")}
