"""Entity kinds of a procurement's own work: needs, and the history of phase transitions."""

from __future__ import annotations

from bench.data.context import GenerationContext
from bench.data.municipalities import weighted_counts
from core.procurement.models import Need, PhaseTransition

NEEDS = (
    "Brukeren trenger å kunne tilkalle hjelp også når hun er ute av boligen.",
    "Pårørende trenger å vite at alarmen blir besvart innen kort tid.",
    "Nattpatruljen trenger å se hvem som trenger tilsyn uten å vekke dem.",
    "Tjenesten trenger varsel når en bruker har falt og ikke kommer seg opp.",
    "Brukeren trenger riktig medisin til riktig tid uten besøk fra hjemmetjenesten.",
    "Personer med demens trenger å kunne gå tur trygt og bli funnet raskt.",
    "Hjemmeboende eldre trenger middag de liker, tilpasset tygge- og svelgevansker.",
    "Brukeren trenger å bestille mat enkelt, også uten smarttelefon.",
    "Kjøkkenet trenger å vite om allergener og dietter før maten lages.",
    "Tjenesten trenger mindre matsvinn og færre bomturer ved levering.",
    "Responssenteret trenger å kunne snakke med brukeren gjennom alarmen.",
    "Kommunen trenger at data om brukerne behandles etter Normen.",
)
USER_GROUPS = ("Hjemmeboende eldre", "Personer med demens", "Pårørende", "Hjemmetjenesten",
               "Responssenteret", "Kjøkken og matproduksjon", "Fastleger")
SOURCES = ("interview", "workshop", "observation", "survey")
# How much of the needs mapping a procurement in each phase has done.
PHASE_SHARE = (0.3, 1.0, 1.0, 1.0, 1.0, 1.0)


def needs(ctx: GenerationContext) -> int:
    """Needs statements in order, most in busy procurements past anchoring."""
    weights = [p.weight * PHASE_SHARE[p.phase_index] for p in ctx.procurements]
    made = 0
    for procurement, count in zip(ctx.procurements, weighted_counts(weights, ctx.volumes.needs),
                                  strict=True):
        at = procurement.created_at
        people = [procurement.lead.officer, *procurement.lead.members[:2]]
        for position in range(1, count + 1):
            at = ctx.moment_after(at, 2)
            author = ctx.rng.choice(people)
            need_id = ctx.uuid()
            statement = ctx.rng.choice(NEEDS)
            ctx.writer.add(Need.__table__, {
                "id": need_id, "procurement_id": procurement.id, "position": position,
                "statement": statement, "user_group": ctx.rng.choice(USER_GROUPS),
                "source": ctx.rng.choice(SOURCES), "priority": ctx.rng.choice((1, 2, 2, 3)),
                "created_by_id": author[0], "created_at": at, "updated_at": at,
            })
            ctx.audit.record("need.added", "need", need_id, at=at, actor=author,
                             tenant_id=procurement.lead.id, procurement_id=procurement.id,
                             changes={"after": {"statement": statement, "position": position}})
            made += 1
    return made


def phase_transitions(ctx: GenerationContext) -> int:
    """The recorded moves between phases (the audit log already has their entries)."""
    made = 0
    for procurement in ctx.procurements:
        officer = procurement.lead.officer
        for before, after, at in procurement.transitions:
            ctx.writer.add(PhaseTransition.__table__, {
                "id": ctx.uuid(), "procurement_id": procurement.id, "from_phase": before,
                "to_phase": after, "at": at, "by_id": officer[0], "by_label": officer[1],
                "waived": [],
            })
            made += 1
    return made
