"""Entity kind: supplier organisations, each with its first person (the supplier admin)."""

from __future__ import annotations

from datetime import timedelta

from bench.data.context import GenerationContext, SupplierRow
from bench.data.municipalities import org_number
from core.identity.models import User
from core.suppliers.models import SupplierMember, SupplierOrganisation

PREFIXES = ("Trygg", "Omsorg", "Nord", "Vel", "Smart", "Digi", "Helse", "Mat", "Kjøkken", "Alarm",
            "Sensor", "Varme", "Fjord", "Tele", "Data", "Livs", "Senior", "Hjemme", "Fjell", "Kyst")
SUFFIXES = ("teknologi", "data", "systemer", "omsorg", "mat", "partner", "løsninger", "service",
            "kjøkken", "alarm", "sensor", "net", "care", "tech", "medisin", "logistikk")


def _slug(name: str) -> str:
    return name.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "aa", " ": ""}))


def suppliers(ctx: GenerationContext) -> int:
    """Supplier organisations with valid organisation numbers; a few large ones are everywhere."""
    taken: set[str] = set(ctx.notes.get("org_numbers", ()))
    count = ctx.volumes.suppliers
    for index in range(count):
        base = ctx.rng.choice(PREFIXES) + ctx.rng.choice(SUFFIXES)
        name = f"{base} {index + 1} AS" if index >= len(PREFIXES) * len(SUFFIXES) // 2 else f"{base} AS"
        slug = f"{_slug(base)}{index + 1}"
        number = org_number(ctx.rng, taken)
        at = ctx.moment_after(ctx.now - timedelta(days=3 * 365), 3 * 365 - 30)
        supplier_id, user_id, email = ctx.uuid(), ctx.uuid(), f"post@{slug}.no"
        ctx.writer.add(User.__table__, {
            "id": user_id, "email": email, "name": f"Salgsansvarlig {name}", "password_hash": None,
            "is_operator": False, "is_active": True, "locale": None, "session_generation": 0,
            "email_verified_at": at, "created_at": at, "updated_at": at,
        })
        ctx.audit.record("user.created", "user", user_id, at=at, actor=(None, "system"),
                         changes={"after": {"email": email}})
        ctx.writer.add(SupplierOrganisation.__table__, {
            "id": supplier_id, "org_number": number, "name": name, "contact_email": email,
            "contact_phone": f"+47 {ctx.rng.randrange(40000000, 99999999)}", "is_active": True,
            "created_at": at, "updated_at": at,
        })
        ctx.writer.add(SupplierMember.__table__, {
            "id": ctx.uuid(), "supplier_id": supplier_id, "user_id": user_id,
            "role": "supplier_admin", "created_at": at, "updated_at": at,
        })
        ctx.audit.record("supplier.created", "supplier", supplier_id, at=at, actor=(user_id, email),
                         changes={"after": {"org_number": number, "name": name, "admin": email}})
        ctx.suppliers.append(SupplierRow(id=supplier_id, name=name, admin=(user_id, email),
                                         weight=1.0 / (index + 10)))
    return len(ctx.suppliers)
