"""Signed credentials: the body's Ed25519 keys, its DID document and JWKS, the Open Badges 3.0
`OpenBadgeCredential` of a certificate (W3C Verifiable Credentials 2.0 secured as a JWT, as in
VC-JOSE-COSE) and the Bitstring Status List credential that publishes revocations.

A credential is a compact JWS: header {"alg": "EdDSA", "typ": "vc+jwt", "kid": "<DID URL>"}; the
payload is the credential itself, plus the registered JWT claims iss, sub, jti, iat and nbf so any JWT
library can check issuer and subject. The issuer is a did:web identifier whose document is served at
/certification/bodies/<id>/did.json; the same keys are at /certification/bodies/<id>/jwks.json.
"EdDSA" is the algorithm name every JOSE library knows (RFC 9864's "Ed25519" is not yet in PyJWT)."""

import base64
import gzip
import hashlib
import json
import warnings
from urllib.parse import quote, urlsplit

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import OKPKey

ALGORITHM = "EdDSA"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"]


# --- Private keys at rest ---------------------------------------------------------------------


def _fernet() -> MultiFernet:
    """Fernet keys derived from SECRET_KEY (and its fallbacks, so rotating SECRET_KEY with
    SECRET_KEY_FALLBACKS keeps the signing keys readable)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"incluye.signing-keys:{s}".encode()).digest()))
            for s in secrets
        ]
    )


def encrypt_private_key(key: OKPKey) -> str:
    return _fernet().encrypt(json.dumps(key.as_dict(private=True)).encode()).decode()


def decrypt_private_key(token: str) -> OKPKey:
    return OKPKey.import_key(json.loads(_fernet().decrypt(token.encode())))


def generate_key() -> OKPKey:
    return OKPKey.generate_key("Ed25519", private=True)


# --- Identifiers --------------------------------------------------------------------------------


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    return site_url() + path


def body_did(body) -> str:
    """did:web of a body: did:web:<host>:certification:bodies:<id> → <site>/certification/bodies/<id>/did.json."""
    parts = urlsplit(site_url())
    segments = [quote(parts.netloc, safe=""), *[s for s in parts.path.split("/") if s]]
    return "did:web:" + ":".join([*segments, "certification", "bodies", str(body.pk)])


def key_id(body, name: str) -> str:
    return f"{body_did(body)}#{name}"


def thumbprint(key: OKPKey) -> str:
    return key.thumbprint()


# --- Published documents --------------------------------------------------------------------------


def jwks(body) -> dict:
    """Every key the body ever signed with (active first): old credentials stay verifiable."""
    keys = body.signing_keys.order_by("-active", "-created_at", "-id")
    return {"keys": [{**k.public_jwk, "kid": k.kid, "alg": ALGORITHM, "use": "sig"} for k in keys]}


def did_document(body) -> dict:
    did = body_did(body)
    methods = [
        {"id": k["kid"], "type": "JsonWebKey", "controller": did, "publicKeyJwk": _public(k)}
        for k in jwks(body)["keys"]
    ]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def _public(jwk: dict) -> dict:
    return {k: jwk[k] for k in ("kty", "crv", "x") if k in jwk}


# --- Signing --------------------------------------------------------------------------------------


def sign(payload: dict, signing_key, *, typ: str = "vc+jwt") -> str:
    key = decrypt_private_key(signing_key.private_jwk_encrypted)
    header = {"alg": ALGORITHM, "typ": typ, "kid": signing_key.kid}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc flags "EdDSA" as superseded by RFC 9864's "Ed25519"
        return jwt.encode(header, payload, key, algorithms=[ALGORITHM])


def verify(token: str, body) -> dict:
    """Check a credential against the body's published keys; returns the claims (raises if bad)."""
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(jwks(body))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.decode(token, keys, algorithms=[ALGORITHM]).claims


def _timestamp(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile(body) -> dict:
    profile = {"id": body_did(body), "type": ["Profile"], "name": body.name}
    from incluye.certification.models import IssuerProfile

    extra = IssuerProfile.objects.filter(body=body).first()
    if extra is not None and extra.website:
        profile["url"] = extra.website
    return profile


def certificate_credential(certificate) -> dict:
    """The OpenBadgeCredential of a certificate (the payload of its JWT)."""
    from django.utils import timezone

    body, standard = certificate.body, certificate.standard
    issued = certificate.issued_at.astimezone(timezone.UTC)
    units = ", ".join(f"{u['code']} {u['title']['en']}" for u in certificate.units)
    status_url = absolute(reverse("certification:status_list", args=[certificate.status_list_id]))
    subject = f"urn:uuid:{certificate.subject_id}"
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{certificate.pk}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(body),
        "validFrom": _timestamp(issued),
        "name": standard.title_en or standard.title_es,
        "credentialSubject": {
            "id": subject,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": f"urn:uuid:{standard.pk}",
                "type": ["Achievement"],
                "achievementType": "Certification",
                "humanCode": standard.code,
                "name": standard.title_es,
                "description": standard.title_en or standard.title_es,
                "criteria": {"narrative": f"Competent in the units of competence: {units}."},
                "inLanguage": "es",
            },
        },
        "evidence": [
            {
                "id": absolute(reverse("certification:verify_token", args=[certificate.token])),
                "type": ["Evidence"],
                "name": certificate.number,
            }
        ],
        "credentialStatus": {
            "id": f"{status_url}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_url,
        },
    }
    claims = {
        "iss": body_did(body),
        "sub": subject,
        "jti": credential["id"],
        "iat": int(issued.timestamp()),
        "nbf": int(issued.timestamp()),
    }
    return {**credential, **claims}


# --- Bitstring Status List ------------------------------------------------------------------------


def encode_bitstring(size: int, set_bits) -> str:
    """GZIP-compressed bitstring, base64url without padding, multibase prefix "u" (index 0 is the
    left-most bit of the first byte)."""
    raw = bytearray(size // 8)
    for index in set_bits:
        raw[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(raw), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_bitstring(encoded: str) -> bytes:
    data = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(status_list) -> dict:
    from django.utils import timezone

    url = absolute(reverse("certification:status_list", args=[status_list.pk]))
    revoked = status_list.certificates.filter(revoked_at__isnull=False).values_list("status_index", flat=True)
    now = timezone.now().astimezone(timezone.UTC)
    did = body_did(status_list.body)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": _timestamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": encode_bitstring(status_list.size, revoked),
        },
        "iss": did,
        "sub": f"{url}#list",
        "iat": int(now.timestamp()),
    }
