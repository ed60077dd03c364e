"""The references a conversion's documents name: the optional `[links]` table of a plan.

The procedure itself gives two of them (its Confluence page and the PDF Remote Link Guide Guru
card); they are the defaults. The prior Spectrum integration JIRA and the Box upload link differ
per conversion and have no default: a document shows a placeholder for the PM to fill in.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator

from robot.plan.base import PlanModel
from robot.plan.fields import check_link

CONFLUENCE_GUIDE = "https://invoicecloud.atlassian.net/wiki/x/FADghQ"
PDF_REMOTE_LINK_GUIDE = "https://app.getguru.com/card/iEMxq7pT/PDF-Remote-Link-Guide-IMT-Spectrum"
PLACEHOLDERS = {
    "prior_spectrum_jira": "[link: prior Spectrum integration JIRA]",
    "box_upload": "[link: Box secure upload link]",
}

Link = Annotated[str, BeforeValidator(check_link)]


class Links(PlanModel):
    confluence_guide: Link = CONFLUENCE_GUIDE
    pdf_remote_link_guide: Link = PDF_REMOTE_LINK_GUIDE
    prior_spectrum_jira: Link | None = None
    box_upload: Link | None = None

    def shown(self) -> dict[str, str]:
        """Each link as a document writes it: the URL, or the placeholder for one not given."""
        return {
            name: value if value is not None else PLACEHOLDERS[name]
            for name, value in self.model_dump().items()
        }
