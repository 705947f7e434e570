"""What the arena's search reads in a template: its words, not only its title.

`search_text(content)` joins the title, summary, domain, needs (statement, user group, theme),
requirements (ref, title, text, standards), questionnaire questions and their options, award
criteria, KPIs and the named texts of a template version into one lower-case text, kept on the
template (`Template.search_text`) whenever a version is published. Lessons learned are searched
where they live (`core.library.models.Lesson`), so a lesson added later is found at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from core.db import db
from core.library.diff import diff_content
from core.library.models import Template, TemplateVersion

FIELDS = {
    "needs": ("statement", "user_group", "theme"),
    "requirements": ("ref", "title", "text"),
    "questionnaire": ("text",),
    "award_criteria": ("name", "description"),
    "kpis": ("name", "description"),
    "gate_items": ("text",),
}
MAX_CHARS = 200_000


def search_text(content: dict[str, Any]) -> str:
    parts: list[str] = [str(content.get(name) or "") for name in ("title", "summary", "domain")]
    for section, names in FIELDS.items():
        for item in content.get(section) or []:
            parts += [str(item.get(name) or "") for name in names]
            parts += [str(choice) for choice in item.get("choices") or []]
            parts += [str(standard) for standard in item.get("standards") or []]
    parts += [str(text) for text in (content.get("texts") or {}).values()]
    return "\n".join(p for p in parts if p).lower()[:MAX_CHARS]


def lookalikes(templates: list, visible_clause) -> dict[Any, list[dict[str, Any]]]:
    """For each template of a page, the other visible templates that look the same (same key or
    same title, from another publisher) and what differs between their latest versions — two
    queries whatever the page holds: {template_id: [{"template", "differs": [part names]}]}."""
    if not templates:
        return {}
    keys = {t.key for t in templates}
    titles = {t.title.strip().lower() for t in templates}
    others = list(db.session.execute(select(Template).where(
        visible_clause, Template.latest_version_id.is_not(None),
        or_(Template.key.in_(keys), func.lower(Template.title).in_(titles)))).scalars())
    groups = {t.id: [o for o in others if o.id != t.id and (o.key == t.key or o.title.strip().lower()
                                                                == t.title.strip().lower())] for t in templates}
    version_ids = {t.latest_version_id for t in templates if groups[t.id]}
    version_ids |= {o.latest_version_id for group in groups.values() for o in group}
    if not version_ids:
        return {}
    contents = dict(db.session.execute(select(TemplateVersion.id, TemplateVersion.content).where(
        TemplateVersion.id.in_(version_ids))).all())
    result: dict[Any, list[dict[str, Any]]] = {}
    for template in templates:
        for other in groups[template.id]:
            change = diff_content(contents[other.latest_version_id], contents[template.latest_version_id])
            differs = [name for name in change["fields"] if name != "title"] + list(change["sections"])
            result.setdefault(template.id, []).append({"template": other, "differs": differs})
    return result
