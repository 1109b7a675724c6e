"""1EdTech's validator rules (ported in ob3_validator.py) accept the certificates' credentials: a
freshly issued one, a revoked one (valid in form, refused by its status), and one issued before a key
rotation. The port itself can fail: a tampered signature, a missing name, an undefined JSON-LD term
and the legacy Ed25519 header are caught."""

import base64
import json

import pytest
from django.test import Client

from incluye.certification import credentials, services
from incluye.certification.tests import ob3_validator
from incluye.certification.tests.conftest import make_legacy

pytestmark = pytest.mark.django_db

EVERY_PROBE = [
    "CredentialParseProbe",
    "JsonLDValidationProbe",
    "ContextPropertyProbe",
    "TypePropertyProbe",
    "JsonSchemasProbe",
    "InlineJsonSchemaProbe",
    "CredentialSubjectProbe",
    "EvidenceProbe",
    "IssuerProbe",
    "ExternalProofProbe",
    "BitstringStatusListProbe",
    "ExpirationProbe",
    "IssuanceProbe",
]


def inspect(token):
    return ob3_validator.inspect(token, client=Client(), site_url=credentials.site_url())


def payload_of(token) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_a_freshly_issued_credential_passes_every_rule(certificate):
    report = inspect(certificate.credential)
    assert report.valid, report.messages()
    assert report.probes == EVERY_PROBE
    assert report.outcome("ExternalProofProbe") == "success"
    assert report.outcome("BitstringStatusListProbe") == "success"


def test_a_revoked_credential_is_well_formed_but_refused_by_its_status(certificate, assessor):
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Emitido por error")
    report = inspect(certificate.credential)
    assert not report.valid
    assert report.messages("fatal") == ["BitstringStatusListProbe: Credential has been revoked"]
    assert all(report.outcome(p) == "success" for p in EVERY_PROBE[:5] + EVERY_PROBE[6:10])


def test_a_credential_issued_before_a_key_rotation_still_passes(certificate, institute):
    old_kid = certificate.signing_key.kid
    services.signing_key_rotate(body=institute)
    services.signing_key_rotate(body=institute)
    report = inspect(certificate.credential)
    assert report.valid, report.messages()
    assert json.loads(base64.urlsafe_b64decode(certificate.credential.split(".")[0] + "=="))["kid"] == old_kid


def test_the_port_refuses_a_tampered_signature(certificate):
    header, _payload, signature = certificate.credential.split(".")
    claims = payload_of(certificate.credential)
    claims["credentialSubject"]["achievement"]["name"] = "Otra cosa"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    report = inspect(f"{header}.{forged}.{signature}")
    assert report.messages("fatal") == [
        "ExternalProofProbe: Error verifying jwt signature: JWT Invalid signature"
    ]


def test_the_schema_refuses_a_credential_without_a_name(certificate):
    claims = payload_of(certificate.credential)
    del claims["name"]
    report = ob3_validator.Report()
    ob3_validator.json_schema(claims, report)
    assert (
        report.outcome("JsonSchemasProbe") == "error"
        and "'name' is a required property" in report.items[0][2]
    )
    claims = payload_of(certificate.credential)
    assert ob3_validator.json_schema(claims, ob3_validator.Report()) == "success"


def test_the_undefined_term_check_catches_a_term_no_context_defines(certificate):
    claims = payload_of(certificate.credential)
    assert ob3_validator.undefined_terms(claims) == []
    claims["credentialSubject"]["achievement"]["dificultad"] = "alta"
    assert ob3_validator.undefined_terms(claims) == ["dificultad"]


def test_the_legacy_ed25519_header_is_what_1edtech_refused(certificate):
    """Why the profile changed: the validator refuses EdDSA. Such certificates stay verifiable with
    the published keys (test_credentials.py), but only new ones pass 1EdTech's rules."""
    make_legacy(certificate)
    report = inspect(certificate.credential)
    assert report.messages("fatal") == [
        "ExternalProofProbe: Error verifying jwt signature: alg must be present and must be either 'RS256' or 'ES256'"
    ]
