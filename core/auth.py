"""Who is asking: the request's principal, resolved once per request.

Web pages authenticate with the session cookie; the JSON API only with bearer tokens (so a
browser's cookies can never be used against the API). The principal's tenant memberships are
loaded once, and the request's tenant scope is set from them (see `core.isolation`).

The principal is read as plain rows in one statement (no ORM entity per request): its person
is a `Person` snapshot, its token `TokenFacts`, its memberships `TenantMembership`s that carry
their tenant's row. What needs an entity loads it on demand: `user_entity()` for the person
(to change it), `tenant_entity()` for a member tenant (entering a tenant page, no statement).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g, request, session
from flask.globals import _cv_app as _app_context
from sqlalchemy import Select, Uuid, and_, bindparam, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.util import identity_key

from core import isolation
from core.db import db
from core.errors import Unauthorized
from core.i18n import _l
from core.identity import service as identity
from core.identity.memberships import ROLE_RANK, Membership, Tenant, TenantRole
from core.identity.models import PERSON_FIELDS, TOKEN_FIELDS, Person, TokenFacts, User


@dataclass(frozen=True)
class TenantMembership:
    tenant_id: uuid.UUID
    slug: str
    name: str
    role: TenantRole
    language_form: str | None = None  # the municipality's målform (nb/nn), if it chose one
    # The tenant's row as read with the principal ({column key: value}), for `tenant_entity`.
    tenant_row: dict[str, Any] | None = field(default=None, repr=False, compare=False)


@dataclass
class Principal:
    """The person (and token) behind a request, with their tenant memberships. `user` is a
    read-only `Person` (id, email, name, locale, …, `display_name`); `user_entity()` loads the
    `User` to change it."""

    user: Person | None
    token: TokenFacts | None = None
    memberships: dict[uuid.UUID, TenantMembership] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    def role_in(self, tenant_id: uuid.UUID) -> TenantRole | None:
        membership = self.memberships.get(tenant_id)
        return membership.role if membership else None

    def has_role(self, tenant_id: uuid.UUID, minimum: TenantRole) -> bool:
        role = self.role_in(tenant_id)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]

    @property
    def tenant_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(self.memberships)


ANONYMOUS = Principal(user=None)


_NORWEGIAN_LAST = str.maketrans({"æ": "{", "ø": "|", "å": "}"})  # the three characters after "z"


def name_key(name: str) -> str:
    """Sort key for names in Norwegian alphabetical order (… x y z æ ø å), case-insensitive."""
    return name.casefold().translate(_NORWEGIAN_LAST)


@dataclass(frozen=True)
class PrincipalFact:
    """A fact about the person that comes with the principal's own query, e.g. the supplier
    organisation: `extend(stmt, user_id)` adds labelled columns and outer joins (at most one
    matching row per person, so the rows do not multiply); `read(row)` returns the fact for
    `principal.extra[key]`, or None. A fact about each membership (`per_membership`, e.g. the
    plugins each of the person's tenants enabled) adds columns correlated to `Membership` and
    is read from all the rows: `read(rows)`."""

    key: str
    extend: Callable[[Select, Any], Select]
    read: Callable[[Any], Any]
    per_membership: bool = False


@dataclass
class PrincipalSetup:
    """What the packages above add to every principal: facts resolved in the principal's own
    query (hook `samspill_principal_facts`, handed over by the app factory) and enrichers."""

    facts: list[PrincipalFact] = field(default_factory=list)
    enrichers: list[Callable[[Principal], None]] = field(default_factory=list)
    # The principal's two statements (session person, bearer token), built once per process
    # with bind parameters: building and cache-keying a statement anew cost ~6 % of an API read.
    statements: dict[str, Select] = field(default_factory=dict)


AUTH_KEY = "samspill.auth"


def _setup() -> PrincipalSetup:
    return current_app.extensions[AUTH_KEY]


def add_principal_fact(app: Flask, fact: PrincipalFact) -> None:
    """Add a fact to every principal, resolved in the principal's query."""
    app.extensions[AUTH_KEY].facts.append(fact)
    app.extensions[AUTH_KEY].statements.clear()


USER_ID_PARAM = "principal_user_id"
_USERS = User.__table__
_MEMBERSHIPS = Membership.__table__
_TENANTS = Tenant.__table__
_PERSON_COLUMNS = tuple(_USERS.c[name].label(f"person_{name}") for name in PERSON_FIELDS)
_PERSON = slice(0, len(PERSON_FIELDS))
_TOKEN = slice(len(PERSON_FIELDS), len(PERSON_FIELDS) + len(TOKEN_FIELDS))
_TENANT_KEYS = tuple(column.key for column in _TENANTS.c)
# The membership's columns: tenant id, role, then the tenant's row (NULLs when it is inactive).
_MEMBER_COLUMNS = (_MEMBERSHIPS.c.tenant_id, _MEMBERSHIPS.c.role,
                   *(column.label(f"member_tenant_{column.key}") for column in _TENANTS.c))


def _statement(kind: str) -> Select:
    """The principal statement of `kind` ("session": a person by id, parameter
    `principal_user_id`; "token": a token by digest), built on first use."""
    setup = _setup()
    stmt = setup.statements.get(kind)
    if stmt is None:
        if kind == "session":
            base = select(*_PERSON_COLUMNS).where(_USERS.c.id == bindparam(USER_ID_PARAM, type_=Uuid))
        else:
            base = identity.token_statement(_PERSON_COLUMNS)
        stmt = principal_query(base, _USERS.c.id)
        if db.engine.dialect.name == "postgresql":  # narrow the scope in the same round trip
            # Last, after every fact's columns, and no ORDER BY (see `narrowing_column`).
            stmt = stmt.add_columns(isolation.narrowing_column(_MEMBERSHIPS.c.tenant_id, _TENANTS.c.id.is_not(None)))
        setup.statements[kind] = stmt
    return stmt


def _principal_rows(kind: str, params: dict) -> list:
    """The rows of the principal statement of `kind`, plain rows run on the session's
    connection (no ORM entity). On PostgreSQL the statement also narrows the transaction's
    scope to the person's active tenants once it has read them (see
    `isolation.narrowing_column`), so the request's next statement needs no settings sent."""
    connection = db.session.connection()
    rows = connection.execute(_statement(kind), params).all()
    if rows and isolation.NARROWED_TO in rows[-1]._fields:  # no rows: nothing was set
        isolation.narrowed_to(connection, getattr(rows[-1], isolation.NARROWED_TO))
    return rows


def principal_query(stmt: Select, user_id) -> Select:
    """`stmt` (which finds one person, their `Person` columns first) plus a row per membership
    of theirs, with its tenant's row when the tenant is active, and the columns of every
    registered `PrincipalFact`.

    The principal is then resolved in one query: the person (or token and person), every tenant
    they belong to and facts such as their supplier organisation. A person without memberships
    gives one row with NULLs."""
    stmt = (
        stmt.add_columns(*_MEMBER_COLUMNS)
        .outerjoin(_MEMBERSHIPS, _MEMBERSHIPS.c.user_id == user_id)
        .outerjoin(_TENANTS, and_(_TENANTS.c.id == _MEMBERSHIPS.c.tenant_id, _TENANTS.c.is_active.is_(True)))
        .execution_options(include_all_tenants=True)
    )
    for fact in _setup().facts:
        stmt = fact.extend(stmt, user_id)
    return stmt


def _tenant_row(row) -> dict[str, Any] | None:
    """The membership's tenant row of a principal row ({column key: value}), None if inactive."""
    if row.member_tenant_id is None:
        return None
    return {key: getattr(row, f"member_tenant_{key}") for key in _TENANT_KEYS}


def memberships_from(rows) -> dict[uuid.UUID, TenantMembership]:
    """The memberships in the rows of a `principal_query`, in Norwegian alphabetical order."""
    found = [(row, tenant) for row in rows if (tenant := _tenant_row(row)) is not None]
    found.sort(key=lambda pair: (name_key(pair[1]["name"]), str(pair[0].tenant_id)))
    return {row.tenant_id: TenantMembership(row.tenant_id, tenant["slug"], tenant["name"], row.role,
                                            tenant["language_form"], tenant)
            for row, tenant in found}


def tenant_entity(membership: TenantMembership) -> Tenant:
    """The `Tenant` entity of one of the principal's memberships, from the row read with the
    principal (no statement): the session's own instance if it has one, else one built from
    that row and added to the session as if loaded."""
    session = db.session()
    found = session.identity_map.get(identity_key(Tenant, membership.tenant_id))
    if found is not None or membership.tenant_row is None:
        return found if found is not None else session.get(Tenant, membership.tenant_id)
    # As the ORM's loading makes an entity from a row (`procurement.access._as_loaded`): the
    # values in its `__dict__`, no constructor and no attribute events (about 90 Python calls).
    tenant = Tenant.__mapper__.class_manager.new_instance()
    instance_state(tenant).dict.update(membership.tenant_row)
    make_transient_to_detached(tenant)  # persistent and unchanged once added: nothing to flush
    session.add(tenant)
    return tenant


def user_entity(principal: Principal | None = None) -> User | None:
    """The `User` entity of the principal's person (loaded on demand: to change it)."""
    principal = principal or current_principal()
    return db.session.get(User, principal.user.id) if principal.user is not None else None


def principal_from(rows, token: TokenFacts | None = None) -> Principal:
    """The principal from the rows of a `principal_query` (there is at least one)."""
    person = token.user if token is not None else Person(*rows[0][_PERSON])
    principal = Principal(user=person, token=token, memberships=memberships_from(rows))
    for fact in _setup().facts:
        value = fact.read(rows if fact.per_membership else rows[0])
        if value is not None:
            principal.extra[fact.key] = value
    for enrich in _setup().enrichers:
        enrich(principal)
    return principal


def principal_for(user: User | None, token=None) -> Principal:
    """The principal of `user` (outside a request's own resolution: demo data, jobs, tests)."""
    if user is None:
        return ANONYMOUS
    base = select(*_PERSON_COLUMNS).where(_USERS.c.id == user.id)
    with isolation.system_scope():
        rows = db.session.connection().execute(principal_query(base, _USERS.c.id)).all()
    return principal_from(rows, token)


def add_principal_enricher(app: Flask, enrich) -> None:
    """Let a domain package add facts to every principal after it is resolved (a fact that needs
    a query should be a `PrincipalFact` instead, so it comes with the principal's query)."""
    app.extensions[AUTH_KEY].enrichers.append(enrich)


def current_principal() -> Principal:
    """The request's principal (`g.principal`), ANONYMOUS when none: read from Flask's context
    variable, without a proxy look-up (a dashboard asks about ten times)."""
    context = _app_context.get(None)
    if context is None:
        return g.get("principal") or ANONYMOUS  # Flask's error outside an app context, as before
    return context.g.__dict__.get("principal") or ANONYMOUS


def login_user(user: User | Person) -> None:
    """Start a fresh session for `user` (a new session id against fixation)."""
    locale = session.get("lang")
    session.clear()
    session["uid"] = str(user.id)
    session["gen"] = user.session_generation
    if locale:
        session["lang"] = locale
    session.permanent = True


def logout_user() -> None:
    locale = session.get("lang")
    session.clear()
    if locale:
        session["lang"] = locale


def _session_principal() -> Principal:
    """The signed-in person of the session cookie, with their memberships (one query)."""
    uid = session.get("uid")
    if not uid:
        return ANONYMOUS
    try:
        user_id = uuid.UUID(uid)
    except ValueError:
        return ANONYMOUS
    rows = _principal_rows("session", {USER_ID_PARAM: user_id})
    person = Person(*rows[0][_PERSON]) if rows else None
    if person is None or not person.is_active or session.get("gen") != person.session_generation:
        session.pop("uid", None)
        return ANONYMOUS
    return principal_from(rows)


def _token_principal(secret: str) -> Principal:
    """The person behind a bearer token, with their memberships (one query)."""
    rows = _principal_rows("token", {identity.TOKEN_DIGEST_PARAM: identity.token_digest(secret)})
    token = identity.check_token(TokenFacts(*rows[0][_TOKEN], Person(*rows[0][_PERSON])) if rows else None)
    return principal_from(rows, token)


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def resolve_principal() -> None:
    """before_request: resolve the principal and narrow the tenant scope to its tenants."""
    isolation.begin_request_scope()
    if request.endpoint in {"web.healthz", "web.readyz", "ops.metrics", "static"}:
        g.principal = ANONYMOUS
        return
    with isolation.system_scope():
        if request.path.startswith("/api/"):
            secret = _bearer_secret()
            if secret is None and request.headers.get("Authorization"):
                raise Unauthorized(_l("Use 'Authorization: Bearer <token>'."))
            principal = _token_principal(secret) if secret is not None else ANONYMOUS
        else:
            principal = _session_principal()
    g.principal = principal
    isolation.set_scope(principal.tenant_ids)


def init_app(app: Flask, facts: list[PrincipalFact] = ()) -> None:
    """Resolve the principal before each request, with the given facts (see `PrincipalSetup`)."""
    app.extensions[AUTH_KEY] = PrincipalSetup(facts=list(facts))
    app.before_request(resolve_principal)
    app.teardown_request(identity.flush_token_use)

    @app.context_processor
    def inject_principal():
        return {"principal": current_principal()}
