"""The procurement's publication data (`extension["publication"]`): the notices' contact point
the innovation codes (BT-776, the `innovative-acquisition` code list) of contract notices and
each tenderer's size by organisation number (BT-165 and the SME statistics of award notices)
and whether each winner subcontracts (BT-773, "yes"/"no")."""

from __future__ import annotations

import re
from typing import Any

from core.errors import ValidationError
from core.i18n import _l

INNOVATION_CODES = ("mar-nov", "proc-innov", "prod-innov", "rd-act")
SIZES = ("micro", "small", "medium", "large")
ORG_NUMBER = re.compile(r"^[0-9]{9}$")
PHONE = re.compile(r"^\+?[0-9 ]{8,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError(_l("Publication data must be an object."),
                              errors={"publication": [_l("An object is expected.")]})
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    phone = str(data.get("contact_phone") or "").strip()
    if phone and not PHONE.match(phone):
        errors["contact_phone"] = [_l("A telephone number, digits and spaces, optionally starting with +.")]
    cleaned["contact_phone"] = phone
    email = str(data.get("contact_email") or "").strip()
    if email and not EMAIL.match(email):
        errors["contact_email"] = [_l("An email address.")]
    cleaned["contact_email"] = email
    innovation = data.get("innovation") or []
    if not isinstance(innovation, list) or any(code not in INNOVATION_CODES for code in innovation):
        errors["innovation"] = [_l("Codes from: %(codes)s.", codes=", ".join(INNOVATION_CODES))]
    else:
        cleaned["innovation"] = sorted(set(innovation))
    sizes = data.get("supplier_sizes") or {}
    if not isinstance(sizes, dict) or any(not ORG_NUMBER.match(str(k)) or v not in SIZES for k, v in sizes.items()):
        errors["supplier_sizes"] = [_l("Organisation number -> one of: %(sizes)s.", sizes=", ".join(SIZES))]
    elif sizes:
        cleaned["supplier_sizes"] = {str(k): v for k, v in sizes.items()}
    subcontracting = data.get("subcontracting") or {}
    if not isinstance(subcontracting, dict) or any(
            not ORG_NUMBER.match(str(k)) or v not in ("yes", "no") for k, v in subcontracting.items()):
        errors["subcontracting"] = [_l("Organisation number -> yes or no.")]
    elif subcontracting:
        cleaned["subcontracting"] = {str(k): v for k, v in subcontracting.items()}
    unknown = set(data) - {"contact_phone", "contact_email", "innovation", "supplier_sizes", "subcontracting"}
    if unknown:
        errors["publication"] = [_l("Unknown fields: %(names)s.", names=", ".join(sorted(unknown)))]
    if errors:
        raise ValidationError(_l("The publication data is not valid."), errors=errors)
    return cleaned
