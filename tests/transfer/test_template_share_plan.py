"""The templates' read policy looks the caller's shares up once per statement (migration
0029_shares, decision 212): the share condition is `id = ANY` of an InitPlan
(`samspill_templates_shared_with_scope()`), not a subplan that reads every row of
`template_shares` and checks the shares' own policy on each. PostgreSQL only (the policy is
row-level security); the plan is the dashboard's packages statement's generic plan, the one the
app's prepared statement uses."""

from __future__ import annotations

import re

from core import isolation
from core.transfer.dashboard import DASHBOARD_PACKAGES, packages_statement
from tests.conftest import ONLY_POSTGRES_RLS
from tests.plans import statement_plan

pytestmark = ONLY_POSTGRES_RLS


def test_the_packages_statement_reads_only_the_callers_shares(app, make):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    values = {"visibility_1": "all", "tenant_ids": f"{{{tenant.id}}}", "package_limit": DASHBOARD_PACKAGES}
    with app.app_context(), isolation.system_scope():
        plan = statement_plan(packages_statement("postgresql"), values)
    share_scans = [re.sub(r"\s+\(cost=.*", "", line).strip() for line in plan.splitlines()
                   if re.search(r"(Scan|Scan using \w+) on template_shares\b", line)]
    # Only the statement's own visibility clause (the caller's tenants, a bound list) reads shares,
    # from the (tenant_id, template_id) index; the policy's lookup is an InitPlan's array.
    assert len(share_scans) == 1, plan
    assert "ix_template_shares_tenant" in plan and "Seq Scan on template_shares" not in plan, plan
    assert re.search(r"InitPlan \d+ \(returns \$\d+\)", plan), plan
    assert re.search(r"OR \(id = ANY \(\$\d+\)\)\)", plan), plan
