"""What every table of a plan file shares: a key the model does not know is refused, so that a
misspelt key is reported instead of silently leaving its default in place."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PlanModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)
