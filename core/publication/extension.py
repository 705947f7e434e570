"""The procurement's publication data (`extension["publication"]`): the notices' contact point
and the innovation codes (BT-776, the `innovative-acquisition` code list) of contract notices."""

from __future__ import annotations

import re
from typing import Any

from core.errors import ValidationError
from core.i18n import _l

INNOVATION_CODES = ("mar-nov", "proc-innov", "prod-innov", "rd-act")
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
    unknown = set(data) - {"contact_phone", "contact_email", "innovation"}
    if unknown:
        errors["publication"] = [_l("Unknown fields: %(names)s.", names=", ".join(sorted(unknown)))]
    if errors:
        raise ValidationError(_l("The publication data is not valid."), errors=errors)
    return cleaned
