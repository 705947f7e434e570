"""What the data generator knows while it runs: volumes per scale, and the rows made so far.

Scale 1 is the country today: 356 municipalities, 3 000 procurements (a fifth of them joint),
30 000 needs, 2 000 supplier organisations, 20 000 questionnaire responses, 50 000 questions
and answers and 200 000 audit entries. Scale 10 multiplies every per-tenant volume; the
number of municipalities stays. Below scale 1 (smoke runs and tests) the municipalities shrink
with the scale too, so each keeps about the same amount of work.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench.data.municipalities import COUNT as MUNICIPALITIES
from bench.data.writer import AuditWriter, BulkWriter

BASE = {
    "people": 1500,            # members besides each municipality's admin and officer
    "procurements": 3000,
    "needs": 30000,
    "suppliers": 2000,
    "responses": 20000,
    "questions": 50000,
    "audit_entries": 200000,
}
JOINT_SHARE = 0.2
PHASES = ("anchoring", "needs", "dialogue", "competition", "evaluation", "contract")
TINY_SCALE = 0.01
MIN_TENANTS = 6


@dataclass(frozen=True)
class Volumes:
    """How many rows of each kind a scale asks for."""

    scale: float
    tenants: int
    people: int
    procurements: int
    needs: int
    suppliers: int
    responses: int
    questions: int
    audit_entries: int

    @classmethod
    def for_scale(cls, scale: float) -> Volumes:
        if scale <= 0:
            raise ValueError("scale must be positive")
        tenants = MUNICIPALITIES if scale >= 1 else max(MIN_TENANTS, round(MUNICIPALITIES * scale))
        return cls(scale=scale, tenants=tenants,
                   **{kind: max(1, round(base * scale)) for kind, base in BASE.items()})


@dataclass
class TenantRow:
    id: uuid.UUID
    slug: str
    name: str
    weight: float
    admin: tuple[uuid.UUID, str] = (uuid.UUID(int=0), "")
    officer: tuple[uuid.UUID, str] = (uuid.UUID(int=0), "")
    members: list[tuple[uuid.UUID, str]] = field(default_factory=list)


@dataclass
class SupplierRow:
    id: uuid.UUID
    name: str
    admin: tuple[uuid.UUID, str]
    weight: float


@dataclass
class ProcurementRow:
    id: uuid.UUID
    lead: TenantRow
    phase: str
    created_at: datetime
    weight: float
    participants: list[tuple[TenantRow, str]] = field(default_factory=list)  # (tenant, role)
    transitions: list[tuple[str, str, datetime]] = field(default_factory=list)  # (from, to, at)
    registered: list[SupplierRow] = field(default_factory=list)  # suppliers in its dialogue
    template_version: uuid.UUID | None = None                    # started from this version

    @property
    def phase_index(self) -> int:
        return PHASES.index(self.phase)

    @property
    def dialogue_opened_at(self) -> datetime | None:
        return next((at for _, to, at in self.transitions if to == "dialogue"), None)


@dataclass
class GenerationContext:
    """Shared state of one generation run; each entity kind reads and extends it."""

    rng: random.Random
    volumes: Volumes
    now: datetime
    writer: BulkWriter
    audit: AuditWriter
    tenants: list[TenantRow] = field(default_factory=list)
    procurements: list[ProcurementRow] = field(default_factory=list)
    suppliers: list[SupplierRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)  # ids later kinds may need

    def uuid(self) -> uuid.UUID:
        """A random-looking, reproducible UUID (version 4 layout)."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment_after(self, start: datetime, max_days: float) -> datetime:
        """A time after `start`, at most `max_days` later and never in the future."""
        moment = start + timedelta(seconds=self.rng.uniform(60, max_days * 86400))
        return min(moment, self.now)

    def pick_weighted(self, rows: list, weights: list[float] | None = None, k: int = 1) -> list:
        return self.rng.choices(rows, weights=weights or [r.weight for r in rows], k=k)
