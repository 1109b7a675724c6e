"""The indicator registry: definitions are data (`impact/data/indicators.json`); the formula of
each is a Python function registered under the name the definition's `compute` key gives.

A compute function takes an `IndicatorFilter` and the tuple of dimensions to group by, and returns
`{key: (value, n)}` where `key` is the tuple of the dimension values in that order, `value` the
count (or, for a mean, the sum) and `n` the number of records behind it. It must use aggregate
queries only (never a Python loop over rows) — see `incluye.impact.computations.grouped`. It
returns `NOT_AVAILABLE` when the records it counts do not exist in this deployment.

Another app registers its own indicators in its `AppConfig.ready()`:

    from incluye.impact.registry import register_indicator

    @register_indicator("certificates")
    def certificates(flt, group_by):
        return grouped(Certificate.objects.filter(revoked_at=None), flt, group_by, ...)

Registering a name again replaces the function (that is how the certification and jobs apps will
take over the placeholders of `computations.py`).
"""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "indicators.json"
COMPUTE: dict = {}


class _NotAvailable:
    def __repr__(self):
        return "NOT_AVAILABLE"

    def __bool__(self):
        return False


NOT_AVAILABLE = _NotAvailable()


def register_indicator(name: str):
    def decorator(fn):
        COMPUTE[name] = fn
        return fn

    return decorator


@cache
def catalogue() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def version() -> str:
    return catalogue()["version"]


def definitions() -> list[dict]:
    return catalogue()["indicators"]


def definition(code: str) -> dict:
    for item in definitions():
        if item["code"] == code:
            return item
    raise KeyError(code)


def compute_function(code: str):
    from incluye.impact import computations  # noqa: F401  (registers the built-in functions)

    return COMPUTE[definition(code)["compute"]]
