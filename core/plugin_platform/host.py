"""The plugin host: one pluggy `PluginManager` per app, for internal and third-party plugins.

The platform's own packages are internal plugins (`create_host(app, internal=...)`, always on,
never chosen per tenant; so are instance plugins from the entry-point group
`samspill.instance_plugins`, e.g. the benchmark harness). Third-party plugins are found in the
entry-point group `samspill.plugins` (first-party ones too). Each is loaded and registered on
its own, so a plugin that fails to import, declares a hook wrongly
or misspells one (`check_pending`) is reported with its name and left out, and the rest of
the platform runs on. Every hook implementation is wrapped in a guard: an exception in a
plugin's hook is logged and reported against that plugin and counts as "no answer", so one
plugin can never take other tenants' pages down. Operators block plugins with
`SAMSPILL_BLOCKED_PLUGINS` (`PluginManager.set_blocked`; blocked code is never imported).

Order (documented in docs/plugins.md): plugins are registered in reverse alphabetical order,
so pluggy's last-in-first-out rule calls them A→Z; `tryfirst`/`trylast` move a plugin to the
front or back; the core's own implementations are registered first and so run after every
plugin's; new-style wrappers (`wrapper=True`) surround the call.

Who is called: installed-scope hooks (schemas, blueprints, commands, migrations) for every
loaded plugin; tenant hooks for the plugins the tenant enabled (`subset_hook_caller`);
procurement hooks and events for the plugins the procurement's *lead* tenant enabled.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from typing import Any

import pluggy
from flask import Flask, current_app, g, has_app_context
from flask.globals import _cv_app

from core.db import utcnow
from core.errors import NotFound
from core.i18n import _l
from core.plugin_platform import contract, hookspecs, internal_hookspecs
from core.plugin_platform.guards import describe as _describe
from core.plugin_platform.guards import guard_call as _guard_call
from core.plugin_platform.guards import guard_wrapper as _guard_wrapper
from core.plugin_platform.models import PLUGIN_CHOICES_FACT, enabled_names

PROJECT = "samspill"
ENTRY_POINT_GROUP = "samspill.plugins"
INSTANCE_ENTRY_POINT_GROUP = "samspill.instance_plugins"
EXTENSION_KEY = "samspill.plugins"
log = logging.getLogger("samspill.plugins")


@dataclass
class Problem:
    """Something a plugin did wrong: failed import, invalid hook, or an exception in a hook."""

    kind: str  # "import" | "register" | "hook" | "page" | "content"
    message: str
    hook: str | None = None
    at: datetime = field(default_factory=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "hook": self.hook, "message": self.message,
                "at": self.at.isoformat()}


@dataclass
class InstalledPlugin:
    """One entry point of the group, whatever became of it."""

    name: str
    distribution: str | None = None
    version: str | None = None
    module: str | None = None
    status: str = "active"  # "active" | "failed" | "blocked"
    internal: bool = False
    contract: str | None = None  # the contract version the plugin declares it was built for
    problems: deque = field(default_factory=lambda: deque(maxlen=50))
    problem_count: int = 0

    @property
    def package(self) -> str | None:
        """The import package the plugin's code lives in (for OpenAPI names and pages)."""
        return self.module


class PluginHost:
    """The per-app plugin manager and what is known about each installed plugin."""

    def __init__(self, blocked: Iterable[str] = ()) -> None:
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.pm.add_hookspecs(internal_hookspecs)
        self.plugins: dict[str, InstalledPlugin] = {}
        self.blueprint_owners: dict[str, str] = {}  # blueprint name -> third-party plugin
        self._subset_cache: dict[tuple[str, frozenset[str]], Any] = {}
        self.unwritten: list[tuple[str, Problem]] = []  # for the table every process reads
        self.catalogue_folders: dict[str, str | None] = {}  # plugin -> its translations folder
        for name in blocked:
            self.pm.set_blocked(name)

    # --- loading ---------------------------------------------------------------------

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP, *, internal: bool = False) -> None:
        """Import and register every plugin of the entry-point group, each on its own."""
        found = sorted(metadata.entry_points(group=group), key=lambda ep: ep.name, reverse=True)
        for ep in found:
            dist = getattr(ep, "dist", None)
            info = InstalledPlugin(
                name=ep.name, distribution=dist.name if dist else None,
                version=dist.version if dist else None, module=ep.module)
            if ep.name in self.plugins:
                self.report(ep.name, "register",
                            f"Another plugin already uses the name {ep.name!r} ({ep.value}).")
                continue
            self.plugins[ep.name] = info
            if self.pm.is_blocked(ep.name):
                info.status = "blocked"
                continue
            try:
                obj = ep.load()
            except Exception as exc:  # a plugin's import error must not stop the platform
                info.status = "failed"
                self.report(ep.name, "import", _describe(exc), exc=exc)
                continue
            info.contract = contract.declared(obj)
            refused = None if internal else contract.refusal(obj)
            if refused:  # built for another contract: not registered, reported by name
                info.status = "failed"
                self.report(ep.name, "contract", refused)
                continue
            self.register(ep.name, obj, info=info, internal=internal)
        self.check_pending()

    def register(self, name: str, obj: Any, *, info: InstalledPlugin | None = None,
                 internal: bool = False) -> bool:
        """Register one plugin object under `name`; False (and reported) when it is invalid."""
        info = info or InstalledPlugin(name=name, module=getattr(obj, "__name__", None))
        info.internal = internal
        self.plugins[name] = info
        if self.pm.is_blocked(name):
            info.status = "blocked"
            return False
        try:
            self.pm.register(obj, name=name)
        except Exception as exc:  # PluginValidationError, or a bad object
            info.status = "failed"
            self.report(name, "register", _describe(exc), exc=exc)
            return False
        if any(impl.hookwrapper for c in self.pm.get_hookcallers(obj) or ()
               for impl in c.get_hookimpls() if impl.plugin is obj):
            self.pm.unregister(obj)
            info.status = "failed"
            self.report(name, "register", "Old-style hookwrapper=True is not supported; "
                        "use wrapper=True.")
            return False
        internal_used = sorted(c.name for c in self.pm.get_hookcallers(obj) or ()
                               if c.name in internal_hookspecs.INTERNAL_HOOKS)
        if internal_used and not internal:
            self.pm.unregister(obj)
            info.status = "failed"
            self.report(name, "register", f"Internal hooks are for the platform's own packages: "
                        f"{', '.join(internal_used)}.")
            return False
        self._guard(name, obj)
        self._subset_cache.clear()
        return True

    def unregister(self, name: str) -> None:
        """Take a plugin out again (tests that add a plugin object for a while)."""
        self.pm.unregister(name=name)
        self.plugins.pop(name, None)
        self._subset_cache.clear()

    def check_pending(self) -> None:
        """pluggy's check for hooks nobody specified (misspelt): report and drop the plugin."""
        while True:
            try:
                self.pm.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                name = self.pm.get_name(exc.plugin) or "?"
                self.pm.unregister(exc.plugin)
                self._subset_cache.clear()
                if name in self.plugins:
                    self.plugins[name].status = "failed"
                self.report(name, "register", f"{exc} (misspelt hook name?)")

    # --- problems --------------------------------------------------------------------

    def report(self, name: str, kind: str, message: str, *, hook: str | None = None,
               exc: BaseException | None = None) -> None:
        """Remember and log a plugin's problem under the plugin's name."""
        info = self.plugins.setdefault(name, InstalledPlugin(name=name, status="failed"))
        problem = Problem(kind, message, hook)
        info.problems.append(problem)
        info.problem_count += 1
        if len(self.unwritten) < 1000:  # written when the app context ends (problems.flush)
            self.unwritten.append((name, problem))
        where = f" in {hook}" if hook else ""
        log.error("plugin %s: %s problem%s: %s", name, kind, where, message,
                  exc_info=(type(exc), exc, exc.__traceback__) if exc else None)

    def _guard(self, name: str, obj: Any) -> None:
        for caller in self.pm.get_hookcallers(obj) or ():
            for impl in caller.get_hookimpls():
                if impl.plugin is obj and not getattr(impl.function, "_samspill_guarded", False):
                    guard = _guard_wrapper if impl.wrapper else _guard_call
                    impl.function = guard(self, name, caller.name, impl.function)

    # --- calling ---------------------------------------------------------------------

    @property
    def active(self) -> list[str]:
        """Names of loaded, unblocked plugins (not the core's internal ones), A→Z."""
        return sorted(n for n, p in self.plugins.items() if p.status == "active" and not p.internal)

    def hooks_of(self, name: str) -> list[str]:
        obj = self.pm.get_plugin(name)
        if obj is None:
            return []
        return sorted(c.name for c in self.pm.get_hookcallers(obj) or ())

    def caller(self, hook: str, enabled: Iterable[str] | None = None):
        """The hook caller for every active plugin (None) or only the `enabled` ones."""
        full = getattr(self.pm.hook, hook)
        if enabled is None:
            return full
        keep = frozenset(enabled)
        key = (hook, keep)
        cached = self._subset_cache.get(key)
        if cached is None:
            remove = [self.pm.get_plugin(n) for n in self.active if n not in keep]
            cached = self.pm.subset_hook_caller(hook, [p for p in remove if p is not None])
            if len(self._subset_cache) > 512:
                self._subset_cache.clear()
            self._subset_cache[key] = cached
        return cached

    def call(self, hook: str, enabled: Iterable[str] | None = None, **kwargs: Any) -> Any:
        """Call `hook` in the documented order for `enabled` plugins (None: all active)."""
        return self.caller(hook, enabled)(**kwargs)

    def call_each(self, hook: str, enabled: Iterable[str] | None = None,
                  failed: list[str] | None = None, **kwargs: Any) -> dict[str, Any]:
        """Call a hook once per plugin (in hook order), keyed by plugin name: every active
        plugin, or only the `enabled` ones (and the core's). Plugins whose implementation
        raised are appended to `failed` when given."""
        keep = None if enabled is None else frozenset(enabled)
        results: dict[str, Any] = {}
        for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):
            info = self.plugins.get(impl.plugin_name)
            if impl.wrapper or impl.hookwrapper or (
                    keep is not None and impl.plugin_name not in keep and not (info and info.internal)):
                continue
            before = info.problem_count if info else 0
            value = impl.function(*[kwargs[arg] for arg in impl.argnames])
            if failed is not None and info and info.problem_count > before:
                failed.append(impl.plugin_name)
            if value is not None:
                results[impl.plugin_name] = value
        return results

    def owner_of_module(self, module: str) -> str | None:
        """The plugin whose package holds `module` (used for OpenAPI schema names)."""
        best, best_length = None, -1
        for name, info in self.plugins.items():
            pkg = _package_of(info.module)
            inside = pkg and (module == pkg or module.startswith(pkg + "."))
            if inside and not info.internal and len(pkg) > best_length:
                best, best_length = name, len(pkg)
        return best


def _package_of(module: str | None) -> str | None:
    """A plugin's package: the entry point's module, or its parent when that is a module."""
    if not module:
        return None

    loaded = sys.modules.get(module)
    if loaded is not None and not hasattr(loaded, "__path__") and "." in module:
        return module.rsplit(".", 1)[0]
    return module


# --- the app's plugins ----------------------------------------------------------------


def create_host(app: Flask, internal: Iterable[tuple[str, Any]] = ()) -> PluginHost:
    """Build the app's plugin host (stored in `app.extensions`): the `internal` plugins (name,
    module) in that order, the instance plugins, then the third-party plugins."""
    host = PluginHost(blocked=app.config.get("SAMSPILL_BLOCKED_PLUGINS", ()))
    for name, module in reversed(list(internal)):  # pluggy calls the last registered first
        host.register(name, module, internal=True)
    host.load_entry_points(INSTANCE_ENTRY_POINT_GROUP, internal=True)
    host.load_entry_points(app.config.get("SAMSPILL_PLUGIN_ENTRY_POINT_GROUP", ENTRY_POINT_GROUP))
    app.extensions[EXTENSION_KEY] = host
    return host


def current_host() -> PluginHost:
    context = _cv_app.get(None)  # the app without a proxy look-up (every hook call asks)
    return (context.app if context is not None else current_app).extensions[EXTENSION_KEY]


ENABLED_CACHE_KEY = "samspill_enabled_plugins"  # g: the request's plugin choices per tenant


def chosen_by_tenant(tenant_id: uuid.UUID) -> frozenset[str]:
    """Every plugin `tenant_id` switched on, loaded or not (read once per request; the choices
    of the person's own tenants came with the principal, `PLUGIN_CHOICES_FACT`)."""
    cache = g.get(ENABLED_CACHE_KEY)
    if cache is None:
        principal = g.get("principal")
        known = principal.extra.get(PLUGIN_CHOICES_FACT.key) if principal is not None else None
        cache = dict(known or ())
        setattr(g, ENABLED_CACHE_KEY, cache)
    if tenant_id not in cache:
        cache[tenant_id] = frozenset(enabled_names(tenant_id))
    return cache[tenant_id]


def enabled_for_tenant(tenant_id: uuid.UUID) -> frozenset[str]:
    """The active plugins `tenant_id` enabled (blocked and failed ones left out)."""
    return chosen_by_tenant(tenant_id) & frozenset(current_host().active)


def forget_enabled_cache() -> None:
    """Read the choices again (a plugin was switched on or off in this request): an empty
    cache, so the principal's copy is not used again either."""
    if has_app_context():
        setattr(g, ENABLED_CACHE_KEY, {})


def require_procurement(procurement_id: uuid.UUID, action: str = "read") -> Any:
    """The caller's access to a procurement for `action` through the procurement package's
    check (hook `samspill_procurement_access`): 404 when unseen, 403 when not allowed."""
    check = current_host().call("samspill_procurement_access")
    if check is None:  # no procurement package in this app
        raise NotFound(_l("No such procurement."))
    return check(procurement_id, action)


def call_for_tenant(hook: str, tenant_id: uuid.UUID, **kwargs: Any) -> Any:
    """Call a tenant hook for the plugins `tenant_id` enabled (and the core's own)."""
    return current_host().call(hook, enabled_for_tenant(tenant_id), **kwargs)


def call_for_procurement(hook: str, procurement: Any, **kwargs: Any) -> Any:
    """Call a hook for the plugins the procurement's lead tenant enabled: the lead governs."""
    enabled = enabled_for_tenant(procurement.lead_tenant_id)
    return current_host().call(hook, enabled, procurement=procurement, **kwargs)


def emit(event: str, procurement: Any, **details: Any) -> None:
    """Tell the internal plugins and the lead tenant's enabled plugins about a lifecycle event of
    `procurement`, in one call of the event's hook.

    `event` is one of `procurement_created`, `phase_changed` (`from_phase`, `to_phase`),
    `artefact_published` (`artefact_type`, `artefact`) and `deadline_passed` (`deadline`,
    `artefact_type`, `artefact`); enum values are passed as their value. Call it inside the
    service's transaction after the change is flushed. A plugin's failure is reported (by its
    guard) and rolled back to a savepoint; it never undoes or blocks the change itself.
    """
    hook = hookspecs.EVENT_HOOKS.get(event)
    if hook is None:
        raise ValueError(f"Unknown plugin event {event!r}; one of {sorted(hookspecs.EVENT_HOOKS)}.")
    host = current_host()
    caller = host.caller(hook, enabled_for_tenant(procurement.lead_tenant_id))
    if set(details) != set(caller.spec.argnames) - {"procurement"}:
        raise TypeError(f"emit({event!r}) takes procurement and "
                        f"{sorted(set(caller.spec.argnames) - {'procurement'})}, got {sorted(details)}.")
    caller(procurement=procurement, **{k: getattr(v, "value", v) for k, v in details.items()})


DIALOGUE_KINDS = ("text", "choice", "multichoice", "attachment")


def questionnaire_questions(procurement: Any) -> list[dict[str, Any]]:
    """Suggested supplier-feedback questions for the procurement's domain from the plugins the
    lead enabled, shaped for the dialogue (`kind`, `text`, `options`, `required`, `source`)."""
    if not getattr(procurement, "domain", None):
        return []
    host = current_host()
    results = host.call_each("samspill_questionnaire_questions",
                             enabled=enabled_for_tenant(procurement.lead_tenant_id),
                             domain=procurement.domain)
    questions = []
    for plugin, items in results.items():
        for item in items if isinstance(items, list | tuple) else []:
            if not isinstance(item, dict) or not item.get("text"):
                continue
            kind = item.get("kind") if item.get("kind") in DIALOGUE_KINDS else "text"
            questions.append({"kind": kind, "text": str(item["text"]),
                              "options": [str(o) for o in item.get("choices") or item.get("options") or []],
                              "required": bool(item.get("required")), "source": plugin,
                              "key": item.get("key")})
    return questions
