"""Fuzzing the API's JSON body parser (beside Schemathesis, which walks the operations): whatever
the body — any JSON value, nested to any depth, any size, any bytes — the parser returns a JSON
object or refuses with a ParseError (the API's structured 400), never anything else."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError

from incluye.api.parsers import MAX_DEPTH, JSONObjectParser, max_bytes

CONTEXT = {"encoding": "utf-8"}

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=40,
)


def parse(body: bytes):
    return JSONObjectParser().parse(io.BytesIO(body), "application/json", CONTEXT)


def _outcome(body: bytes):
    try:
        data = parse(body)
    except ParseError as error:
        assert str(error.detail)
        return None
    assert isinstance(data, dict)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(json_values)
def test_any_json_value_is_an_object_or_a_clean_refusal(value):
    body = json.dumps(value, allow_nan=True).encode()
    data = _outcome(body)
    if data is not None:
        assert data == json.loads(body)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=20_000), st.sampled_from(["[", '{"a":']))
def test_any_depth_is_parsed_or_refused_without_a_recursion_error(depth, opener):
    closer = "]" if opener == "[" else "}"
    body = ('{"x":' + opener * depth + "1" + closer * depth + "}").encode()
    data = _outcome(body)
    assert (data is not None) == (depth + 1 <= MAX_DEPTH)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_parsed_or_refused(body):
    _outcome(body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b'{"a": 1e400}',
        b'{"a": ' + b"9" * 5000 + b"}",
        b"[1, 2]",
        b'"text"',
        b"\xff\xfe not utf-8",
        b"",
    ],
)
def test_bodies_that_cannot_be_stored_are_refused(body):
    with pytest.raises(ParseError):
        parse(body)


def test_a_body_larger_than_the_limit_is_refused_before_it_is_parsed():
    body = b'{"a": "' + b"x" * max_bytes() + b'"}'
    with pytest.raises(ParseError) as error:
        parse(body)
    assert error.value.get_codes() == "too_large"
