"""A screen's address as the profile gives it (an `Address` entry): where a page is, matched as
old CRMs' web servers match it, and proposed back by the doctor for a biller's screen."""

from __future__ import annotations

import pytest

from pages.problems import is_at
from robot.doctor.proposals import propose_address


@pytest.mark.parametrize(
    ("url", "address", "at"),
    [
        ("http://crm.test/billers/10482/products", "/billers/10482/products", True),
        # A grid adds its own parameters; a trailing slash is the same page.
        ("http://crm.test/billers/10482/products/?page=2", "/billers/10482/products", True),
        ("http://crm.test/billers/10482/cards", "/billers/10482/products", False),
        # An old WebForms CRM: paths and parameter names without case, the biller in the query.
        ("https://crm.test/Admin/Products.aspx?billerid=10482&tab=1",
         "/admin/products.aspx?BillerID=10482", True),
        ("https://crm.test/Admin/Products.aspx?BillerID=10483",
         "/Admin/Products.aspx?BillerID=10482", False),
        ("https://crm.test/Admin/Products.aspx", "/Admin/Products.aspx?BillerID=10482", False),
    ],
)  # fmt: skip
def test_a_page_is_at_an_address(url: str, address: str, at: bool) -> None:
    assert is_at(url, address) is at


@pytest.mark.parametrize(
    ("shown", "proposed"),
    [
        ("/billers/10482/products", "/billers/{id}/products"),
        (
            "/Admin/Products.aspx?BillerID=10482&Tab=Main",
            "/Admin/Products.aspx?BillerID={id}&Tab=Main",
        ),
        # Only whole parts are the biller's: 104821 is another biller's number.
        ("/billers/104821/products", "/billers/104821/products"),
    ],
)
def test_the_doctor_proposes_the_address_a_screen_is_at_for_every_biller(
    shown: str, proposed: str
) -> None:
    assert propose_address(shown, {"id": "10482"}).value == proposed
