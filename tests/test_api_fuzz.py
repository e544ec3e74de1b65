"""schemathesis over the whole OpenAPI document, as a KPU operator with a token and as the public.

Each operation gets a bounded number of generated requests (valid and invalid data); every answer
must be a documented status with a body that matches the document, and never a server error.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from agencies.models import ApiToken
from logistics import actions as logistics_actions
from regions.models import Region
from sinergi.api import api
from tests.base import SinergiTestCase

# Valid-looking data may still break a domain rule (an unknown region code): a 400 is right there.
# A query parameter sent several times is read as its last value (Django's QueryDict), so the
# "schema-violating request accepted" check flags a repeated filter that is harmless by design;
# the bad inputs the API must refuse are tested one by one in tests/test_api_errors.py.
EXCLUDED = [schemathesis.checks.positive_data_acceptance, schemathesis.checks.negative_data_rejection]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


def _schema() -> Any:
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    schema.app = get_wsgi_application()
    return schema


class ApiFuzzTest(SinergiTestCase):
    token: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        logistics_actions.plan_for(cls.election)
        logistics_actions.default_catalogue(cls.election)
        logistics_actions.build_network(cls.election, Region.objects.get(code="64.02"))
        cls.token = ApiToken.issue(cls.kpu_operator, "fuzz")[1]

    def setUp(self) -> None:
        # schemathesis calls the WSGI application itself, whose request signals would close the
        # database connection after each request (and, on PostgreSQL, the test's transaction with
        # it); Django's own test client detaches them the same way.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)

    def fuzz(self, headers: dict[str, str]) -> list[str]:
        schema = _schema()
        failures: list[str] = []
        calls: list[str] = []
        operations = [result.ok() for result in schema.get_all_operations()]

        def call(case: Any) -> None:
            # Each request in its own savepoint, rolled back: as in production, where every request
            # has its own transaction, a refused write (e.g. a number too large for PostgreSQL)
            # must not leave the connection unusable for the next request.
            with transaction.atomic():
                try:
                    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
                finally:
                    transaction.set_rollback(True)

        for operation in operations:

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
            def positive(case: Any) -> None:
                calls.append(case.operation.label)
                call(case)

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
            def negative(case: Any) -> None:
                calls.append(case.operation.label)
                call(case)

            for run in (positive, negative):
                try:
                    run()
                except (FailureGroup, AssertionError) as e:
                    failures.append(f"{operation.label}: {e}")
        # every operation of the document was exercised
        self.assertEqual(set(calls), {op.label for op in operations})
        self.assertGreater(len(operations), 40)
        print(f"\nschemathesis: {len(operations)} operations, {len(calls)} requests, {len(failures)} failing")
        return failures

    def test_a_kpu_operator_with_a_token_meets_no_server_error_and_no_schema_violation(self) -> None:
        failures = self.fuzz({"Authorization": f"Bearer {self.token}"})
        self.assertEqual(failures, [], "\n\n".join(failures))

    def test_the_public_meets_no_server_error_and_no_schema_violation(self) -> None:
        failures = self.fuzz({})
        self.assertEqual(failures, [], "\n\n".join(failures))
