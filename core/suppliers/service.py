"""Rules for supplier organisations and their people.

- An organisation is identified by a valid Norwegian organisation number; sign-up cannot join
  an organisation that already exists (its administrator adds people instead).
- A person belongs to at most one supplier organisation; `supplier_admin` manages members and
  the organisation always keeps at least one admin.
- Supplier actions need a confirmed email address (sign-up sends a link; people added by an
  admin confirm it by choosing their password from the welcome link).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, and_, func, select

from core import audit, isolation
from core.access import require_user
from core.auth import Principal, PrincipalFact, current_principal
from core.db import db, utcnow
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.identity import service as identity
from core.identity.models import User
from core.notifications.service import Recipient, notify
from core.orgnumber import is_valid as org_number_is_valid
from core.orgnumber import normalise as normalise_org_number
from core.suppliers.models import SupplierMember, SupplierOrganisation, SupplierRole

VERIFY_MAX_AGE = 3 * 24 * 3600
WELCOME_MAX_AGE = 14 * 24 * 3600


@dataclass(frozen=True)
class SupplierContext:
    """The caller acting for a supplier organisation."""

    supplier_id: uuid.UUID
    org_number: str
    name: str
    role: SupplierRole
    user: User

    @property
    def is_admin(self) -> bool:
        return self.role == SupplierRole.supplier_admin


# --- who is the supplier behind the request ----------------------------------------------

def _with_supplier(stmt: Select, user_id) -> Select:
    """The person's active supplier organisation as labelled columns (a person has at most one)."""
    return (
        stmt.add_columns(SupplierOrganisation.id.label("supplier_id"),
                         SupplierOrganisation.org_number.label("supplier_org_number"),
                         SupplierOrganisation.name.label("supplier_name"), SupplierMember.role.label("supplier_role"))
        .outerjoin(SupplierMember, SupplierMember.user_id == user_id)
        .outerjoin(SupplierOrganisation, and_(SupplierOrganisation.id == SupplierMember.supplier_id,
                                              SupplierOrganisation.is_active.is_(True)))
    )


def _supplier_from(row) -> dict | None:
    if row.supplier_id is None:
        return None
    return {"id": str(row.supplier_id), "org_number": row.supplier_org_number, "name": row.supplier_name,
            "role": row.supplier_role.value}


# `principal.extra["supplier"]`: {"id", "org_number", "name", "role"} of the person's active
# organisation, resolved in the principal's own query (no query of its own per request).
SUPPLIER_FACT = PrincipalFact("supplier", _with_supplier, _supplier_from)


def supplier_context(principal: Principal | None = None) -> SupplierContext | None:
    principal = principal or current_principal()
    facts = principal.extra.get("supplier") if principal.is_authenticated else None
    if not facts:
        return None
    return SupplierContext(uuid.UUID(facts["id"]), facts["org_number"], facts["name"],
                           SupplierRole(facts["role"]), principal.user)


def require_supplier(*, admin: bool = False, principal: Principal | None = None) -> SupplierContext:
    """The caller's supplier organisation; people without one get 404, unconfirmed emails 403."""
    principal = require_user(principal)
    context = supplier_context(principal)
    if context is None:
        raise NotFound(_l("You do not act for a supplier organisation."))
    if context.user.email_verified_at is None:
        raise Forbidden(_l("Confirm your email address first."), errors={"email": [_l("Not confirmed yet.")]})
    if admin and not context.is_admin:
        raise Forbidden(_l("Only the organisation's administrators can do this."))
    return context


# --- organisations -------------------------------------------------------------------------

def validate_organisation(org_number: str, name: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    number = normalise_org_number(org_number or "")
    if not org_number_is_valid(number):
        errors["org_number"] = [_l("Not a valid Norwegian organisation number (9 digits, mod-11 check digit).")]
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors["org_name"] = [_l("A name of 1-200 characters is required.")]
    if errors:
        raise ValidationError(_l("The organisation details are invalid."), errors=errors)
    if db.session.execute(select(SupplierOrganisation.id).where(SupplierOrganisation.org_number == number)).first():
        raise Conflict(_l("That organisation is already registered. Ask its administrator to add you."),
                       errors={"org_number": [_l("Already registered: ask its administrator to add you.")]})
    return number, name


def _create_organisation(number: str, name: str, admin: User, contact_email: str = "") -> SupplierOrganisation:
    with isolation.system_scope():  # a membership in any organisation counts, not just visible ones
        taken = db.session.execute(select(SupplierMember.id).where(SupplierMember.user_id == admin.id)).first()
    if taken:
        raise Conflict(_l("This person already belongs to a supplier organisation."),
                       errors={"email": [_l("Already belongs to a supplier organisation.")]})
    org = SupplierOrganisation(id=uuid.uuid4(), org_number=number, name=name,
                               contact_email=contact_email or admin.email)
    db.session.add(org)
    db.session.flush()
    isolation.set_supplier(org.id)  # the request now acts for the new organisation
    db.session.add(SupplierMember(supplier_id=org.id, user_id=admin.id, role=SupplierRole.supplier_admin))
    audit.record("supplier.created", "supplier", org.id,
                 changes={"after": {"org_number": number, "name": name, "admin": admin.email}})
    return org


def create_supplier(org_number: str, name: str, email: str, *, password: str | None = None) -> SupplierOrganisation:
    """Operator command: an organisation and its first admin (email counts as confirmed)."""
    number, name = validate_organisation(org_number, name)
    user = identity.find_user_by_email(email) or identity.create_user(email, password=password)
    if password and user.password_hash is None:
        identity.set_password(user, password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return _create_organisation(number, name, user)


def _sign_up_problems(org_number: str, org_name: str, email: str, password: str, confirm_password: str | None,
                      principal: Principal) -> tuple[dict[str, list[str]], bool]:
    """Every problem of a sign-up form at once, field -> messages, and whether they are all
    conflicts (a number or address already taken) rather than invalid input."""
    errors: dict[str, list[str]] = {}
    invalid = False
    for check in (lambda: validate_organisation(org_number, org_name),
                  *(() if principal.is_authenticated else (
                      lambda: _email_is_free(email), lambda: identity.check_password_strength(password)))):
        try:
            check()
        except (ValidationError, Conflict) as exc:
            errors.update(exc.errors)
            invalid = invalid or isinstance(exc, ValidationError)
    if not principal.is_authenticated and confirm_password is not None and password != confirm_password:
        errors["confirm_password"] = [str(_l("The passwords do not match."))]
        invalid = True
    return errors, not invalid


def _email_is_free(email: str) -> None:
    address = identity.normalise_email(email)
    if identity.find_user_by_email(address):
        raise Conflict(_l("A person with the email %(email)s already exists.", email=address),
                       errors={"email": [_l("That email address is already in use.")]})


def sign_up(org_number: str, org_name: str, *, email: str = "", name: str = "", password: str = "",
            confirm_password: str | None = None,
            principal: Principal | None = None) -> tuple[SupplierOrganisation, User]:
    """Self-service registration; a signed-in person registers their organisation without a new
    account. A confirmation link is emailed unless the address is already confirmed. Every
    problem with the details is reported at once (422; 409 when all are about something taken);
    `confirm_password`, when given, must repeat the password."""
    principal = principal or current_principal()
    errors, only_taken = _sign_up_problems(org_number, org_name, email, password, confirm_password, principal)
    if errors:
        raise (Conflict if only_taken else ValidationError)(
            _l("Some details need attention."), errors=errors)
    number, org_name = validate_organisation(org_number, org_name)
    if principal.is_authenticated:
        user = principal.user
    else:
        user = identity.create_user(email, name=name, password=password or "")
    org = _create_organisation(number, org_name, user)
    if user.email_verified_at is None:
        send_verification(user)
    return org, user


# --- email confirmation and welcome links -------------------------------------------------

def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"samspill-supplier-{purpose}")


def _token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": str(user.id), "e": user.email, "g": user.session_generation})


def _user_from_token(token: str, purpose: str, max_age: int) -> User:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ValidationError(_l("The link has expired."), errors={"token": [_l("The link has expired.")]}) from None
    except BadSignature:
        raise NotFound(_l("The link is not valid.")) from None
    user = db.session.get(User, uuid.UUID(data["u"]))
    if user is None or user.email != data["e"] or user.session_generation != data["g"]:
        raise NotFound(_l("The link is not valid."))
    return user


def send_verification(user: User) -> None:
    link = url_for("supplier.verify_email", token=_token(user, "verify"), _external=True)
    notify([Recipient(user.email, user.locale)],
           lambda: _("Confirm your email address for Samspill"),
           lambda: _("Open this link to confirm your email address and start using the supplier "
                     "portal:\n\n%(link)s\n\nThe link is valid for three days.", link=link))


def verify_email(token: str) -> User:
    user = _user_from_token(token, "verify", VERIFY_MAX_AGE)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record("user.email_verified", "user", user.id)
    return user


def welcome_user(token: str, password: str) -> User:
    """A person added by their admin chooses a password; this also confirms the email."""
    user = _user_from_token(token, "welcome", WELCOME_MAX_AGE)
    identity.set_password(user, password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def check_welcome_token(token: str) -> User:
    return _user_from_token(token, "welcome", WELCOME_MAX_AGE)


# --- members -------------------------------------------------------------------------------

def list_members(context: SupplierContext | None = None) -> list[SupplierMember]:
    context = context or require_supplier()
    return list(db.session.execute(
        select(SupplierMember).where(SupplierMember.supplier_id == context.supplier_id)
        .order_by(SupplierMember.created_at, SupplierMember.id).limit(500)).scalars())


def add_member(email: str, role: str, name: str = "") -> SupplierMember:
    """A supplier admin adds a person; a new person gets a welcome link to choose a password."""
    context = require_supplier(admin=True)
    try:
        role_value = SupplierRole(role)
    except ValueError:
        raise ValidationError(_l("Unknown role."), errors={"role": [_l("Choose a role.")]}) from None
    email = identity.normalise_email(email)
    with isolation.system_scope():  # is the person already in any supplier organisation?
        user = identity.find_user_by_email(email)
        taken = user is not None and db.session.execute(
            select(SupplierMember.id).where(SupplierMember.user_id == user.id)).first()
    if taken:
        raise Conflict(_l("This person already belongs to a supplier organisation."),
                       errors={"email": [_l("Already belongs to a supplier organisation.")]})
    is_new = user is None or user.password_hash is None
    if user is None:
        user = identity.create_user(email, name=name)
    member = SupplierMember(supplier_id=context.supplier_id, user_id=user.id, role=role_value)
    db.session.add(member)
    db.session.flush()
    audit.record("supplier.member_added", "supplier", context.supplier_id,
                 changes={"after": {"email": email, "role": role_value.value}})
    link = (url_for("supplier.welcome", token=_token(user, "welcome"), _external=True) if is_new
            else url_for("supplier.index", _external=True))
    org_name = context.name
    notify([Recipient(user.email, user.locale)],
           lambda: _("You have been added to %(org)s in Samspill", org=org_name),
           lambda: _("%(org)s added you to its supplier account in Samspill. Open this link to "
                     "get started:\n\n%(link)s", org=org_name, link=link))
    return member


def _member(context: SupplierContext, member_id: uuid.UUID) -> SupplierMember:
    member = db.session.get(SupplierMember, member_id)
    if member is None or member.supplier_id != context.supplier_id:
        raise NotFound(_l("No such member."))
    return member


def _admin_count(supplier_id: uuid.UUID) -> int:
    return db.session.execute(select(func.count(SupplierMember.id)).where(
        SupplierMember.supplier_id == supplier_id, SupplierMember.role == SupplierRole.supplier_admin)).scalar_one()


def change_member_role(member_id: uuid.UUID, role: str) -> SupplierMember:
    context = require_supplier(admin=True)
    member = _member(context, member_id)
    try:
        new_role = SupplierRole(role)
    except ValueError:
        raise ValidationError(_l("Unknown role."), errors={"role": [_l("Choose a role.")]}) from None
    demoting = member.role == SupplierRole.supplier_admin and new_role != member.role
    if demoting and _admin_count(context.supplier_id) <= 1:
        raise Conflict(_l("The organisation needs at least one administrator."),
                       errors={"role": [_l("At least one administrator is needed.")]})
    before = member.role.value
    member.role = new_role
    audit.record("supplier.member_role_changed", "supplier", context.supplier_id,
                 changes=audit.diff({"role": before, "user": member.user.email},
                                    {"role": new_role.value, "user": member.user.email}))
    return member


def remove_member(member_id: uuid.UUID) -> None:
    context = require_supplier(admin=True)
    member = _member(context, member_id)
    if member.role == SupplierRole.supplier_admin and _admin_count(context.supplier_id) <= 1:
        raise Conflict(_l("The organisation needs at least one administrator."),
                       errors={"member": [_l("At least one administrator is needed.")]})
    audit.record("supplier.member_removed", "supplier", context.supplier_id,
                 changes={"before": {"email": member.user.email, "role": member.role.value}})
    db.session.delete(member)


def get_organisation(supplier_id: uuid.UUID) -> SupplierOrganisation:
    org = db.session.get(SupplierOrganisation, supplier_id)
    if org is None:
        raise NotFound(_l("No such supplier."))
    return org
