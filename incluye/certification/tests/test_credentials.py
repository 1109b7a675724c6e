"""The certificate's verifiable credential, checked with an independent library (PyJWT) against the
keys the body publishes: signature, issuer, subject and status; tampering, revocation, key rotation,
and certificates signed with the legacy Ed25519 keys. (1EdTech's own rules: test_ob3_validator.py.)"""

import base64
import json

import jwt
import pytest
from django.test import Client
from django.urls import reverse

from incluye.certification import credentials, services
from incluye.certification.models import SigningKey
from incluye.certification.tests.conftest import assess, make_legacy

pytestmark = pytest.mark.django_db


def published_key(kid):
    """The key a verifier fetches for this kid: the key's URL answers with the JWK itself; a legacy
    did:web kid is found in the body's DID document."""
    if kid.startswith("did:web:"):
        key = SigningKey.objects.get(kid=kid)
        document = Client().get(reverse("certification:did", args=[key.body_id])).json()
        method = next(m for m in document["verificationMethod"] if m["id"] == kid)
        return jwt.PyJWK(method["publicKeyJwk"], algorithm="EdDSA").key
    response = Client().get(kid.removeprefix(credentials.site_url()))
    assert response.status_code == 200 and response["Content-Type"] == "application/jwk+json"
    return jwt.PyJWK(response.json()).key


def verify_with_pyjwt(token, body, algorithm="ES256"):
    header = jwt.get_unverified_header(token)
    assert header["alg"] == algorithm
    if algorithm == "ES256":
        assert header["typ"] == "JWT" and header["kid"].startswith(credentials.site_url() + "/")
    return jwt.decode(
        token,
        published_key(header["kid"]),
        algorithms=[algorithm],
        issuer=credentials.body_did(body),
        options={"require": ["iss", "sub", "jti", "nbf"]},
    )


def status_bit(claims) -> bool:
    """Follow credentialStatus: fetch the status list credential, verify it, read the bit."""
    entry = claims["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    path = entry["statusListCredential"].removeprefix(credentials.site_url())
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    token = response.content.decode()
    assert jwt.get_unverified_header(token)["typ"] == "JWT"
    status_list = jwt.decode(
        token,
        published_key(jwt.get_unverified_header(token)["kid"]),
        algorithms=["ES256"],
        issuer=claims["iss"],
    )
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")  # multibase base64url
    import gzip

    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 >= 131072  # at least 16 KB
    index = int(entry["statusListIndex"])
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def test_it_issues_an_open_badge_credential_that_pyjwt_verifies(certificate, institute, person):
    claims = verify_with_pyjwt(certificate.credential, institute)
    assert claims["iss"] == credentials.body_did(institute) == claims["issuer"]["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"] == f"urn:uuid:{certificate.subject_id}"
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    achievement = claims["credentialSubject"]["achievement"]
    assert achievement["humanCode"] == "GT-CON-0012"
    assert "U1" in achievement["criteria"]["narrative"] and "U2" in achievement["criteria"]["narrative"]
    assert claims["credentialSubject"]["identifier"][0]["identityHash"] == person.full_name
    assert claims["evidence"][0]["name"] == certificate.number
    assert status_bit(claims) is False


def test_a_tampered_credential_fails(certificate, institute):
    header, payload, signature = certificate.credential.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["humanCode"] = "GT-ELE-9999"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(jwt.InvalidSignatureError):
        verify_with_pyjwt(f"{header}.{forged}.{signature}", institute)
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(
            certificate.credential,
            published_key(jwt.get_unverified_header(certificate.credential)["kid"]),
            algorithms=["ES256"],
            issuer="did:web:someone-else.example",
        )


def test_a_revoked_credential_fails_its_status_check(certificate, institute, assessor):
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Error de registro")
    claims = verify_with_pyjwt(certificate.credential, institute)  # the signature itself stays good
    assert status_bit(claims) is True


def test_a_key_rotation_keeps_old_certificates_verifiable(
    certificate, institute, assessor, personas, standard
):
    from incluye.certification.tests.conftest import signed_profile
    from incluye.people.services import consent_record, person_register

    old_kid = jwt.get_unverified_header(certificate.credential)["kid"]
    new_key = services.signing_key_rotate(body=institute)
    assert new_key.kid != old_kid
    assert SigningKey.objects.get(kid=old_kid).active is False

    # The old certificate still verifies with the key published for it.
    verify_with_pyjwt(certificate.credential, institute)
    jwks = Client().get(reverse("certification:jwks", args=[institute.pk])).json()
    assert [k["kid"] for k in jwks["keys"]] == [new_key.kid, old_kid]
    did = Client().get(reverse("certification:did", args=[institute.pk])).json()
    assert did["id"] == credentials.body_did(institute)
    assert set(did["assertionMethod"]) == {
        f"{did['id']}#{new_key.name}",
        f"{did['id']}#{SigningKey.objects.get(kid=old_kid).name}",
    }

    # A new certificate is signed with the new key.
    other = person_register(
        membership=personas.staff, given_names="Ana", first_surname="Coc", nationality_id="GT"
    )
    consent_record(
        membership=personas.caseworker,
        person=other,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
    )
    session = certificate.enrollment.session
    enrollment = services.enrollment_create(
        membership=personas.caseworker, session=session, profile=signed_profile(personas.caseworker, other)
    )
    assess(assessor, enrollment, {"U1": "competent", "U2": "competent"})
    second = services.certificate_issue(membership=assessor, enrollment=enrollment)
    assert jwt.get_unverified_header(second.credential)["kid"] == new_key.kid
    verify_with_pyjwt(second.credential, institute)
    assert status_bit(verify_with_pyjwt(second.credential, institute)) is False


def test_the_rotate_command_gives_a_new_active_key(certificate, institute):
    from django.core.management import call_command

    call_command("rotate_signing_key", "--body", str(institute.pk))
    assert institute.signing_keys.filter(active=True).count() == 1
    assert institute.signing_keys.count() == 2
    verify_with_pyjwt(certificate.credential, institute)


def test_the_private_key_is_stored_encrypted(certificate):
    key = certificate.signing_key
    assert "d" not in key.public_jwk
    private = credentials.decrypt_private_key(key.private_jwk_encrypted).as_dict(private=True)["d"]
    assert private not in key.private_jwk_encrypted


def test_the_bitstring_encoding_round_trips():
    encoded = credentials.encode_bitstring(131072, [0, 7, 131071])
    raw = credentials.decode_bitstring(encoded)
    assert len(raw) == 16384
    assert [credentials.bit_is_set(raw, i) for i in (0, 1, 7, 8, 131071)] == [True, False, True, False, True]


def test_the_credential_also_verifies_with_joserfc_against_the_key_set(certificate, institute):
    claims = credentials.verify(certificate.credential, institute)
    assert claims["credentialSubject"]["achievement"]["humanCode"] == "GT-CON-0012"


def test_a_certificate_signed_with_a_legacy_ed25519_key_still_verifies(certificate, institute):
    legacy = make_legacy(certificate)
    header = jwt.get_unverified_header(certificate.credential)
    assert (header["alg"], header["typ"], header["kid"]) == ("EdDSA", "vc+jwt", legacy.kid)
    claims = verify_with_pyjwt(certificate.credential, institute, algorithm="EdDSA")
    assert status_bit(claims) is False
    assert credentials.verify(certificate.credential, institute)["jti"] == f"urn:uuid:{certificate.pk}"
    jwks = Client().get(reverse("certification:jwks", args=[institute.pk])).json()
    assert {k["kid"]: k["alg"] for k in jwks["keys"]}[legacy.kid] == "EdDSA"
    assert Client().get(reverse("certification:public_key", args=[institute.pk, legacy.name])).json()[
        "crv"
    ] == ("Ed25519")


def test_a_body_whose_active_key_is_ed25519_signs_the_next_certificate_with_a_new_es256_key(institute):
    legacy = SigningKey.objects.create(
        body=institute,
        kid=f"{credentials.body_did(institute)}#key-legacy",
        algorithm="EdDSA",
        public_jwk={"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
        private_jwk_encrypted="",
    )
    key = services.active_signing_key(institute)
    assert key.algorithm == "ES256" and key.active
    legacy.refresh_from_db()
    assert not legacy.active and legacy.retired_at is not None
    with pytest.raises(ValueError):
        credentials.sign({"iss": "x"}, legacy)


def test_the_key_url_of_an_unknown_key_is_404(institute, certificate):
    assert (
        Client().get(reverse("certification:public_key", args=[institute.pk, "key-nope"])).status_code == 404
    )


def test_public_key_documents_of_an_unknown_body_are_404(db):
    assert Client().get(reverse("certification:jwks", args=[999999])).status_code == 404
    assert Client().get(reverse("certification:did", args=[999999])).status_code == 404
    assert Client().get(reverse("certification:status_list", args=[999999])).status_code == 404
