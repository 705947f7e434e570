"""docs/plugins.md documents every hook in core/hookspecs.py: its signature, what it returns
and an example. An undocumented (or no longer existing) hook fails this test."""

from __future__ import annotations

import inspect
import re
import types
from pathlib import Path

import pluggy

from core.plugin_platform import hookspecs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
HEADING = re.compile(r"^### `(samspill_\w+)\((.*?)\)`\s*$", re.M)


def hook_signatures(specs) -> dict[str, str]:
    """Hook name -> its argument list, from a module or namespace of hookspecs."""
    marker = pluggy.HookspecMarker("samspill")
    result = {}
    for name in dir(specs):
        func = getattr(specs, name)
        if name.startswith("samspill_") and callable(func) and hasattr(func, marker.project_name + "_spec"):
            result[name] = ", ".join(inspect.signature(func).parameters)
    return result


def hook_reference_problems(doc: str, specs) -> list[str]:
    """What is wrong with the hook reference `doc` for the hooks in `specs` (empty: fine)."""
    problems = []
    sections = {m.group(1): (m.group(2), m.end()) for m in HEADING.finditer(doc)}
    starts = sorted(end for _args, end in sections.values())
    for name, args in hook_signatures(specs).items():
        if name not in sections:
            problems.append(f"{name} is not documented in docs/plugins.md")
            continue
        documented, start = sections[name]
        if documented != args:
            problems.append(f"{name}: documented as ({documented}), code says ({args})")
        end = next((s for s in starts if s > start), len(doc))
        body = doc[start:end]
        for needed in ("**Arguments:**", "**Returns:**", "```python", "@hookimpl"):
            if needed not in body:
                problems.append(f"{name}: section lacks {needed}")
    for name in sections:
        if name not in hook_signatures(specs):
            problems.append(f"{name} is documented but is not a hook")
    return problems


def test_every_hook_is_documented_with_signature_return_value_and_example():
    assert hook_reference_problems(DOCS.read_text(), hookspecs) == []


def test_an_undocumented_hook_is_caught():
    marker = pluggy.HookspecMarker("samspill")
    extended = types.SimpleNamespace(**{n: getattr(hookspecs, n) for n in dir(hookspecs)
                                        if n.startswith("samspill_")})

    @marker
    def samspill_brand_new_hook(tenant):
        """A hook somebody added without documenting it."""

    extended.samspill_brand_new_hook = samspill_brand_new_hook
    assert hook_reference_problems(DOCS.read_text(), extended) == [
        "samspill_brand_new_hook is not documented in docs/plugins.md"]


def test_a_changed_signature_or_missing_example_is_caught():
    doc = DOCS.read_text().replace("### `samspill_gate_items(procurement, phase)`",
                                   "### `samspill_gate_items(procurement)`")
    assert hook_reference_problems(doc, hookspecs) == [
        "samspill_gate_items: documented as (procurement), code says (procurement, phase)"]
    start = doc.index("### `samspill_domains()`")
    end = doc.index("### `samspill_templates(domain)`")
    without_example = doc[:start] + "### `samspill_domains()`\n\nNo example.\n\n" + doc[end:]
    problems = hook_reference_problems(without_example, hookspecs)
    assert "samspill_domains: section lacks ```python" in problems
