"""Rules for people and credentials: passwords, sign-in checks and personal API tokens.

Passwords are hashed with Argon2id at argon2-cffi's defaults (RFC 9106's low-memory profile:
64 MiB, 3 passes). A test suite that signs thousands of people in sets
`SAMSPILL_INSECURE_PASSWORD_HASHING_FOR_TESTS=1` before this module is imported, and gets the
library's cheapest parameters (`argon2.profiles.CHEAPEST`); the name says why no instance
may set it. A hash records its own parameters, so either kind verifies under both.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, has_request_context
from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.orm import joinedload

from core import audit
from core.db import db, utcnow
from core.errors import Conflict, NotFound, Unauthorized, ValidationError
from core.i18n import _l
from core.identity.models import TOKEN_FIELDS, ApiToken, Person, TokenFacts, User

_hasher = (PasswordHasher.from_parameters(profiles.CHEAPEST)
           if os.environ.get("SAMSPILL_INSECURE_PASSWORD_HASHING_FOR_TESTS") == "1" else PasswordHasher())
_DUMMY_HASH = _hasher.hash("samspill-timing-equaliser")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "ssp_"  # noqa: S105 - a public prefix, not a secret


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise ValidationError(_l("Invalid email address."), errors={"email": [_l("Enter a valid email address.")]})
    return email


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            errors={"password": [_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]},
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def display_names(user_ids) -> dict[uuid.UUID, str]:
    """{user id: the person's name} for records people read, in one query; a person who
    never gave a name is shown by their email address (a record must say who acted)."""
    ids = [i for i in set(user_ids) if i is not None]
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.name, User.email).where(User.id.in_(ids))).all()
    return {row.id: row.name or row.email for row in rows}


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def create_user(email: str, *, name: str = "", password: str | None = None) -> User:
    """A new person; the email must be unused."""
    email = normalise_email(email)
    if find_user_by_email(email):
        raise Conflict(_l("A person with the email %(email)s already exists.", email=email),
                       errors={"email": [_l("That email address is already in use.")]})
    user = User(email=email, name=(name or "").strip()[:200])
    if password is not None:
        check_password_strength(password)
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", "user", user.id, changes={"after": {"email": email}})
    return user


def get_or_create_user(email: str, *, name: str = "") -> User:
    return find_user_by_email(email) or create_user(email, name=name)


def authenticate(email: str, password: str) -> User | None:
    """The active person with this email and password, or None (same cost either way)."""
    user = find_user_by_email(email or "")
    if user is None or not user.password_hash or not user.is_active:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password or "x")  # same cost as a real check
        return None
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password; every other session of the person ends."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    user.session_generation += 1
    audit.record("user.password_set", "user", user.id)


def change_password(user: User, current: str, new: str) -> None:
    if not user.password_hash or authenticate(user.email, current) is None:
        raise ValidationError(
            _l("The current password is wrong."), errors={"current_password": [_l("The password is wrong.")]}
        )
    set_password(user, new)


# --- personal API tokens -----------------------------------------------------------------

def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class IssuedToken:
    token: ApiToken
    secret: str


def create_token(user: User | Person, name: str = "API", expires_in_days: int | None = None) -> IssuedToken:
    """A new random token; the secret is returned once and only its digest is kept."""
    name = (name or "").strip() or "API"
    if len(name) > 100:
        raise ValidationError(_l("The name is too long."), errors={"name": [_l("At most 100 characters.")]})
    days = expires_in_days if expires_in_days is not None else current_app.config["SAMSPILL_TOKEN_DEFAULT_DAYS"]
    if not isinstance(days, int) or days < 1 or days > 366:
        raise ValidationError(_l("A token lives 1 to 366 days."), errors={"expires_in_days": [_l("1 to 366 days.")]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:10],
        digest=_digest(secret),
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record("token.created", "api_token", token.id, changes={"after": {"name": name, "user": user.email}})
    return IssuedToken(token, secret)


TOKEN_DIGEST_PARAM = "token_digest"  # noqa: S105 - a bind parameter name, not a secret


def token_digest(secret: str) -> str:
    """The stored digest of a bearer secret (refuses malformed secrets)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        raise Unauthorized(_l("The token is not valid."))
    return _digest(secret)


def token_statement(person_columns) -> Select:
    """The statement that finds a token by digest (parameter `token_digest`) with its person:
    plain columns, `person_columns` (the person's, first), then the token's (`TOKEN_FIELDS`).

    Built once per process by `core.auth`, which adds the person's memberships to it, so a
    request resolves its principal in one query; `check_token` then applies the rules."""
    tokens, users = ApiToken.__table__, User.__table__
    return (select(*person_columns, *(tokens.c[name].label(f"token_{name}") for name in TOKEN_FIELDS))
            .select_from(tokens.join(users, users.c.id == tokens.c.user_id))
            .where(tokens.c.digest == bindparam(TOKEN_DIGEST_PARAM, type_=tokens.c.digest.type)))


def token_query(secret: str) -> Select:
    """The statement that finds a bearer secret's token with its person (refuses malformed secrets)."""
    digest = token_digest(secret)
    return select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.digest == digest)


def check_token(token: ApiToken | TokenFacts | None) -> ApiToken | TokenFacts:
    """The token (an `ApiToken` or the principal's `TokenFacts`) if it is live: expired, revoked
    or unknown tokens (and inactive people) are refused."""
    if token is None:
        raise Unauthorized(_l("The token is not valid."))
    now = utcnow()
    if token.revoked_at is not None:
        raise Unauthorized(_l("The token has been revoked."))
    if token.expires_at is not None and token.expires_at <= now:
        raise Unauthorized(_l("The token has expired."))
    if not token.user.is_active:
        raise Unauthorized(_l("The token is not valid."))
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_INTERVAL:
        _note_token_use(token.id, now)
    return token


def resolve_token(secret: str) -> ApiToken:
    """The live token for a bearer secret (with its person, in one query)."""
    return check_token(db.session.execute(token_query(secret)).scalar_one_or_none())


TOKEN_USE_INTERVAL = timedelta(minutes=5)  # throttled, so reads don't write on every request


def _note_token_use(token_id: uuid.UUID, now: datetime) -> None:
    """Record the token's use once the request is over, in a short transaction of its own.

    Read requests never commit theirs, and an UPDATE in the request's own transaction would hold
    the token's row lock until the request ends, queueing every other request with that token.
    Outside a request (CLI, tests calling the service) it is written straight away.
    """
    if has_request_context():
        g.token_use = (token_id, now)
    else:
        record_token_use(token_id, now)


def record_token_use(token_id: uuid.UUID, now: datetime) -> None:
    """`last_used_at = now` unless another request recorded a use within the interval."""
    table = ApiToken.__table__
    with db.engine.begin() as connection:
        connection.execute(update(table).where(
            table.c.id == token_id,
            or_(table.c.last_used_at.is_(None), table.c.last_used_at < now - TOKEN_USE_INTERVAL),
        ).values(last_used_at=now))


def flush_token_use(_exc: BaseException | None = None) -> None:
    """teardown_request: write the use `resolve_token` noted, after the request's transaction."""
    noted = g.pop("token_use", None)
    if noted is None:
        return
    db.session.rollback()  # end the request's (read) transaction first; views commit their writes
    try:
        record_token_use(*noted)
    except Exception:  # a lost "last used" time must never fail a request that has been answered
        current_app.logger.exception("could not record the API token's last use")


def list_tokens(user: User | Person) -> list[ApiToken]:
    return list(db.session.execute(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc()).limit(100)
    ).scalars())


def revoke_token(user: User | Person, token_id: uuid.UUID) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_l("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("token.revoked", "api_token", token.id)
    return token


def count_users() -> int:
    return db.session.execute(select(func.count(User.id))).scalar_one()


def is_expired(moment: datetime | None) -> bool:
    return moment is not None and moment <= utcnow()
