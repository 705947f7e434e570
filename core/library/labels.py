"""How the library names things for people: who published a template, and a template's parts
(template globals and filters the arena's pages use)."""

from __future__ import annotations

from core.i18n import _l
from core.library.models import TemplateSource
from core.plugin_platform.state import domain_label


def publisher_name(source: TemplateSource, owner_key: str, tenant_name: str | None) -> str:
    """Who published a template from its columns: the municipality (`tenant_name`), a plugin's
    domain name in the reader's language (never its key, e.g. "welfare_tech"), or Samspill."""
    if tenant_name is not None:
        return tenant_name
    if source == TemplateSource.plugin:
        return domain_label(owner_key)  # plugin templates are kept per domain
    return "Samspill" if source == TemplateSource.platform else owner_key


def publisher_of(template) -> str:
    """Who published a template, in the reader's language (`publisher_name`)."""
    owner = template.owner_tenant
    return publisher_name(template.source, template.owner_key, owner.name if owner is not None else None)


PARTS = {"summary": _l("summary"), "domain": _l("domain"), "procedure": _l("procedure"),
         "cpv_codes": _l("CPV codes"), "needs": _l("needs"), "questionnaire": _l("questionnaire"),
         "requirements": _l("requirements"), "award_criteria": _l("award criteria"),
         "gate_items": _l("gate items"), "kpis": _l("benefit indicators"), "texts": _l("texts")}
OTHER_PARTS = _l("other parts")


def template_part(name: str) -> str:
    """A part of a template (`core.library.diff`) as people call it, in the reader's language."""
    return str(PARTS.get(name, OTHER_PARTS))
