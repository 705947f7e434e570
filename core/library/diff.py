"""What changed between two template versions, section by section.

Items are matched by their identity (questions and KPIs by `key`, requirements by `ref`, gate
items by `key`, award criteria by `name`, texts by name, needs by `key` when they have one and
else by statement), so a learning municipality sees what was added, removed and changed upstream.
"""

from __future__ import annotations

from typing import Any

SCALARS = ("title", "summary", "domain", "procedure", "cpv_codes")
SECTIONS = {
    "needs": lambda item: item.get("key") or item.get("statement"),
    "questionnaire": lambda item: item.get("key"),
    "requirements": lambda item: item.get("ref"),
    "award_criteria": lambda item: item.get("name"),
    "gate_items": lambda item: item.get("key"),
    "kpis": lambda item: item.get("key"),
}


def _label(section: str, item: dict[str, Any]) -> str:
    for field in ("title", "name", "text", "statement"):
        if item.get(field):
            return str(item[field])[:200]
    return str(SECTIONS[section](item))


def diff_content(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """{"fields": {name: {before, after}}, "sections": {section: {added, removed, changed}}}."""
    result: dict[str, Any] = {"fields": {}, "sections": {}}
    for name in SCALARS:
        if old.get(name) != new.get(name):
            result["fields"][name] = {"before": old.get(name), "after": new.get(name)}
    for section, identity in SECTIONS.items():
        before = {identity(i): i for i in old.get(section, [])}
        after = {identity(i): i for i in new.get(section, [])}
        change = {
            "added": [_label(section, after[k]) for k in after if k not in before],
            "removed": [_label(section, before[k]) for k in before if k not in after],
            "changed": [_label(section, after[k]) for k in after if k in before and after[k] != before[k]],
        }
        if any(change.values()):
            result["sections"][section] = change
    old_texts, new_texts = old.get("texts", {}), new.get("texts", {})
    texts = {
        "added": sorted(set(new_texts) - set(old_texts)),
        "removed": sorted(set(old_texts) - set(new_texts)),
        "changed": sorted(k for k in set(old_texts) & set(new_texts) if old_texts[k] != new_texts[k]),
    }
    if any(texts.values()):
        result["sections"]["texts"] = texts
    return result


def differing_parts(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The names of the parts `diff_content` would report as changed, title aside (fields first,
    then sections in `diff_content`'s order), without building the labels of the changes."""
    parts = [name for name in SCALARS if name != "title" and old.get(name) != new.get(name)]
    for section, identity in SECTIONS.items():
        before, after = old.get(section, []), new.get(section, [])
        if before != after and {identity(i): i for i in before} != {identity(i): i for i in after}:
            parts.append(section)
    if old.get("texts", {}) != new.get("texts", {}):
        parts.append("texts")
    return parts


def is_empty(diff: dict[str, Any]) -> bool:
    return not diff["fields"] and not diff["sections"]
