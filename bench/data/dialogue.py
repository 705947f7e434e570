"""Entity kinds of the market dialogue: registrations (with the invitation and conference),
questionnaires with responses, and questions with published answers.

Only procurements whose dialogue was opened get any of it, and only suppliers registered in a
procurement's dialogue respond or ask there, as the dialogue services require.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import accumulate

from bench.data.context import GenerationContext, ProcurementRow
from bench.data.municipalities import weighted_counts
from core.dialogue.models import (
    DialogueAnswer,
    DialogueConference,
    DialogueInvitation,
    DialogueQuestion,
    DialogueRegistration,
    Questionnaire,
    QuestionnaireQuestion,
    QuestionnaireResponse,
    ResponseAnswer,
)

REGISTRATIONS_PER_RESPONSE = 1.3
QUESTIONS = (
    ("text", "Beskriv løsningen dere foreslår, og hvordan den møter behovene.", []),
    ("text", "Hvilke standarder og sertifiseringer støtter løsningen?", []),
    ("choice", "Er løsningen i bruk i andre kommuner i dag?", ["Ja", "Nei", "Pilot"]),
    ("multichoice", "Hvilke leveransemodeller kan dere tilby?", ["Kjøp", "Leie", "Tjeneste"]),
    ("text", "Hva er de største risikoene, og hvordan kan de reduseres?", []),
    ("text", "Hvilken prismodell anbefaler dere for kommunen?", []),
)
ASKED = ("Kan dere si mer om forventet antall brukere det første året?",
         "Er det ønskelig med integrasjon mot kommunens fagsystem?",
         "Hvilke krav stilles til responstid i responssenteret?",
         "Kan leverandører gå sammen om et felles løsningsforslag?",
         "Når forventes konkurransen å bli kunngjort?")


def _opened(ctx: GenerationContext) -> list[ProcurementRow]:
    return [p for p in ctx.procurements if p.dialogue_opened_at is not None]


def _pick_suppliers(ctx: GenerationContext, cumulative: list[float], count: int) -> list:
    chosen: dict = {}
    while len(chosen) < count:
        for supplier in ctx.rng.choices(ctx.suppliers, cum_weights=cumulative, k=count - len(chosen)):
            chosen.setdefault(supplier.id, supplier)
    return list(chosen.values())


def _conference(ctx: GenerationContext, p: ProcurementRow, attendees: int) -> None:
    opened = p.dialogue_opened_at
    starts = opened + timedelta(days=14, hours=9)
    ctx.writer.add(DialogueInvitation.__table__, {
        "id": ctx.uuid(), "procurement_id": p.id, "updated_by_id": p.lead.officer[0],
        "text": f"{p.lead.name} inviterer leverandører til markedsdialog.", "created_at": opened,
        "updated_at": opened})
    conference_id = ctx.uuid()
    published = starts + timedelta(days=2) if p.phase_index >= 3 else None
    ctx.writer.add(DialogueConference.__table__, {
        "id": conference_id, "procurement_id": p.id, "title": "Dialogkonferanse",
        "starts_at": starts, "ends_at": starts + timedelta(hours=3), "place": "Rådhuset",
        "online_link": "", "agenda": "Velkommen\nBehovene\nSpørsmål", "capacity": None,
        "registration_deadline": starts - timedelta(days=2), "confirmed_attendees": attendees,
        "minutes": "Referat fra konferansen." if published else "", "minutes_published_at": published,
        "version": 1, "created_at": opened, "updated_at": opened})
    ctx.audit.record("conference.created", "dialogue_conference", conference_id, at=opened,
                     actor=p.lead.officer, tenant_id=p.lead.id, procurement_id=p.id,
                     changes={"after": {"starts_at": starts.isoformat()}})


def registrations(ctx: GenerationContext) -> int:
    """Suppliers registered in each opened dialogue (big suppliers in many), with a conference."""
    opened = _opened(ctx)
    cumulative = list(accumulate(s.weight for s in ctx.suppliers))
    total = round(ctx.volumes.responses * REGISTRATIONS_PER_RESPONSE)
    made = 0
    for p, count in zip(opened, weighted_counts([p.weight for p in opened], total), strict=True):
        p.registered = _pick_suppliers(ctx, cumulative, min(count, len(ctx.suppliers)))
        attendees = 0
        for supplier in p.registered:
            at = ctx.moment_after(p.dialogue_opened_at, 12)
            people = ctx.rng.choice((0, 1, 2))
            attendees += people
            registration_id = ctx.uuid()
            ctx.writer.add(DialogueRegistration.__table__, {
                "id": registration_id, "procurement_id": p.id, "supplier_id": supplier.id,
                "registered_by_id": supplier.admin[0],
                "conference_status": "confirmed" if people else "none",
                "conference_attendees": people, "conference_registered_at": at if people else None,
                "created_at": at, "updated_at": at})
            ctx.audit.record("dialogue.registered", "dialogue_registration", registration_id, at=at,
                             actor=supplier.admin, tenant_id=p.lead.id, procurement_id=p.id,
                             changes={"after": {"supplier": supplier.name}})
            made += 1
        _conference(ctx, p, attendees)
    return made


def _questionnaire(ctx: GenerationContext, p: ProcurementRow) -> tuple:
    created = p.dialogue_opened_at
    questionnaire_id = ctx.uuid()
    deadline = created + timedelta(days=35)
    title = "Tilbakemeldinger og løsningsforslag"
    ctx.writer.add(Questionnaire.__table__, {
        "id": questionnaire_id, "procurement_id": p.id, "title": title,
        "intro": "Svar innen fristen.", "deadline": deadline,
        "opened_at": created + timedelta(days=7), "created_by_id": p.lead.officer[0],
        "created_at": created, "updated_at": created})
    ctx.audit.record("questionnaire.created", "dialogue_questionnaire", questionnaire_id, at=created,
                     actor=p.lead.officer, tenant_id=p.lead.id, procurement_id=p.id,
                     changes={"after": {"title": title}})
    questions = []
    for position, (kind, text, options) in enumerate(QUESTIONS, start=1):
        question_id = ctx.uuid()
        ctx.writer.add(QuestionnaireQuestion.__table__, {
            "id": question_id, "questionnaire_id": questionnaire_id, "procurement_id": p.id,
            "position": position, "kind": kind, "text": text, "help": "", "options": options,
            "required": position == 1, "source": "custom"})
        questions.append((question_id, kind, options))
    return questionnaire_id, title, deadline, questions


def _value(ctx: GenerationContext, kind: str, options: list[str]):
    if kind == "choice":
        return ctx.rng.choice(options)
    if kind == "multichoice":
        return [o for o in options if ctx.rng.random() < 0.5] or options[:1]
    return "Vi foreslår en løsning som er prøvd ut i flere kommuner. " * ctx.rng.randrange(1, 4)


def responses(ctx: GenerationContext) -> int:
    """A questionnaire per opened dialogue; responses from registered suppliers, with answers."""
    opened = [p for p in _opened(ctx) if p.registered]
    counts = weighted_counts([p.weight for p in opened], ctx.volumes.responses)
    made = 0
    for p, count in zip(opened, counts, strict=True):
        questionnaire_id, title, deadline, questions = _questionnaire(ctx, p)
        for supplier in p.registered[:count]:
            response_id = ctx.uuid()
            at = ctx.moment_after(deadline - timedelta(days=20), 19)
            submitted = at < ctx.now and (deadline < ctx.now or ctx.rng.random() < 0.5)
            ctx.writer.add(QuestionnaireResponse.__table__, {
                "id": response_id, "questionnaire_id": questionnaire_id, "procurement_id": p.id,
                "supplier_id": supplier.id, "status": "submitted" if submitted else "draft",
                "submitted_at": at if submitted else None, "updated_by_id": supplier.admin[0],
                "version": 1, "created_at": at, "updated_at": at})
            for question_id, kind, options in questions:
                secret = kind == "text" and ctx.rng.random() < 0.1
                ctx.writer.add(ResponseAnswer.__table__, {
                    "id": ctx.uuid(), "response_id": response_id, "question_id": question_id,
                    "procurement_id": p.id, "supplier_id": supplier.id,
                    "value": _value(ctx, kind, options), "is_business_secret": secret,
                    "secret_reason": "Prismodellen er forretningshemmelig." if secret else ""})
            ctx.audit.record("response.submitted" if submitted else "response.saved",
                             "dialogue_response", response_id, at=at, actor=supplier.admin,
                             tenant_id=p.lead.id, procurement_id=p.id,
                             changes={"supplier": supplier.name, "questionnaire": title})
            made += 1
    return made


def questions(ctx: GenerationContext) -> int:
    """Suppliers' questions; most answered, a few at a time, in published answers."""
    opened = [p for p in _opened(ctx) if p.registered]
    counts = weighted_counts([p.weight for p in opened], ctx.volumes.questions)
    made = 0
    for p, count in zip(opened, counts, strict=True):
        pending: list[tuple] = []
        at = p.dialogue_opened_at
        for n in range(count):
            at = ctx.moment_after(at, 1)
            supplier = ctx.rng.choice(p.registered)
            question_id, text = ctx.uuid(), ctx.rng.choice(ASKED)
            pending.append((question_id, supplier, text, at))
            last = n == count - 1
            if last or len(pending) >= ctx.rng.randrange(1, 4):
                answered = ctx.rng.random() < 0.85
                answer_id = ctx.uuid() if answered else None
                if answered:
                    published = ctx.moment_after(at, 3)
                    ctx.writer.add(DialogueAnswer.__table__, {
                        "id": answer_id, "procurement_id": p.id, "text": "Svar: se oppdatert behovsliste.",
                        "published_questions": [q[2] for q in pending], "published_at": published,
                        "answered_by_id": p.lead.officer[0], "created_at": published,
                        "updated_at": published})
                for q_id, q_supplier, q_text, q_at in pending:
                    ctx.writer.add(DialogueQuestion.__table__, {
                        "id": q_id, "procurement_id": p.id, "supplier_id": q_supplier.id,
                        "asked_by_id": q_supplier.admin[0], "text": q_text, "answer_id": answer_id,
                        "created_at": q_at, "updated_at": q_at})
                    ctx.audit.record("dialogue.question_asked", "dialogue_question", q_id, at=q_at,
                                     actor=q_supplier.admin, tenant_id=p.lead.id, procurement_id=p.id,
                                     changes={"after": {"supplier": q_supplier.name, "text": q_text}})
                    made += 1
                if answered:
                    ctx.audit.record("dialogue.answer_published", "dialogue_answer", answer_id,
                                     at=published, actor=p.lead.officer, tenant_id=p.lead.id,
                                     procurement_id=p.id,
                                     changes={"after": {"questions": [str(q[0]) for q in pending]}})
                pending = []
    return made
