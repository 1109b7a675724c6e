"""The API's JSON body parser: bounded in size, depth and types, so that no body, however it is
built, reaches a view as anything but a JSON object of ordinary values, and none answers a 500."""

import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils.json import strict_constant

# Deeper than any body this API takes (the deepest, a screening's answers, is 2 levels).
MAX_DEPTH = 32


def max_bytes() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


def _check_values(data) -> None:
    """Depth and numbers, walked without recursion (a deep body cannot exhaust the stack here)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(
                    _("The JSON is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}
                )
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ParseError(_("The JSON has a number too large to store."))


class JSONObjectParser(JSONParser):
    """Every endpoint of this API takes a JSON object: anything else (a list, a number) is a 400
    here, once, rather than an error deep in a view. Refused with a structured 400 too: a body
    larger than DATA_UPLOAD_MAX_MEMORY_SIZE, nested deeper than MAX_DEPTH (5 000 levels used to
    crash the parser with a RecursionError), a number that overflows (1e400), NaN or Infinity."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_bytes()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(
                _("The body is larger than %(size)d KB.") % {"size": limit // 1024}, code="too_large"
            )
        try:
            text = raw.decode(get_encoding(parser_context or {}))
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except RecursionError as error:
            raise ParseError(
                _("The JSON is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}
            ) from error
        except ValueError as error:  # also UnicodeDecodeError and integers with too many digits
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": error}) from error
        _check_values(data)
        if not isinstance(data, dict):
            raise ParseError(_("Send a JSON object."))
        return data
