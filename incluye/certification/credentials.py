"""Signed credentials: the body's signing keys, its JWKS and DID document, the Open Badges 3.0
`OpenBadgeCredential` of a certificate and the Bitstring Status List credential that publishes
revocations.

A credential is a JWT as Open Badges 3.0 §8.2 (VC-JWT) asks and 1EdTech's validator checks: the
header is {"alg": "ES256", "typ": "JWT", "kid": "<HTTPS URL>"}, where the kid dereferences to the
public JWK itself (/certification/bodies/<id>/keys/<name>.json); the payload is the credential plus
the registered claims iss, sub, jti, iat and nbf. ES256 (ECDSA on P-256) is the algorithm OB 3.0
verifiers support besides RS256, with short keys and signatures.

Certificates issued before 2026-12 were signed with Ed25519 ("EdDSA") under a did:web key id: those
keys stay published (JWKS, their own key URL, the DID document), so every old certificate still
verifies, but no new credential uses them. The issuer keeps its did:web identifier, whose document
lists every key the body ever used."""

import base64
import gzip
import hashlib
import json
import warnings
from urllib.parse import quote, urlsplit

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from joserfc import jwt
from joserfc.jwk import ECKey, JWKRegistry, KeySet

from incluye.core.links import absolute_url, site_url

ALGORITHM = "ES256"
LEGACY_ALGORITHM = "EdDSA"  # Ed25519: verified, never used to sign again
ALGORITHMS = (ALGORITHM, LEGACY_ALGORITHM)
TYP = "JWT"
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


def encrypt_private_key(key) -> str:
    return _fernet().encrypt(json.dumps(key.as_dict(private=True)).encode()).decode()


def decrypt_private_key(token: str):
    """The private key (an EC P-256 key, or a legacy Ed25519 OKP key)."""
    return JWKRegistry.import_key(json.loads(_fernet().decrypt(token.encode())))


def generate_key() -> ECKey:
    return ECKey.generate_key("P-256", private=True)


# --- Identifiers --------------------------------------------------------------------------------


def body_did(body) -> str:
    """did:web of a body: did:web:<host>:certification:bodies:<id> → <site>/certification/bodies/<id>/did.json."""
    parts = urlsplit(site_url())
    segments = [quote(parts.netloc, safe=""), *[s for s in parts.path.split("/") if s]]
    return "did:web:" + ":".join([*segments, "certification", "bodies", str(body.pk)])


def key_url(body, name: str) -> str:
    """The key id of a new key: an HTTPS URL that answers with the public JWK itself."""
    return absolute_url("certification:public_key", body.pk, name)


def key_name(kid: str) -> str:
    """The short name of a key, from either kind of key id (a did:web URL's fragment, or the last
    segment of the key's URL)."""
    if "#" in kid:
        return kid.rsplit("#", 1)[1]
    return urlsplit(kid).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")


# --- Published documents --------------------------------------------------------------------------


def public_jwk(signing_key) -> dict:
    return {**signing_key.public_jwk, "kid": signing_key.kid, "alg": signing_key.algorithm, "use": "sig"}


def jwks(body) -> dict:
    """Every key the body ever signed with (active first): old credentials stay verifiable."""
    keys = body.signing_keys.order_by("-active", "-created_at", "-id")
    return {"keys": [public_jwk(k) for k in keys]}


def did_document(body) -> dict:
    """The did:web document of the body: every key, as a verification method of the DID (the legacy
    Ed25519 keys' ids are the DID URLs their credentials name)."""
    did = body_did(body)
    methods = [
        {
            "id": f"{did}#{key_name(k['kid'])}",
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": _public(k),
        }
        for k in jwks(body)["keys"]
    ]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def _public(jwk: dict) -> dict:
    return {k: jwk[k] for k in ("kty", "crv", "x", "y", "n", "e") if k in jwk}


# --- Signing --------------------------------------------------------------------------------------


def sign(payload: dict, signing_key) -> str:
    """A compact JWS of the payload, with the header OB 3.0 §8.2 asks for."""
    if signing_key.algorithm != ALGORITHM:
        raise ValueError(f"New credentials are signed with {ALGORITHM}, not {signing_key.algorithm}.")
    key = decrypt_private_key(signing_key.private_jwk_encrypted)
    header = {"alg": ALGORITHM, "typ": TYP, "kid": signing_key.kid}
    return jwt.encode(header, payload, key, algorithms=[ALGORITHM])


def verify(token: str, body) -> dict:
    """Check a credential against the body's published keys (new ES256 ones and legacy Ed25519
    ones); returns the claims, or raises. The header's algorithm must be its key's."""
    keys = KeySet.import_key_set(jwks(body))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc flags "EdDSA" as superseded by RFC 9864's "Ed25519"
        token_object = jwt.decode(token, keys, algorithms=list(ALGORITHMS))
    published = {k["kid"]: k["alg"] for k in jwks(body)["keys"]}
    if published.get(token_object.header.get("kid")) != token_object.header.get("alg"):
        raise ValueError("The algorithm in the header is not the key's.")
    return token_object.claims


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
    status_url = absolute_url("certification:status_list", certificate.status_list_id)
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
                "id": absolute_url("certification:verify_token", certificate.token),
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

    url = absolute_url("certification:status_list", status_list.pk)
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
