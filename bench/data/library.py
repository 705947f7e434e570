"""Entity kinds of the learning arena: templates published from finished procurements (with
versions, shares and reuse by later procurements) and lessons learned.

Template content is validated by the library's own format schema, so the arena and a start
from a template read exactly what a real publication would hold.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import timedelta

from sqlalchemy import bindparam, update

from bench.data.context import GenerationContext, ProcurementRow
from bench.data.lifecycle import NEEDS, SOURCES
from core.library.format import validate_template
from core.library.models import FORMAT, Lesson, Template, TemplateShare, TemplateUse, TemplateVersion
from core.library.service import content_hash
from core.procurement.models import Procurement

PROCUREMENTS_PER_TEMPLATE = 12
REUSE_SHARE = 0.25
LESSONS = (("Start forankringen tidlig", "Få politisk og administrativ ledelse med før behovskartleggingen."),
           ("Inviter brukerne inn", "Intervjuer med brukere og pårørende ga de viktigste behovene."),
           ("Dialogkonferansen var verdt det", "Leverandørene kom med løsninger vi ikke kjente til."),
           ("Sett av tid til en-til-en-møter", "Like lange møter med samme agenda gjorde det ryddig."))


def _content(ctx: GenerationContext, p: ProcurementRow, key: str, number: int) -> dict:
    needs = [{"statement": ctx.rng.choice(NEEDS), "source": ctx.rng.choice(SOURCES),
              "priority": ctx.rng.choice((1, 2, 3))} for _ in range(ctx.rng.randrange(3, 9))]
    return validate_template({
        "format": FORMAT, "key": key, "title": f"Mal: {p.lead.name.removesuffix(' kommune')} – versjon {number}",
        "summary": "Utgangspunkt for en innovativ anskaffelse, med behov og spørreskjema.",
        "domain": "welfare_tech", "cpv_codes": ["33196200-2"], "needs": needs})


def _reusers(ctx: GenerationContext, by_time: list[ProcurementRow], times: list, after, owner_id,
             average: float) -> list[ProcurementRow]:
    """A few procurements started after `after` by other municipalities, not yet from a template."""
    later = by_time[bisect_right(times, after):]
    wanted = min(len(later), ctx.rng.randrange(0, max(1, round(2 * average)) + 1))
    picks = [later[i] for i in ctx.rng.sample(range(len(later)), wanted)]
    return [p for p in picks if p.template_version is None and p.lead.id != owner_id]


def templates(ctx: GenerationContext) -> int:
    """Templates from procurements in evaluation or contract; later procurements reuse them."""
    finished = [p for p in ctx.procurements if p.phase_index >= 4]
    count = min(len(finished), max(1, len(ctx.procurements) // PROCUREMENTS_PER_TEMPLATE))
    by_time = sorted(ctx.procurements, key=lambda p: p.created_at)
    times = [p.created_at for p in by_time]
    average = REUSE_SHARE * len(ctx.procurements) / max(1, count) / 2
    reused: list[dict] = []
    for n, p in enumerate(ctx.rng.sample(finished, count)):
        template_id, key = ctx.uuid(), f"mal-{n + 1}"
        visibility = ctx.rng.choices(("all", "shared", "private"), weights=(0.7, 0.15, 0.15))[0]
        at, versions = p.transitions[-1][2], []
        for number in range(1, ctx.rng.choice((1, 1, 2, 3)) + 1):
            content, version_id = _content(ctx, p, key, number), ctx.uuid()
            versions.append((version_id, number, at, content))
            at = ctx.moment_after(at, 60)
        latest_id, latest_number, latest_at, latest = versions[-1]
        ctx.writer.add(Template.__table__, {
            "id": template_id, "key": key, "source": "tenant", "owner_tenant_id": p.lead.id,
            "owner_key": str(p.lead.id), "visibility": visibility, "title": latest["title"],
            "summary": latest["summary"], "domain": latest["domain"], "latest_version_id": latest_id,
            "latest_version_number": latest_number, "latest_published_at": latest_at,
            "created_by_id": p.lead.officer[0], "created_at": versions[0][2], "updated_at": latest_at})
        ctx.audit.record("template.created", "template", template_id, at=versions[0][2],
                         actor=p.lead.officer, tenant_id=p.lead.id,
                         changes={"after": {"key": key, "visibility": visibility}})
        for version_id, number, published, content in versions:
            ctx.writer.add(TemplateVersion.__table__, {
                "id": version_id, "template_id": template_id, "number": number, "status": "published",
                "content": content, "content_hash": content_hash(content), "changelog": "",
                "from_procurement_id": p.id, "created_at": published, "published_at": published,
                "created_by_id": p.lead.officer[0]})
            ctx.audit.record("template.published", "template", template_id, at=published,
                             actor=p.lead.officer, tenant_id=p.lead.id,
                             changes={"after": {"version": number, "key": key,
                                                "content_hash": content_hash(content)}})
        if visibility == "shared":
            for tenant in {t.id: t for t in ctx.pick_weighted(ctx.tenants, k=3)}.values():
                if tenant.id != p.lead.id:
                    ctx.writer.add(TemplateShare.__table__, {"id": ctx.uuid(), "template_id": template_id,
                                                              "tenant_id": tenant.id, "owner_tenant_id": p.lead.id})
        if visibility != "all":
            continue
        for later in _reusers(ctx, by_time, times, latest_at, p.lead.id, average):
            later.template_version = latest_id
            ctx.writer.add(TemplateUse.__table__, {
                "id": ctx.uuid(), "template_id": template_id, "version_id": latest_id,
                "tenant_id": later.lead.id, "procurement_id": later.id, "created_at": later.created_at})
            reused.append({"pid": later.id, "tv": latest_id})
    ctx.writer.flush()
    table = Procurement.__table__
    if reused:
        ctx.writer.session.execute(
            update(table).where(table.c.id == bindparam("pid")).values(template_version_id=bindparam("tv")),
            reused)
    ctx.notes["template_uses"] = len(reused)
    return count


def lessons(ctx: GenerationContext) -> int:
    """Lessons learned on finished procurements, readable by every municipality."""
    made = 0
    for p in ctx.procurements:
        if p.phase_index < 4 or ctx.rng.random() < 0.4:
            continue
        title, body = ctx.rng.choice(LESSONS)
        at, lesson_id = p.transitions[-1][2] + timedelta(days=1), ctx.uuid()
        at = min(at, ctx.now)
        ctx.writer.add(Lesson.__table__, {
            "id": lesson_id, "tenant_id": p.lead.id, "author_id": p.lead.officer[0],
            "procurement_id": p.id, "template_id": None, "context_title": f"{p.lead.name}: anskaffelse",
            "phase": p.phase, "title": title, "body": body, "created_at": at, "updated_at": at})
        ctx.audit.record("lesson.added", "lesson", lesson_id, at=at, actor=p.lead.officer,
                         tenant_id=p.lead.id, procurement_id=p.id, changes={"after": {"title": title}})
        made += 1
    return made
