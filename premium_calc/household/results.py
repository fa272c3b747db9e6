"""Result models built from values that were validated already: :func:`construct`.

The results of a calculation (``MemberPremium``, ``PremiumResult``, ``Burden``, ...) hold
values taken from a validated schedule and household, with the types of their fields (exact
Decimals, notes as :class:`~premium_calc.messages.Note`): validating them again would only
cost time (and, the first time, building their schemas).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel

_M = TypeVar("_M", bound=BaseModel)


def construct(cls: type[_M], **values: Any) -> _M:
    """A result model from values that come from validated data, without validating them
    again: what pydantic's ``model_construct`` does for a model without aliases, private
    attributes or ``model_post_init`` (the result models), about 5x faster. Fields are stored
    in their declared order; a default is copied for each instance (a mutable one, ``[]`` or
    ``{}``, is never shared between results); an unknown field name is a TypeError."""
    plan = _PLANS.get(cls) or _plan(cls)
    names, defaults = plan
    fields: dict[str, Any] | None = None
    if len(values) == len(names):
        try:  # every field given (as many values as fields, none missing: no unknown one)
            fields = {n: values[n] for n in names}
        except KeyError:
            fields = None
    if fields is None:
        unknown = values.keys() - names.keys()
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
        fields = {n: values[n] if n in values else defaults[n]() for n in names}
    return built(cls, fields, set(values))


def built(cls: type[_M], fields: dict[str, Any], given: set[str]) -> _M:
    """The model of ``fields`` (every field, in declared order: :func:`construct` makes them),
    ``given`` the names set by the caller (pydantic's ``model_fields_set``)."""
    obj = cls.__new__(cls)
    setattr_ = object.__setattr__
    setattr_(obj, "__dict__", fields)
    setattr_(obj, "__pydantic_fields_set__", given)
    setattr_(obj, "__pydantic_extra__", None)
    setattr_(obj, "__pydantic_private__", None)
    return obj


_Plan = tuple[dict[str, None], dict[str, Any]]
_PLANS: dict[type[BaseModel], _Plan] = {}
_IMMUTABLE = (type(None), bool, int, str, Decimal, tuple, frozenset, dt.date)


def _plan(cls: type[_M]) -> _Plan:
    """The field names of a model (in order) and a factory of each default, made once."""
    fields = cls.model_fields
    if cls.__pydantic_post_init__ is not None or cls.__private_attributes__ or any(
        f.alias not in (None, name) for name, f in fields.items()
    ):
        raise TypeError(f"{cls.__name__}: construct() builds plain result models only")
    defaults: dict[str, Any] = {}
    for name, info in fields.items():
        if info.is_required():
            defaults[name] = partial(_required, cls, name)
        elif info.default_factory is not None:
            defaults[name] = info.default_factory
        elif isinstance(info.default, _IMMUTABLE) and not isinstance(info.default, tuple):
            defaults[name] = partial(_same, info.default)
        else:
            defaults[name] = partial(info.get_default, call_default_factory=True)
    plan = _PLANS[cls] = (dict.fromkeys(fields), defaults)
    return plan


def _same(value: Any) -> Any:
    return value


def _required(cls: type[BaseModel], name: str) -> Any:
    raise TypeError(f"{cls.__name__}: the field {name!r} is required")
