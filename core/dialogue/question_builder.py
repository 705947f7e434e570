"""The questionnaire builder form: one fieldset per question (text, kind, options as separate
inputs, required), with add, remove, move up/down and add option as named submit buttons, so it
works without JavaScript (each button is a round trip that shows the form again, nothing saved).

`read(form)` turns the posted fields into question dicts for `core.dialogue.questionnaires`;
`rearrange(action, items)` applies an editing button; `place_errors(...)` puts the service's
per-question messages next to the right field and names the question in the error summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from core.dialogue.models import QuestionKind
from core.dialogue.questionnaires import MAX_QUESTIONS, question_problems

ACTION_RE = re.compile(r"^(up|down|remove|addoption)-(\d{1,3})$")
KINDS = tuple(kind.value for kind in QuestionKind)
MAX_OPTIONS = 50


@dataclass
class Step:
    """The builder after an editing button: the questions to show and the field to focus."""

    items: list[dict[str, Any]]
    focus: str | None = None


def blank() -> dict[str, Any]:
    return {"kind": "text", "text": "", "options": [], "required": False, "help": "", "source": "custom"}


def from_questions(questions) -> list[dict[str, Any]]:
    """The builder's rows for saved questions (help and source travel as hidden fields)."""
    return [{"kind": q.kind.value, "text": q.text, "options": list(q.options), "required": q.required,
             "help": q.help or "", "source": q.source or "custom"} for q in questions]


def read(form) -> list[dict[str, Any]]:
    """The questions as posted, in order (`count` rows, `q-<i>-…` fields); at most MAX_QUESTIONS + 1."""
    try:
        count = max(0, min(int(form.get("count", "0")), MAX_QUESTIONS + 1))
    except ValueError:
        count = 0
    items = []
    for i in range(count):
        prefix = f"q-{i}-"
        items.append({"kind": form.get(prefix + "kind", "text"), "text": form.get(prefix + "text", ""),
                      "options": [o for o in form.getlist(prefix + "option")[:MAX_OPTIONS]],
                      "required": form.get(prefix + "required") == "on",
                      "help": form.get(prefix + "help", ""), "source": form.get(prefix + "source", "") or "custom"})
    return items


def is_blank(item: dict[str, Any]) -> bool:
    """An untouched row (no text, no options): left out when saving."""
    return not item["text"].strip() and not any(o.strip() for o in item["options"])


def rearrange(action: str, items: list[dict[str, Any]]) -> Step | None:
    """Apply an editing button (`add`, `up-<i>`, `down-<i>`, `remove-<i>`, `addoption-<i>`);
    None for anything else (save)."""
    items = [dict(item, options=[o for o in item["options"] if o.strip()]) for item in items]
    if action == "add":
        if len(items) < MAX_QUESTIONS:
            items.append(blank())
        return Step(items, f"f-q-{len(items) - 1}-text")
    match = ACTION_RE.match(action or "")
    if not match:
        return None
    verb, i = match.group(1), int(match.group(2))
    if i >= len(items):
        return Step(items)
    if verb == "remove":
        del items[i]
        if not items:
            items.append(blank())
        return Step(items, "f-add-question")
    if verb == "addoption":
        items[i]["options"].append("")
        return Step(items, f"f-q-{i}-option-{len(items[i]['options'])}")
    j = i - 1 if verb == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
        return Step(items, f"f-q-{j}-{verb}")
    return Step(items)


def to_save(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows to give the service (blank ones left out) and, for each, its row on the form."""
    rows = [i for i, item in enumerate(items) if not is_blank(item)]
    return [items[i] for i in rows], rows


def place_errors(errors: dict[str, list[str]], items: list[dict[str, Any]], rows: list[int],
                 offset: int = 0) -> list[tuple[str, str]]:
    """Move the service's `questions.<n>` messages next to the builder's fields (`q-<row>-text`,
    `q-<row>-kind`, `q-<row>-options`) and return the error summary: (message, field id) in page
    order, each question message starting "Question 3: …". `offset` counts questions that
    precede the builder's rows in the service call (chosen suggestions)."""
    for key in [k for k in errors if k.startswith("questions.")]:
        messages = errors.pop(key)
        try:
            n = int(key.split(".", 1)[1]) - offset
        except ValueError:
            n = -1
        if not 0 <= n < len(rows):
            errors.setdefault("questions", []).extend(messages)
            continue
        row = rows[n]
        problems = question_problems(items[row])
        if not problems:
            problems = {"text": messages}
        for part, part_messages in problems.items():
            errors[f"q-{row}-{part}"] = [str(m) for m in part_messages]
    summary = []
    for name in ("title", "intro", "deadline"):
        summary += [(message, f"f-{name}") for message in errors.get(name, [])]
    summary += [(message, "f-q-0-text") for message in errors.get("questions", [])]
    for row in range(len(items)):
        for part, target in (("text", f"f-q-{row}-text"), ("kind", f"f-q-{row}-kind"),
                             ("options", f"f-q-{row}-option-1")):
            for message in errors.get(f"q-{row}-{part}", []):
                summary.append((_("Question %(number)d: %(message)s", number=row + 1, message=message), target))
    handled = {"form", "title", "intro", "deadline", "questions"} | {
        f"q-{row}-{part}" for row in range(len(items)) for part in ("text", "kind", "options")}
    summary += [(message, f"f-{name}") for name, messages in errors.items() if name not in handled
                for message in messages]
    return summary
