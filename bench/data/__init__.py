"""Benchmark data at scale: `generate(scale)` fills an empty database with a country's worth.

One function per entity kind (in `KINDS`, in dependency order), each writing through the
batched `BulkWriter` and recording its audit entries through `AuditWriter`, in one
transaction. A kind whose model has not landed yet is listed as missing instead of failing;
add its function here when the model arrives.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import inspect

from bench.data import audit_fill, dialogue, library, lifecycle, procurements, suppliers, tenants
from bench.data.context import TINY_SCALE, GenerationContext, Volumes
from bench.data.writer import AuditWriter, BulkWriter
from core.db import db, utcnow


@dataclass(frozen=True)
class Kind:
    """One entity kind: its generator and the tables it needs (else why it cannot run yet)."""

    name: str
    generate: Callable[[GenerationContext], int] | None
    tables: tuple[str, ...] = ()
    missing_reason: str = ""


KINDS: list[Kind] = [
    Kind("tenants", tenants.tenants),
    Kind("people", tenants.people),
    Kind("procurements", procurements.procurements),
    Kind("phase_transitions", lifecycle.phase_transitions, ("procurement_phase_transitions",)),
    Kind("needs", lifecycle.needs, ("procurement_needs",)),
    Kind("suppliers", suppliers.suppliers, ("supplier_organisations", "supplier_members")),
    Kind("dialogue_registrations", dialogue.registrations,
         ("dialogue_registrations", "dialogue_invitations", "dialogue_conferences")),
    Kind("questionnaire_responses", dialogue.responses,
         ("dialogue_questionnaires", "dialogue_responses", "dialogue_response_answers")),
    Kind("questions", dialogue.questions, ("dialogue_questions", "dialogue_answers")),
    Kind("templates", library.templates,
         ("templates", "template_versions", "template_shares", "template_uses")),
    Kind("lessons", library.lessons, ("lessons",)),
    Kind("audit_entries", audit_fill.audit_entries),
]


def _missing(kind: Kind, existing: set[str]) -> str:
    if kind.generate is None:
        return kind.missing_reason
    absent = [t for t in kind.tables if t not in existing]
    return f"no {', '.join(absent)} table in the database yet" if absent else ""


@dataclass
class GenerationReport:
    """What a generation run made, how long each kind took, and what it could not make."""

    volumes: Volumes
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    rows_written: dict[str, int] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    total_seconds: float = 0.0
    target_tenant: str = ""

    def as_dict(self) -> dict:
        return {"scale": self.volumes.scale, "volumes": vars(self.volumes), "counts": self.counts,
                "seconds": self.seconds, "rows_written": self.rows_written,
                "missing": self.missing, "total_seconds": self.total_seconds,
                "target_tenant": self.target_tenant}


def generate(scale: float = 1.0, *, seed: int = 2026, batch_size: int = 2000,
             progress: Callable[[str], None] | None = None) -> GenerationReport:
    """Fill the (tenant-less) database with data at `scale`; one transaction, all or nothing."""
    volumes = Volumes.for_scale(scale)
    writer = BulkWriter(db.session, batch_size=batch_size)
    ctx = GenerationContext(rng=random.Random(seed), volumes=volumes,  # noqa: S311 (reproducible data)
                            now=utcnow().replace(microsecond=0), writer=writer,
                            audit=AuditWriter(writer))
    report = GenerationReport(volumes=volumes)
    started = time.perf_counter()
    existing = set(inspect(db.session.connection()).get_table_names())
    try:
        for kind in KINDS:
            reason = _missing(kind, existing)
            if reason:
                report.missing[kind.name] = reason
                continue
            began = time.perf_counter()
            report.counts[kind.name] = kind.generate(ctx)
            writer.flush()
            report.seconds[kind.name] = round(time.perf_counter() - began, 2)
            if progress:
                progress(f"{kind.name:<24} {report.counts[kind.name]:>9,} in "
                         f"{report.seconds[kind.name]:.1f} s")
        ctx.audit.finish()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    report.rows_written = dict(writer.written)
    report.total_seconds = round(time.perf_counter() - started, 2)
    report.target_tenant = ctx.tenants[0].slug if ctx.tenants else ""
    return report


__all__ = ["KINDS", "TINY_SCALE", "GenerationReport", "Kind", "Volumes", "generate"]
