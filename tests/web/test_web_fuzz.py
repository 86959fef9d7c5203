# SPDX-License-Identifier: Apache-2.0
"""An OpenAPI-driven fuzzer (schemathesis) against the studio: no request gives a 500.

Every operation of the app's own OpenAPI schema gets generated requests (valid
and invalid bodies, paths and queries) as a logged-in planner, who may write;
the studio must answer each with a 2xx, 3xx or 4xx, never a server error.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as run_settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a test dependency")

EXAMPLES = 8  # per operation; the suite stays quick on two cores


def test_no_operation_answers_with_a_server_error(client):
    logged_in = client("res")  # RES planner: may write claims, scenarios, comments
    app = logged_in.app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20  # the whole API, not an empty schema
    headers = {"X-CSRF-Token": logged_in.headers["X-CSRF-Token"]}
    cookies = dict(logged_in.cookies)
    failures: list[str] = []
    statuses: list[int] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @run_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:
            response = case.call(headers=headers, cookies=cookies, app=app)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                op = case.operation
                failures.append(
                    f"{op.method.upper()} {op.path}: {response.status_code} for "
                    f"{case.path_parameters} {case.query} {str(case.body)[:200]}"
                )

        check()
    assert not failures, "\n".join(failures[:10])
    # the requests reached the app: some were refused (4xx) and some accepted (2xx)
    assert any(s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
