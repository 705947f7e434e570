"""Readable protocol sentences for the award package's audit entries (anskaffelsesforskriften's
protocol contents: evaluation, award, standstill, complaints, cancellation, contracts)."""

from __future__ import annotations

from core.i18n import _l

TEXTS = {
    "award.impartiality_declared": _l("A member of the evaluation committee declared impartiality"),
    "award.qualification_assessed": _l("A tenderer's qualification was assessed"),
    "award.tender_rejected": _l("A tender was rejected; the tenderer was told"),
    "award.scores_submitted": _l("An evaluator submitted scores for a tender"),
    "award.consensus_set": _l("The consensus scores of a tender were recorded"),
    "award.decided": _l("The award decision was made and the letters sent to every tenderer"),
    "award.changed": _l("The award decision was changed and new letters sent to every tenderer"),
    "award.complaint_filed": _l("A tenderer complained about the award decision"),
    "award.complaint_answered": _l("A complaint was answered"),
    "award.standstill_suspended": _l("The standstill period was suspended because of a complaint"),
    "award.standstill_resumed": _l("The standstill period was resumed"),
    "award.contract_added": _l("A buyer's contract was added"),
    "award.contract_changed": _l("A buyer's contract was changed"),
    "award.contract_signed": _l("A buyer signed its contract"),
    "award.mandate_recorded": _l("A buyer recorded its mandate and estimated volume"),
    "procurement.cancelled": _l("The procurement was cancelled; every supplier was told"),
}
