"""The isolation matrix: every route that names a tenant or an object answers 404 to outsiders.

The test walks EVERY rule in `app.url_map`. Each rule with URL variables (a tenant `slug`,
object ids `..._id`, tokens, ...) is requested, with every method it allows, by an admin of
another tenant (tenant B) using objects owned by tenant A — by session cookie for pages, by
bearer token under /api/. The answer must be 404: not 200, not 403 (which would confirm the
object exists), not 500. Rules under /t/<slug>/ are tried twice: with A's slug, and with B's
own slug around A's object ids (the case a forgotten object check would let through).

A positive control asks the same GET as A's admin and expects anything but 404, so a factory
that builds the wrong kind of object cannot make a rule pass by accident.

New routes join automatically. A URL variable nobody taught the matrix makes the test FAIL:
add a factory below, one line:

    FACTORIES["need_id"] = lambda w: str(make_need(w["procurement_id"]))

A factory gets the `World` (tenant A, its admin `w.owner`, `w[...]` for other variables,
`with w.as_owner():` to call services as A's admin) and returns the URL value for an object
owned by tenant A. Routes that are public on purpose go in `PUBLIC` with the reason.
"""

from __future__ import annotations

import io
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import g

from core import create_app, isolation
from core.db import db
from tests.award.matrix_factories import register as register_award_variables
from tests.benefits.matrix_factories import register as register_benefits_variables
from tests.competition.matrix_factories import register as register_competition_variables
from tests.conftest import bearer
from tests.dialogue.matrix_factories import register as register_dialogue_variables
from tests.publication.matrix_factories import register as register_publication_variables

# --- what is public on purpose (endpoint -> why) -------------------------------------------

PUBLIC: dict[str, str] = {
    "static": "the app's own CSS and JavaScript",
    "api_docs.asset": "Swagger UI files for the API documentation",
    "oidc.oidc_login": "starting single sign-on must work before anyone is signed in",
    "oidc.oidc_callback": "the identity provider returns here before anyone is signed in",
    "identity.invitation": "the link token is the capability; accepting someone else's "
                           "invitation is refused (test_invitations.py)",
}

# --- factories: URL variable -> value for an object of tenant A ----------------------------

Factory = Callable[["World"], Any]
FACTORIES: dict[str, Factory] = {}


def factory(*names: str) -> Callable[[Factory], Factory]:
    """Register a factory for URL variable names; "blueprint:name" or "endpoint:name" scopes one
    to some routes, where two domains use the same variable name for different objects."""

    def register(func: Factory) -> Factory:
        for name in names:
            FACTORIES[name] = func
        return func

    return register


@factory("slug")
def _tenant_a(w: World) -> str:
    """Tenant A, with every installed plugin enabled (plugin pages answer 404 elsewhere)."""
    from core.plugin_platform import state as plugins
    from core.plugin_platform.host import current_host
    from tenants import service as tenants

    with w.as_owner():
        for name in current_host().active:
            plugins.set_enabled(tenants.get_tenant(w.tenant_a.slug), name, True)
        db.session.commit()
    return w.tenant_a.slug


# URL variables naming something global (the same in every tenant), not an object of tenant A:
# a rule whose other variables are all global is tried with tenant A's slug only.
GLOBAL_VARIABLES: dict[str, str] = {
    "name": "an installed plugin's name (/admin/plugins/<name>)",
    "ref": "a reference in a plugin's requirement library",
}
def factory_key(endpoint: str, name: str) -> str | None:
    """The factory for a variable of a route: endpoint-scoped, else blueprint-scoped, else plain."""
    blueprint = endpoint.rsplit(".", 1)[0]
    return next((key for key in (f"{endpoint}:{name}", f"{blueprint}:{name}", name) if key in FACTORIES), None)


FACTORIES["name"] = lambda w: "welfare_tech"
FACTORIES["namespace"] = lambda w: "welfare_tech"  # a plugin's extension data on an A object
FACTORIES["ref"] = lambda w: "WT-FUN-01"


@factory("membership_id")
def _membership(w: World) -> str:
    from tenants.models import Membership

    person = w.person("member@a.example.no", w.tenant_a, "member")
    with w.as_owner():
        return str(db.session.execute(
            db.select(Membership.id).where(Membership.user_id == person)).scalar_one())


@factory("token_id")
def _api_token(w: World) -> str:
    from core.identity import service as identity
    from core.identity.models import User

    with w.as_owner():
        issued = identity.create_token(db.session.get(User, w.owner), "owner's token")
        db.session.commit()
        return str(issued.token.id)


@factory("procurement_id")
def _procurement(w: World) -> str:
    from core.procurement import service as procurements
    from tenants.models import Tenant

    with w.as_owner():
        procurement = procurements.create_procurement(
            db.session.get(Tenant, w.tenant_a.id), title="Tenant A's procurement")
        db.session.commit()
        return str(procurement.id)


@factory("export_id")
def _export(w: World) -> str:
    """A done export of tenant A's procurement, asked for by A's owner."""
    from core import files
    from core.exports.models import Export

    pid = uuid.UUID(w["procurement_id"])
    with w.app.app_context(), isolation.system_scope():
        export_id = uuid.uuid4()
        key = f"procurements/{pid}/exports/{export_id}.xlsx"
        files.file_store().save(key, io.BytesIO(b"stand-in workbook"))
        db.session.add(Export(id=export_id, procurement_id=pid, requested_by_id=w.owner, kind="requirements",
                              params={}, status="done", file_key=key, filename="krav.xlsx",
                              content_type="application/octet-stream", size=17))
        db.session.commit()
        return str(export_id)


@factory("need_id")
def _need(w: World) -> str:
    from core.procurement import needs

    procurement_id = uuid.UUID(w["procurement_id"])
    with w.as_owner():
        need = needs.add_need(procurement_id, {"statement": "Tenant A's need", "source": "interview"})
        db.session.commit()
        return str(need.id)


@factory("requirement_id")
def _requirement(w: World) -> str:
    from core.specification import requirements

    procurement_id = uuid.UUID(w["procurement_id"])
    need_id = uuid.UUID(w["need_id"])
    with w.as_owner():
        requirement = requirements.create_requirement(procurement_id, {
            "text": "Tenant A's requirement", "kind": "absolute", "needs": [need_id]})
        db.session.commit()
        return str(requirement.id)


@factory("lot_id")
def _lot(w: World) -> str:
    from core.specification import lots

    procurement_id = uuid.UUID(w["procurement_id"])
    with w.as_owner():
        lot = lots.add_lot(procurement_id, "Tenant A's lot", "")[0]
        db.session.commit()
        return str(lot.id)


@factory("procurement_needs:attachment_id", "procurement_group_api:attachment_id")
def _attachment(w: World) -> str:
    """A procurement attachment (the dialogue's files use the same variable name)."""
    import io

    from core.procurement import attachments

    procurement_id = uuid.UUID(w["procurement_id"])
    with w.as_owner():
        attachment = attachments.upload(procurement_id, io.BytesIO(b"Tenant A's evidence\n"), "evidence.txt")
        db.session.commit()
        return str(attachment.id)


@factory("template_id", "version_id")
def _private_template(w: World) -> str:
    """A private template of tenant A (open ones are meant for every tenant); sets both ids."""
    from core.library import service as library
    from core.library.models import FORMAT
    from tenants.models import Tenant

    with w.as_owner():
        version = library.create_template(db.session.get(Tenant, w.tenant_a.id), {
            "format": FORMAT, "key": "tenant-a-private", "title": "Tenant A's private template"})
        db.session.commit()
        w._values["template_id"], w._values["version_id"] = str(version.template_id), str(version.id)
    return w._values[w.current]


@factory("lesson_id")
def _lesson(w: World) -> str:
    from core.library import lessons

    procurement_id = uuid.UUID(w["procurement_id"])
    with w.as_owner():
        lesson = lessons.add_to_procurement(procurement_id, "Tenant A's lesson", "What we learned.")
        db.session.commit()
        return str(lesson.id)


# --- requests for write routes whose input checks refuse an empty body ---------------------
# endpoint -> keyword arguments for the test client (json=..., data=..., content_type=...), or
# a function returning them (for file streams). Usually not needed: a refused API write is
# retried with a body built from the OpenAPI document (`example_body`), and a 428 with
# `If-Match: *`. Needed for bodies the document does not describe, e.g. a multipart upload:
#   BODY_EXAMPLES["x_api.Upload"] = lambda: {"data": {"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")}}

BODY_EXAMPLES: dict[str, Any] = {
    "dialogue_api.ConferencePresentations": lambda: {  # json=None: a multipart body instead of the JSON one
        "json": None, "data": {"file": (io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), "slides.pdf")},
        "content_type": "multipart/form-data"},
}

# Routes whose object every tenant may read by design (e.g. lessons learned): endpoint -> why.
# Outsiders may GET them (200); every other method must still answer 403 or 404.
SHARED_BY_DESIGN: dict[str, str] = {
    "arena.lesson": "lessons learned are visible to all tenants (product.md)",
    "library_api.LessonResource": "lessons learned are visible to all tenants (product.md)",
}

# GET routes whose owner is not tenant A's admin (e.g. a supplier's own page): endpoint -> why.
OWNER_CONTROL_SKIP: dict[str, str] = {}


# --- the world: tenant A owns things, tenant B's admin tries to reach them -----------------

class TenantRef(dict):
    """id and slug of a tenant (no live ORM object crosses app contexts)."""

    __getattr__ = dict.__getitem__


class World:
    def __init__(self, app):
        self.app = app
        self.tenant_a = self._tenant("tenant-a")
        self.tenant_b = self._tenant("tenant-b")
        self.owner = self.person("admin@a.example.no", self.tenant_a, "admin")
        self.outsider = self.person("admin@b.example.no", self.tenant_b, "admin")
        self._values: dict[str, Any] = {}

    def _tenant(self, slug: str) -> TenantRef:
        from tenants import service

        with self.app.app_context():
            tenant = service.create_tenant(slug, slug.title())
            db.session.commit()
            return TenantRef(id=tenant.id, slug=tenant.slug)

    def person(self, email: str, tenant: TenantRef, role: str) -> uuid.UUID:
        """A person (no password: the matrix signs in by session) with a role in `tenant`."""
        from core.identity import service as identity
        from tenants import service

        with self.app.app_context():
            user = identity.create_user(email)
            service.add_member(service.get_tenant(tenant.slug), user, role)
            db.session.commit()
            return user.id

    def value(self, endpoint: str, name: str) -> Any:
        """The value of a route's URL variable (see `factory_key`)."""
        return self[factory_key(endpoint, name) or name]

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            if name not in FACTORIES:
                pytest.fail(
                    f"The isolation matrix does not know the URL variable '{name}'. Add a factory "
                    f"to tests/foundation/test_isolation_matrix.py that returns a value for an "
                    f"object of tenant A, e.g. FACTORIES['{name}'] = lambda w: ...", pytrace=False)
            self.current = name  # a factory making several objects sets self._values itself
            self._values[name] = FACTORIES[name](self)
        return self._values[name]

    @contextmanager
    def as_owner(self) -> Iterator[None]:
        """A request context acting as tenant A's admin inside tenant A (to call services)."""
        from core.auth import principal_for
        from core.identity.models import User

        with self.app.test_request_context():
            g.principal = principal_for(db.session.get(User, self.owner))
            isolation.set_scope({self.tenant_a.id}, stamp_tenant_id=self.tenant_a.id)
            yield

    def client_for(self, user_id: uuid.UUID, api: bool):
        """(test client, headers) acting as the person: bearer token for the API, else session."""
        from core.identity import service as identity
        from core.identity.models import User

        client = self.app.test_client()
        with self.app.app_context():
            user = db.session.get(User, user_id)
            if api:
                secret = identity.create_token(user, "matrix").secret
                db.session.commit()
                return client, bearer(secret)
            generation = user.session_generation
        with client.session_transaction() as session:  # what core.auth.login_user stores
            session["uid"], session["gen"] = str(user_id), generation
        return client, {}


# --- the rules ----------------------------------------------------------------------------

def _all_rules():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "matrix",
                      "INSTANCE_PATH": tempfile.mkdtemp(prefix="samspill-matrix-")})
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


ALL_RULES = _all_rules()
register_dialogue_variables(globals())  # questions, questionnaires, slots, files, supplier members
register_competition_variables(globals())  # tenders and their files
register_publication_variables(globals())  # notices; public pages and OCDS of published procurements
register_award_variables(globals())  # contracts
register_benefits_variables(globals())  # contract follow-up meetings and deviations
MATRIX_RULES = [r for r in ALL_RULES if r.arguments and r.endpoint not in PUBLIC]
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _live_rule(app, template):
    for rule in app.url_map.iter_rules():
        if rule.rule == template.rule and rule.endpoint == template.endpoint:
            return rule
    raise AssertionError(f"{template.rule} is not in this app")


def _spec_path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def example_body(app, rule, method: str) -> dict[str, Any] | None:
    """A minimal valid JSON body for an API write, built from the OpenAPI request schema."""
    spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operation = spec.get("paths", {}).get(_spec_path(rule), {}).get(method.lower(), {})
    schema = (operation.get("requestBody", {}).get("content", {})
              .get("application/json", {}).get("schema"))
    return _example(schema, spec) if schema else None


def _example(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _example(spec["components"]["schemas"][name], spec)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            return _example(schema[combined][0], spec)
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: _example(props[k], spec) for k in schema.get("required", []) if k in props}
    if kind == "array":
        return [_example(schema["items"], spec) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "date-time":
        return "2030-01-01T12:00:00+00:00"
    if fmt == "date":
        return "2030-01-01"
    if fmt == "email":
        return "someone@example.no"
    if fmt in ("uri", "url"):
        return "https://example.no/"
    return "x" * max(1, schema.get("minLength", 1))


def _request(client, headers, rule, method: str, url: str, app):
    """The outsider's request, retried until it gets past input checks to the access check."""
    kwargs: dict[str, Any] = {"headers": dict(headers)}
    is_api = rule.rule.startswith("/api/")
    writes = method in ("POST", "PUT", "PATCH")
    if writes:
        kwargs.update({"json": {}} if is_api else {"data": {}})
    example = BODY_EXAMPLES.get(rule.endpoint)
    if example is not None:
        kwargs.update(example() if callable(example) else example)
    response = client.open(url, method=method, **kwargs)
    built = example is not None or not (is_api and writes)
    for _ in range(2):
        if response.status_code == 428 and "If-Match" not in kwargs["headers"]:
            kwargs["headers"]["If-Match"] = "*"  # "any current version": the caller can't know it
        elif response.status_code in (400, 422) and not built:
            built = True
            body = example_body(app, rule, method)
            if body is None:
                break
            kwargs["json"] = body
        else:
            break
        response = client.open(url, method=method, **kwargs)
    return response


def _describe(response) -> str:
    return f"{response.status_code} {response.get_data(as_text=True)[:300]!r}"


@pytest.mark.parametrize("template", MATRIX_RULES, ids=lambda r: f"{r.endpoint}:{r.rule}")
def test_outsider_gets_404(app, template):
    rule = _live_rule(app, template)
    world = World(app)
    values = {name: world.value(rule.endpoint, name) for name in sorted(rule.arguments)}
    is_api = rule.rule.startswith("/api/")
    outsider, outsider_headers = world.client_for(world.outsider, is_api)
    variants = [("tenant A's URL", values)]
    if "slug" in rule.arguments and set(rule.arguments) - {"slug"} - set(GLOBAL_VARIABLES):
        variants.append(("tenant B's URL around tenant A's objects",
                         {**values, "slug": world.tenant_b.slug}))
    methods = [m for m in METHODS if m in rule.methods]
    failures = []
    for label, url_values in variants:
        url = rule.build(url_values)[1]
        for method in methods:
            response = _request(outsider, outsider_headers, rule, method, url, app)
            allowed = {404}
            if rule.endpoint in SHARED_BY_DESIGN:
                allowed = {200} if method == "GET" else {403, 404}
            if response.status_code not in allowed:
                failures.append(f"{method} {url} ({label}) as tenant B's admin: {_describe(response)}")
            elif is_api and response.status_code >= 400:
                assert response.mimetype == "application/problem+json", url
    assert not failures, "Outsiders must get 404 (see SHARED_BY_DESIGN):\n" + "\n".join(failures)

    if "GET" in methods and rule.endpoint not in OWNER_CONTROL_SKIP:
        owner, owner_headers = world.client_for(world.owner, is_api)
        url = rule.build(values)[1]
        response = owner.get(url, headers=owner_headers)
        assert response.status_code != 404 and response.status_code < 500, (
            f"Positive control: GET {url} as tenant A's admin answered {_describe(response)}. "
            f"Fix the factory for {sorted(rule.arguments)} or list {rule.endpoint} in "
            f"OWNER_CONTROL_SKIP with the reason.")


def test_matrix_covers_the_tenant_and_object_routes():
    """Guards the discovery itself: known routes are in the matrix, public ones are real."""
    endpoints = {r.endpoint for r in MATRIX_RULES}
    assert {"tenant.dashboard", "tenant.members", "tenant.change_role", "tenant.remove_member",
            "tenant.sign_in_settings", "tenant.audit_log", "identity.revoke_token"} <= endpoints
    known = {r.endpoint for r in ALL_RULES}
    stale = sorted((set(PUBLIC) | set(SHARED_BY_DESIGN) | set(BODY_EXAMPLES) | set(OWNER_CONTROL_SKIP)) - known)
    assert not stale, f"The matrix lists endpoints that no longer exist: {stale}"
    for rule in ALL_RULES:
        if rule.endpoint not in PUBLIC:
            for name in rule.arguments:
                assert factory_key(rule.endpoint, name), (
                    f"{rule.rule} uses the URL variable '{name}' that the isolation matrix has no "
                    f"factory for; add FACTORIES['{name}'] in {__name__}")


def test_a_member_of_both_tenants_reaches_both(app):
    """Control for the whole matrix: the same URLs work for someone who belongs to tenant A."""
    world = World(app)
    client, _ = world.client_for(world.outsider, api=False)
    from core.identity.models import User
    from tenants import service

    with app.app_context():
        service.add_member(service.get_tenant("tenant-a"), db.session.get(User, world.outsider), "admin")
        db.session.commit()
    assert client.get("/t/tenant-a/").status_code == 200
    assert client.get("/t/tenant-a/admin/members").status_code == 200


def test_bodies_built_from_the_openapi_document_are_accepted(app, make):
    """The matrix retries refused writes with `example_body`; prove such a body passes validation."""
    rule = next(r for r in app.url_map.iter_rules() if r.rule == "/api/v1/me/tokens")
    body = example_body(app, rule, "POST")
    assert body == {"name": "x"}
    person = make.user("someone@example.no")
    response = app.test_client().post("/api/v1/me/tokens", json=body, headers=bearer(make.token(person)))
    assert response.status_code == 201, response.get_data(as_text=True)
