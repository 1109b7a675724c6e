"""A port of the rules 1EdTech's validator (github.com/1EdTech/digital-credentials-public-validator,
`inspector-vc`) runs on an Open Badges 3.0 credential secured as a JWT, probe by probe, in the order
of its `OB30Inspector`:

1. CredentialParseProbe: the credential is the JWT's `vc` claim, or the whole payload.
2. JsonLDValidationProbe: JSON-LD expansion with `expandContext = {"@vocab": "urn:UNDEFINEDTERM"}`;
   any key or string that expands to that prefix is an undefined term (jsonld-common-java's
   `Validation`). Contexts come only from the vendored files (ob3/): no network.
3. ContextPropertyProbe and TypePropertyProbe: the VC 2.0 and OB 3.0.3 contexts in that order
   (with the aliases and version patterns the validator accepts); VerifiableCredential plus
   OpenBadgeCredential or AchievementCredential.
4. JsonSchemasProbe: 1EdTech's AchievementCredential JSON Schema (draft 2019-09); InlineJsonSchema
   for any `credentialSchema`.
5. CredentialSubjectProbe("AchievementSubject", achievement required), EvidenceProbe, IssuerProbe.
6. ExternalProofProbe: `alg` present and RS256 or ES256; the key from `jwk`, or fetched from the
   `kid` URL (which must answer with the JWK itself); then the signature and the registered claims
   (exp, nbf, iat) as auth0's JWT verifier checks them.
7. RevocationListProbe / BitstringStatusListProbe: the status list credential is fetched, its own
   proof checked the same way, the purpose compared, the list expanded (at least 131 072 entries)
   and the credential's bit read: set means "Credential has been revoked".
8. ExpirationProbe and IssuanceProbe: `validUntil` not past, `validFrom` not in the future.

URLs are fetched through Django's test client (the project's own URLs only); anything else counts
as not retrievable, as it would for a verifier that cannot reach it."""

import base64
import copy
import datetime
import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import jwt
from pyld import jsonld

VENDOR = Path(__file__).with_name("ob3")
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT_FILES = {VC_V2: "credentials-v2.jsonld", OB_303: "ob-v3p0-context-3.0.3.json"}
CONTEXT_ALIASES = {
    OB_303: [
        "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    ],
    VC_V2: ["https://www.w3.org/2018/credentials/v1"],
}
CONTEXT_PATTERNS = {
    OB_303: [r"https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-\d+\.\d+\.\d+)*\.json"]
}
UNDEFINED_TERM_URI = "urn:UNDEFINEDTERM"
MINIMUM_ENTRIES = 131_072

SUCCESS, WARNING, ERROR, FATAL, NOT_RUN = "success", "warning", "error", "fatal", "not_run"


@dataclass
class Report:
    items: list = field(default_factory=list)  # (probe, outcome, message)

    def add(self, probe, outcome, message=""):
        self.items.append((probe, outcome, message))
        return outcome

    @property
    def valid(self) -> bool:
        return not any(outcome in (ERROR, FATAL) for _probe, outcome, _message in self.items)

    def outcome(self, probe) -> str:
        return next(o for p, o, _m in self.items if p == probe)

    def messages(self, outcome=None) -> list[str]:
        return [f"{p}: {m}" for p, o, m in self.items if outcome is None or o == outcome]

    @property
    def probes(self) -> list[str]:
        return [p for p, _o, _m in self.items]


# --- resources ------------------------------------------------------------------------------------


def fetch(client, site_url: str, url: str):
    """GET one of the project's URLs through the test client: (status, content type, text)."""
    if not url.startswith(site_url + "/"):
        return None
    response = client.get(url.removeprefix(site_url))
    return response.status_code, response.get("Content-Type", ""), response.content.decode()


def document_loader(url, options=None):
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise jsonld.JsonLdError(f"Context not available offline: {url}", "loading document failed")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads((VENDOR / name).read_text()),
    }


def schema() -> dict:
    """1EdTech's AchievementCredential schema with the OB 3.0.3 (VC 2.0) names of its two dates."""
    data = json.loads((VENDOR / "ob_v3p0_achievementcredential_schema.json").read_text())
    data = copy.deepcopy(data)
    properties = data["properties"]
    properties["validFrom"] = properties.pop("issuanceDate")
    properties["validUntil"] = properties.pop("expirationDate")
    data["required"] = ["validFrom" if r == "issuanceDate" else r for r in data["required"]]
    return data


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _strings(node) -> list[str]:
    if node is None:
        return []
    return [node] if isinstance(node, str) else [str(v) for v in node]


# --- probes ---------------------------------------------------------------------------------------


def parse(token: str, report: Report):
    parts = token.split(".")
    if len(parts) != 3:
        report.add("CredentialParseProbe", FATAL, "invalid jwt")
        return None
    payload = json.loads(_b64(parts[1]))
    report.add("CredentialParseProbe", SUCCESS)
    return payload.get("vc", payload)


def undefined_terms(credential: dict) -> list[str]:
    expanded = jsonld.expand(
        credential,
        {"documentLoader": document_loader, "expandContext": {"@vocab": UNDEFINED_TERM_URI}},
    )
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith(UNDEFINED_TERM_URI):
                    found.append(key.removeprefix(UNDEFINED_TERM_URI))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node.startswith(UNDEFINED_TERM_URI):
            found.append(node.removeprefix(UNDEFINED_TERM_URI))

    walk(expanded[0] if expanded else {})
    return found


def jsonld_validation(credential, report):
    try:
        terms = undefined_terms(credential)
    except jsonld.JsonLdError as error:
        return report.add("JsonLDValidationProbe", FATAL, f"Error while validation JSON LD object: {error}")
    if terms:
        return report.add(
            "JsonLDValidationProbe", FATAL, f"JSON-LD problem. (Undefined JSON-LD term: {terms[0]})"
        )
    return report.add("JsonLDValidationProbe", SUCCESS)


def _context_contains(uri, value):
    return (
        value == uri
        or value in CONTEXT_ALIASES.get(uri, [])
        or any(re.fullmatch(p, value) for p in CONTEXT_PATTERNS.get(uri, []))
    )


def context_property(credential, report, expected=(VC_V2, OB_303)):
    values = [v for v in credential.get("@context", []) if isinstance(v, str)]
    if not values:
        return report.add("ContextPropertyProbe", NOT_RUN, "No @context property")
    warnings = []
    for position, uri in enumerate(expected):
        if len(values) < position + 1 or not _context_contains(uri, values[position]):
            return report.add(
                "ContextPropertyProbe",
                ERROR,
                f"missing required @context uri {uri} at position {position + 1}",
            )
        if values[position] != uri:
            warnings.append(f"expected @context uri {uri} at position {position + 1}")
    return report.add("ContextPropertyProbe", WARNING if warnings else SUCCESS, "; ".join(warnings))


def type_property(credential, report, extra=("OpenBadgeCredential", "AchievementCredential")):
    values = _strings(credential.get("type"))
    if not values:
        return report.add("TypePropertyProbe", FATAL, "No type property")
    if "VerifiableCredential" not in values:
        return report.add(
            "TypePropertyProbe", FATAL, "The type property does not contain the entry 'VerifiableCredential'"
        )
    if extra and not set(extra) & set(values):
        return report.add("TypePropertyProbe", FATAL, f"The type property does not contain one of {extra}")
    return report.add("TypePropertyProbe", SUCCESS)


def json_schema(credential, report):
    validator = jsonschema.Draft201909Validator(
        schema(), format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(credential), key=lambda e: list(e.path))
    if errors:
        return report.add(
            "JsonSchemasProbe", ERROR, "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)
        )
    return report.add("JsonSchemasProbe", SUCCESS)


def inline_schema(credential, report):
    schemas = credential.get("credentialSchema")
    if not schemas:
        return report.add("InlineJsonSchemaProbe", NOT_RUN, "no credentialSchema")
    return report.add("InlineJsonSchemaProbe", ERROR, "inline schemas are not fetched by this port")


def credential_subject(credential, report):
    probe = "CredentialSubjectProbe"
    subject = credential.get("credentialSubject")
    if subject is None:
        return report.add(probe, NOT_RUN, "no credentialSubject node found")
    if "AchievementSubject" not in _strings(subject.get("type")):
        return report.add(probe, ERROR, 'credentialSubject is not of type "AchievementSubject"')
    if not (subject.get("id") or "").strip() and not subject.get("identifier"):
        return report.add(probe, ERROR, "no id in credentialSubject")
    for identifier in subject.get("identifier") or []:
        if "IdentityObject" not in _strings(identifier.get("type")):
            return report.add(probe, ERROR, 'identifier in credentialSubject is not of type "IdentityObject"')
    for result in subject.get("result") or []:
        if "Result" not in _strings(result.get("type")):
            return report.add(probe, ERROR, 'result in credentialSubject is not of type "Result"')
    achievement = subject.get("achievement")
    if achievement is None:
        return report.add(probe, ERROR, "missing required achievement in credentialSubject")
    for description in achievement.get("resultDescription") or []:
        if "ResultDescription" not in _strings(description.get("type")):
            return report.add(probe, ERROR, "resultDescription is not of type ResultDescription")
    criteria = achievement.get("criteria") or {}
    if criteria.get("id") is None and criteria.get("narrative") is None:
        return report.add(
            probe, ERROR, "criteria in achievement of credentialSubject must have id or narrative"
        )
    if subject.get("source") and "Profile" not in _strings(subject["source"].get("type")):
        return report.add(probe, ERROR, 'source in credentialSubject is not of type "Profile"')
    return report.add(probe, SUCCESS)


def evidence(credential, report):
    for item in credential.get("evidence") or []:
        if "Evidence" not in _strings(item.get("type")):
            return report.add("EvidenceProbe", ERROR, 'evidence is not of type "Evidence"')
    return report.add("EvidenceProbe", SUCCESS)


def issuer(credential, report):
    profile = credential.get("issuer")
    if profile is None:
        return report.add("IssuerProbe", ERROR, "no issuer node found")
    if "Profile" not in _strings(profile.get("type")):
        return report.add("IssuerProbe", ERROR, 'issuer is not of type "Profile"')
    for other in profile.get("otherIdentifier") or []:
        if "IdentityObject" not in _strings(other.get("type")):
            return report.add(
                "IssuerProbe", ERROR, 'otherIdentifier in issuer is not of type "IdentityObject"'
            )
    if profile.get("parentOrg") and "Profile" not in _strings(profile["parentOrg"].get("type")):
        return report.add("IssuerProbe", ERROR, 'parentOrg in issuer is not of type "Profile"')
    # The validator also GETs issuer.url and warns when it is not accessible: an external site, not
    # fetched here (at most a warning there).
    return report.add("IssuerProbe", SUCCESS)


def external_proof(token, report, client, site_url, probe="ExternalProofProbe"):
    try:
        header = json.loads(_b64(token.split(".")[0]))
        if header.get("alg") not in ("RS256", "ES256"):
            raise ValueError("alg must be present and must be either 'RS256' or 'ES256'")
        jwk = header.get("jwk")
        kid = header.get("kid")
        if jwk is None and kid is None:
            raise ValueError("Key must present in either jwk or kid value.")
        if kid is not None:
            if not re.match(r"^https?://", kid):
                raise ValueError("Unable to retrieve jwk value from url specified in kid.")
            fetched = fetch(client, site_url, kid)
            if fetched is None or fetched[0] != 200:
                raise ValueError("Unable to retrieve jwk value from url specified in kid.")
            jwk = json.loads(fetched[2])
        kty = jwk.get("kty")
        if kty == "EC" and jwk.get("crv") != "P-256":
            raise ValueError(f"Unsupported curve: {jwk.get('crv')}")
        if kty not in ("RSA", "EC"):
            raise ValueError(f"Unsupported key type: {kty}")
        algorithm = "RS256" if kty == "RSA" else "ES256"
        if header["alg"] != algorithm:
            raise ValueError("JWT Algorithm mismatch")
        key = jwt.PyJWK({k: v for k, v in jwk.items() if k in ("kty", "crv", "x", "y", "n", "e")}).key
        try:
            # auth0's verifier: the signature, then exp, nbf and iat against now (no leeway).
            claims = jwt.decode(token, key, algorithms=[algorithm], options={"verify_aud": False})
        except jwt.InvalidSignatureError as error:
            raise ValueError("JWT Invalid signature") from error
        except jwt.ExpiredSignatureError as error:
            raise ValueError("JWT Token expired") from error
        except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError) as error:
            raise ValueError("JWT, one or more claims are invalid") from error
        if (
            isinstance(claims.get("iat"), int | float)
            and claims["iat"] > datetime.datetime.now(datetime.UTC).timestamp()
        ):
            raise ValueError("JWT, one or more claims are invalid")
    except (ValueError, KeyError, json.JSONDecodeError) as error:
        return report.add(probe, FATAL, f"Error verifying jwt signature: {error}")
    return report.add(probe, SUCCESS)


def status(credential, report, client, site_url):
    entry = credential.get("credentialStatus")
    if entry is None:
        return report.add("RevocationListProbe", SUCCESS, "no credentialStatus")
    if entry.get("type") != "BitstringStatusListEntry":
        return report.add("RevocationListProbe", SUCCESS, f"status type {entry.get('type')} not checked")
    probe = "BitstringStatusListProbe"
    purpose = (entry.get("statusPurpose") or "").strip()
    size = int(entry.get("statusSize", 1))
    fetched = fetch(client, site_url, entry.get("statusListCredential", ""))
    if fetched is None or fetched[0] != 200:
        return report.add(probe, ERROR, "statusListCredential could not be retrieved")
    token = fetched[2].strip()
    list_report = Report()
    status_credential = parse(token, list_report)
    if status_credential is not None:
        context_property(status_credential, list_report, expected=(VC_V2,))
        type_property(status_credential, list_report, extra=("BitstringStatusListCredential",))
        external_proof(token, list_report, client, site_url)
    if not list_report.valid:
        return report.add(probe, ERROR, "; ".join(list_report.messages()))
    subject = status_credential["credentialSubject"]
    if subject.get("statusPurpose", "").strip() != purpose:
        return report.add(probe, ERROR, "statusPurpose mismatch")
    encoded = subject.get("encodedList") or ""
    if not encoded:
        return report.add(probe, ERROR, "encodedList is empty")
    if not encoded.startswith("u"):
        return report.add(probe, FATAL, "Error expanding bitstring: not multibase base64url")
    bits = gzip.decompress(_b64(encoded[1:]))
    if len(bits) * 8 // size < MINIMUM_ENTRIES:
        return report.add(probe, ERROR, "revocation bitstring length is less than minimumNumberOfEntries")
    index = int(entry["statusListIndex"]) * size
    if index >= len(bits) * 8:
        return report.add(
            probe, ERROR, "credentialIndex multiplied by the size is a value outside of the range"
        )
    if bits[index // 8] & (1 << (7 - index % 8)):
        return report.add(probe, FATAL, "Credential has been revoked")
    return report.add(probe, SUCCESS, "Credential is not revoked.")


def _instant(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def expiration(credential, report):
    until = credential.get("validUntil")
    if until and datetime.datetime.now(datetime.UTC) > _instant(until):
        return report.add("ExpirationProbe", FATAL, f"The credential has expired (validUntil was {until}).")
    return report.add("ExpirationProbe", SUCCESS)


def issuance(credential, report):
    since = credential.get("validFrom")
    if since and _instant(since) > datetime.datetime.now(datetime.UTC):
        return report.add(
            "IssuanceProbe", FATAL, f"The credential is not yet issued or valid (validFrom is {since})."
        )
    return report.add("IssuanceProbe", SUCCESS)


def inspect(token: str, *, client, site_url: str) -> Report:
    """Run the probes in the validator's order; like it, stop at the first broken step."""
    report = Report()
    credential = parse(token, report)
    if credential is None:
        return report
    steps = [
        lambda: jsonld_validation(credential, report),
        lambda: context_property(credential, report),
        lambda: type_property(credential, report),
        lambda: json_schema(credential, report),
        lambda: inline_schema(credential, report),
        lambda: credential_subject(credential, report),
        lambda: evidence(credential, report),
        lambda: issuer(credential, report),
        lambda: external_proof(token, report, client, site_url),
        lambda: status(credential, report, client, site_url),
        lambda: expiration(credential, report),
        lambda: issuance(credential, report),
    ]
    for step in steps:
        if step() in (ERROR, FATAL):
            break
    return report
