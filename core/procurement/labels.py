"""Readable, translated labels for the procurement domain's values (used by templates as
`procurement_labels.<kind>[value]` and by select boxes as `.items()`)."""

from __future__ import annotations

from core.i18n import _l

LABELS = {
    "phase": {"anchoring": _l("Anchoring"), "needs": _l("Needs mapping"), "dialogue": _l("Market dialogue"),
              "competition": _l("Competition"), "evaluation": _l("Evaluation and award"),
              "contract": _l("Contract and follow-up"), "completed": _l("Completed"), "cancelled": _l("Cancelled")},
    "procedure": {"open": _l("Open procedure"), "restricted": _l("Restricted procedure"),
                  "competitive_dialogue": _l("Competitive dialogue"),
                  "competition_with_negotiation": _l("Competition with negotiation"),
                  "innovation_partnership": _l("Innovation partnership"),
                  "below_threshold": _l("Below-threshold procurement")},
    "contract_kind": {"goods_services": _l("Goods and services"), "works": _l("Works"),
                      "social_services": _l("Health, social and other specific services")},
    "part": {"lead": _l("Lead"), "buyer": _l("Buyer"), "observer": _l("Observer")},
    "participation_status": {"invited": _l("Invited"), "active": _l("Taking part"), "declined": _l("Declined"),
                             "left": _l("Left")},
    "project_role": {"lead": _l("Project lead"), "member": _l("Project member"), "evaluator": _l("Evaluator"),
                     "observer": _l("Observer")},
    "source": {"interview": _l("Interview"), "workshop": _l("Workshop"), "observation": _l("Observation"),
               "survey": _l("Survey")},
    "priority": {1: _l("High"), 2: _l("Medium"), 3: _l("Low")},
    "key_date": {"mandate_decision": _l("Mandate decision"), "needs_complete": _l("Needs mapping complete"),
                 "dialogue_invitation": _l("Dialogue invitation published"),
                 "dialogue_conference": _l("Dialogue conference"),
                 "dialogue_responses_due": _l("Supplier feedback due"),
                 "competition_notice": _l("Competition announced"), "tender_deadline": _l("Tender deadline"),
                 "award_decision": _l("Award decision"), "contract_start": _l("Contract start"),
                 "contract_end": _l("Contract end")},
    "gate_state": {"open": _l("Open"), "done": _l("Done"), "waived": _l("Waived"), "auto": _l("Done (from the data)")},
    "visibility": {"private": _l("Only our municipality"), "shared": _l("Named municipalities"),
                   "all": _l("All municipalities")},
}
