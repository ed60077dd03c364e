"""Turns pydantic's ValidationError into the robot's one-line-per-problem wording.

A line reads `dotted.path: what is wanted (what was given)`. Field checks raise ValueError with
the wanted/given part already written; cross-field rules raise `problems(...)` so that several
problems of one model are reported at once, each under its own path.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError


def given(value: Any) -> str:
    """How a rejected value is echoed back: JSON-quoted so spaces and look-alikes show."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return json.dumps(value, default=str)


PROBLEMS = "field_problems"
# pydantic says "Input should be a valid date"; the robot's wording is "must be a valid date".
_SHOULD = re.compile(r"^(Input|String|Value|List|Dictionary|Date|Datetime) should")


def problems(found: Sequence[tuple[str, str]]) -> PydanticCustomError:
    """An error holding several (relative dotted path, message) problems of one model."""
    summary = "; ".join(f"{path}: {message}" for path, message in found)
    return PydanticCustomError(PROBLEMS, "{summary}", {"summary": summary, "problems": list(found)})


def dotted(loc: Sequence[str | int]) -> str:
    """`advanced_settings.remove[1]`: keys joined by dots, list positions in brackets."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(plan)"


def _model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _first_model(field.annotation)
    return model


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, typing.Annotated):
        for arg in typing.get_args(annotation):
            if found := _first_model(arg):
                return found
    return None


def _keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def problem_lines(exc: ValidationError, root: type[BaseModel]) -> list[str]:
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind == PROBLEMS:
            for path, message in ctx["problems"]:
                parts = [int(p) if p.isdigit() else p for p in path.split(".")]
                lines.append(f"{dotted([*loc, *parts])}: {message}")
            continue
        if kind == "extra_forbidden":
            model = _model_at(root, loc[:-1])
            # A field read under an alias is known to the user by that alias.
            allowed = ", ".join(_keys(model)) if model else ""
            hint = f" (allowed here: {allowed})" if allowed else ""
            # The value is not echoed: an unknown key may be a secret pasted in the wrong place.
            message = f"unknown key; remove it or fix its spelling{hint}"
        elif kind == "missing":
            message = "required; add it"
        elif kind == "value_error":
            message = err["msg"].removeprefix("Value error, ")
        else:
            wanted = _SHOULD.sub("must", err["msg"]).rstrip(".")
            message = f"{wanted} (given {given(err['input'])})"
        lines.append(f"{dotted(loc)}: {message}")
    return lines
