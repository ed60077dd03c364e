"""The safety checks made before a browser opens: PROD confirmation and the CRM host."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.core.errors import GuardError
from robot.core.settings import load_settings
from robot.plan.model import ConversionPlan, load_plan
from robot.run import guards

PLAN = Path(__file__).resolve().parents[2] / "plans" / "prairie-pine-mutual.toml"


def _plan(environment: str = "UAT") -> ConversionPlan:
    plan = load_plan(PLAN)
    plan.biller.environment = environment  # type: ignore[assignment]
    return plan


def _no_prompt(_question: str) -> str:
    raise AssertionError("no prompt expected")


def test_a_uat_plan_needs_no_prod_confirmation() -> None:
    guards.check_prod_confirmation(
        _plan(), prod=False, confirm_biller=None, interactive=False, ask=_no_prompt
    )


@pytest.mark.parametrize(
    ("prod", "confirm", "interactive", "typed", "message"),
    [
        (False, "Prairie Pine Mutual", False, None, "add --prod to confirm"),
        (True, None, False, None, 'add --confirm-biller "Prairie Pine Mutual"'),
        (True, "Prairie Pine Mutual Water", False, None, '"Prairie Pine Mutual Water" is not'),
        (True, None, True, "prairie pine mutual", '"prairie pine mutual" is not'),
    ],
)
def test_a_prod_plan_is_refused_without_prod_and_the_exact_name(
    prod: bool, confirm: str | None, interactive: bool, typed: str | None, message: str
) -> None:
    with pytest.raises(GuardError, match=message):
        guards.check_prod_confirmation(
            _plan("PROD"),
            prod=prod,
            confirm_biller=confirm,
            interactive=interactive,
            ask=lambda _q: typed or "",
        )


def test_a_prod_plan_goes_on_once_the_name_is_typed_exactly() -> None:
    guards.check_prod_confirmation(
        _plan("PROD"),
        prod=True,
        confirm_biller=None,
        interactive=True,
        ask=lambda _q: "Prairie Pine Mutual",
    )


@pytest.mark.parametrize(
    ("environ", "environment", "allowed"),
    [
        ({"CRM_BASE_URL": "http://127.0.0.1:9000"}, "UAT", True),
        ({"CRM_BASE_URL": "http://127.0.0.1:9000", "CRM_UAT_HOSTS": "localhost"}, "UAT", False),
        ({"CRM_BASE_URL": "http://127.0.0.1:9000"}, "PROD", False),
        ({"CRM_BASE_URL": "http://127.0.0.1:9000", "CRM_PROD_HOSTS": "127.0.0.1"}, "PROD", True),
    ],
)
def test_the_crm_host_must_be_allowed_for_the_plans_environment(
    environ: dict[str, str], environment: str, allowed: bool
) -> None:
    settings = load_settings(None, environ)
    if allowed:
        guards.check_host(_plan(environment), settings)
    else:
        with pytest.raises(GuardError, match=f"127.0.0.1:9000 is not a {environment} host"):
            guards.check_host(_plan(environment), settings)
