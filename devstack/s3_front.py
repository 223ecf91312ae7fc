"""The local stack's S3, checked as S3 checks it, in front of moto's S3 (which trusts any request
that looks signed).

Every request moto would hand to its S3 backend passes ``S3Front.refusal`` first (CORS preflights
excepted); a refused one gets S3's own status code and XML error and never reaches moto:

* **who is asking**: the access key id of the signature names the caller: an IAM user's key or an
  ``sts:AssumeRole`` session (looked up in moto's IAM and STS backends; a session's token must come
  with it and must not have expired), or one of the static local credentials (the stack's own
  clients and workers, and moto's Step Functions engine), which are nobody in particular;
* **the signature**, recomputed with botocore's signer from the request as it arrived (method, raw
  path and query, the signed headers, the ``Host`` the client used) and the caller's secret key:
  presigned URLs (``X-Amz-Signature``; expired after ``X-Amz-Date`` + ``X-Amz-Expires``),
  ``Authorization`` headers (``x-amz-content-sha256`` is compared with the body when it is a hash)
  and presigned POST forms (the HMAC of the base64 policy);
* **a presigned POST's policy**: its expiration and every condition (``eq``, ``starts-with``,
  ``content-length-range`` against the file's size), and no form field without a condition;
* **the bucket's policy**: its ``Deny`` statements (``BucketPolicy``), for callers with an ARN.

Requests with no signature are refused (nothing in the buckets is public).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import io
import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote
from xml.sax.saxutils import escape

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.iam.models import get_account_id_from, iam_backends
from moto.s3.models import s3_backends
from moto.sts.models import sts_backends
from werkzeug.formparser import parse_form_data
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_input_stream

# Nobody in particular: the stack's own clients and (until they get their own) the functions'
# workers sign with ``local``; moto's Step Functions engine signs with ``ak``/``sk``.
STATIC_CREDENTIALS = {"local": "local", "ak": "sk"}
SIGV4 = "AWS4-HMAC-SHA256"
MAX_PRESIGNED_SECONDS = 7 * 24 * 3600
MAX_SKEW_SECONDS = 15 * 60
# Form fields a POST policy need not name (S3's "Creating a POST policy").
_UNCONDITIONED_FIELDS = {"x-amz-signature", "file", "policy"}
_AMZ_DATE = "%Y%m%dT%H%M%SZ"


class S3Error(Exception):
    """One of S3's error answers: ``<Error><Code>…</Code><Message>…</Message>…</Error>``."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details

    def response(self) -> Response:
        extra = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in self.details.items())
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message>{extra}"
            f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId><HostId>local</HostId></Error>"
        )
        return Response(body, status=self.status, content_type="application/xml")


def _access_denied(message: str = "Access Denied", **details: Any) -> S3Error:
    return S3Error(403, "AccessDenied", message, **details)


def _signature_does_not_match(**details: Any) -> S3Error:
    return S3Error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
        **details,
    )


@dataclass(frozen=True)
class Caller:
    access_key: str
    secret_key: str
    # aws:PrincipalArn: the IAM user, or the role of an assumed-role session; None for the static
    # local credentials, which belong to nobody in particular.
    principal_arn: str | None


@functools.lru_cache(maxsize=256)
def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    """SigV4's derived key (four HMACs), once per secret, day, region and service."""
    key = hmac.new(f"AWS4{secret_key}".encode(), date.encode(), hashlib.sha256).digest()
    for part in (region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Scope:
    access_key: str
    date: str
    region: str
    service: str

    @classmethod
    def parse(cls, credential: str) -> _Scope:
        parts = credential.split("/")
        if len(parts) != 5 or parts[4] != "aws4_request":
            raise S3Error(400, "AuthorizationHeaderMalformed", f"The authorization header is malformed; {credential}")
        return cls(*parts[:4])


def _timestamp(value: str) -> float:
    try:
        return datetime.strptime(value, _AMZ_DATE).replace(tzinfo=UTC).timestamp()
    except ValueError:
        raise _access_denied("AWS authentication requires a valid Date or x-amz-date header") from None


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------- the bucket policy


def _pattern(glob: str) -> re.Pattern[str]:
    """IAM's wildcards: ``*`` any run of characters, ``?`` one character."""
    return re.compile(".*".join(".".join(map(re.escape, part.split("?"))) for part in glob.split("*")), re.DOTALL)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class _Condition:
    operator: str
    key: str
    values: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    def holds(self, context: Callable[[str], str | None]) -> bool:
        actual = context(self.key)
        if self.operator == "StringNotEquals":
            return actual is None or actual not in self.values
        if self.operator == "ArnNotEquals":
            return actual is None or not any(p.fullmatch(actual) for p in self.patterns)
        # Bool: a key the request does not have never matches.
        return actual is not None and actual.lower() in (v.lower() for v in self.values)


class BucketPolicy:
    """The ``Deny`` statements of a bucket policy, evaluated against what a request carries.

    Only the condition operators the template uses are known (``StringNotEquals``, ``ArnNotEquals``,
    ``Bool``); another one stops the stack at start rather than being ignored. ``Allow`` statements
    are not evaluated (nothing locally enforces permissions), and nor can ``aws:SecureTransport``
    be known here: the local stack speaks plain HTTP, so that key is absent and its ``Bool`` never
    matches.
    """

    OPERATORS = frozenset({"StringNotEquals", "ArnNotEquals", "Bool"})

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.statements: list[tuple[list[re.Pattern[str]], list[re.Pattern[str]], list[_Condition]]] = []
        for statement in _as_list(document.get("Statement", [])):
            if statement.get("Effect") != "Deny":
                continue
            if {"NotAction", "NotResource", "NotPrincipal"} & statement.keys():
                raise ValueError(f"the S3 front cannot evaluate {sorted(statement)} in a bucket policy")
            principal = statement.get("Principal", "*")
            if principal not in ("*", {"AWS": "*"}):
                raise ValueError(f"the S3 front evaluates only Principal '*' in a Deny, not {principal!r}")
            conditions = []
            for operator, keys in statement.get("Condition", {}).items():
                if operator not in self.OPERATORS:
                    raise ValueError(f"the S3 front cannot evaluate the condition operator {operator}")
                for key, values in keys.items():
                    listed = tuple(str(v) for v in _as_list(values))
                    conditions.append(_Condition(operator, key, listed, tuple(_pattern(v) for v in listed)))
            actions = [_pattern(str(a).lower()) for a in _as_list(statement.get("Action", []))]
            resources = [_pattern(str(r)) for r in _as_list(statement.get("Resource", []))]
            self.statements.append((actions, resources, conditions))

    def denies(self, action: str, resource: str, context: Callable[[str], str | None]) -> bool:
        for actions, resources, conditions in self.statements:
            if (
                any(a.fullmatch(action.lower()) for a in actions)
                and any(r.fullmatch(resource) for r in resources)
                and all(c.holds(context) for c in conditions)
            ):
                return True
        return False


# ---------------------------------------------------------------------------- the front


@dataclass(frozen=True)
class _Target:
    method: str
    raw_path: str  # as sent, still percent-encoded
    query: str  # as sent
    bucket: str
    key: str  # decoded; "" for a bucket-level request


class S3Front:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.bucket_policies: dict[str, BucketPolicy] = {}
        self._sessions: dict[str, Any] = {}

    def use_bucket_policies(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        """The template's bucket policies (resolved), by bucket name; parsed once here."""
        self.bucket_policies = {bucket: BucketPolicy(document) for bucket, document in documents.items()}

    def refusal(self, environ: dict[str, Any]) -> Response | None:
        """S3's answer to a request it would refuse, or None to let moto serve it."""
        try:
            self._check(environ)
        except S3Error as error:
            response = error.response()
            origin = environ.get("HTTP_ORIGIN")
            if origin:  # as moto's own answers carry it, so a browser can read the refusal
                response.headers["Access-Control-Allow-Origin"] = origin
                response.headers["Vary"] = "Origin"
            return response
        return None

    # ------------------------------------------------------------------ checks
    def _check(self, environ: dict[str, Any]) -> None:
        target = _target(environ)
        query = dict(parse_qsl(target.query, keep_blank_values=True))
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        if "X-Amz-Signature" in query or "X-Amz-Credential" in query:
            caller = self._check_presigned(environ, target, query)
        elif authorization.startswith(SIGV4):
            caller = self._check_authorization(environ, target, authorization)
        elif authorization or "AWSAccessKeyId" in query:  # Signature Version 2
            raise S3Error(
                400,
                "InvalidRequest",
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
            )
        elif target.method == "POST" and environ.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
            caller, key = self._check_post(environ, target)
            target = _Target(target.method, target.raw_path, target.query, target.bucket, key)
        else:
            raise _access_denied()
        if caller.principal_arn is not None and target.bucket in self.bucket_policies:
            self._check_bucket_policy(environ, target, query, caller)

    def _caller(self, access_key: str, token: str | None) -> Caller:
        if access_key in STATIC_CREDENTIALS:
            return Caller(access_key, STATIC_CREDENTIALS[access_key], None)
        account = get_account_id_from(access_key)
        stored = iam_backends[account]["aws"].access_keys.get(access_key)
        if stored is None or stored.status != "Active":
            raise S3Error(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
                AWSAccessKeyId=access_key,
            )
        if stored.user_name:
            return Caller(access_key, stored.secret_access_key, f"arn:aws:iam::{account}:user/{stored.user_name}")
        session = self._sessions.get(access_key) or sts_backends[account]["aws"].get_assumed_role_from_access_key(
            access_key
        )
        if session is not None:
            self._sessions[access_key] = session
        if session is None or token != session.session_token:
            raise S3Error(400, "InvalidToken", "The provided token is malformed or otherwise invalid.")
        if session.expiration.replace(tzinfo=UTC).timestamp() < self.clock():
            raise S3Error(400, "ExpiredToken", "The provided token has expired.")
        return Caller(access_key, stored.secret_access_key, session.role_arn)

    def _check_presigned(self, environ: dict[str, Any], target: _Target, query: dict[str, str]) -> Caller:
        if query.get("X-Amz-Algorithm") != SIGV4:
            raise S3Error(
                400,
                "AuthorizationQueryParametersError",
                'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
            )
        try:
            expires = int(query["X-Amz-Expires"])
            scope = _Scope.parse(query["X-Amz-Credential"])
            amz_date, signed_headers, signature = (
                query["X-Amz-Date"],
                query["X-Amz-SignedHeaders"],
                query["X-Amz-Signature"],
            )
        except (KeyError, ValueError):
            raise S3Error(
                400,
                "AuthorizationQueryParametersError",
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
            ) from None
        if not 0 < expires <= MAX_PRESIGNED_SECONDS:
            raise S3Error(
                400,
                "AuthorizationQueryParametersError",
                "X-Amz-Expires must be less than a week (in seconds) that is; 604800",
            )
        caller = self._caller(scope.access_key, query.get("X-Amz-Security-Token"))
        signed_at, now = _timestamp(amz_date), self.clock()
        if now > signed_at + expires:
            raise _access_denied(
                "Request has expired",
                **{"X-Amz-Expires": expires},
                Expires=_iso(signed_at + expires),
                ServerTime=_iso(now),
            )
        # The canonical query is every parameter but the signature, as sent.
        unsigned = "&".join(p for p in target.query.split("&") if not p.startswith("X-Amz-Signature="))
        request = _request(environ, target, unsigned, signed_headers, amz_date)
        signer = S3SigV4QueryAuth(Credentials(caller.access_key, caller.secret_key), scope.service, scope.region)
        self._verify(signer, request, scope, caller, signature)
        return caller

    def _check_authorization(self, environ: dict[str, Any], target: _Target, authorization: str) -> Caller:
        fields = dict(part.strip().split("=", 1) for part in authorization[len(SIGV4) :].split(",") if "=" in part)
        try:
            scope = _Scope.parse(fields["Credential"])
            signed_headers, signature = fields["SignedHeaders"], fields["Signature"]
        except KeyError:
            raise S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.") from None
        caller = self._caller(scope.access_key, environ.get("HTTP_X_AMZ_SECURITY_TOKEN"))
        amz_date = environ.get("HTTP_X_AMZ_DATE", "")
        if abs(self.clock() - _timestamp(amz_date)) > MAX_SKEW_SECONDS:
            raise S3Error(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
                RequestTime=amz_date,
                ServerTime=_iso(self.clock()),
                MaxAllowedSkewMilliseconds=MAX_SKEW_SECONDS * 1000,
            )
        content_sha256 = environ.get("HTTP_X_AMZ_CONTENT_SHA256")
        if content_sha256 is None:
            raise S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
        if re.fullmatch("[0-9a-f]{64}", content_sha256):
            if hashlib.sha256(_body(environ)).hexdigest() != content_sha256:
                raise S3Error(
                    400,
                    "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                )
        elif content_sha256 != "UNSIGNED-PAYLOAD" and not content_sha256.startswith("STREAMING-"):
            raise S3Error(
                400,
                "InvalidArgument",
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-*, or a valid sha256 value.",
            )
        request = _request(environ, target, target.query, signed_headers, amz_date)
        signer = S3SigV4Auth(Credentials(caller.access_key, caller.secret_key), scope.service, scope.region)
        self._verify(signer, request, scope, caller, signature)
        return caller

    def _verify(self, signer: S3SigV4Auth, request: AWSRequest, scope: _Scope, caller: Caller, signature: str) -> None:
        if request.context["timestamp"][:8] != scope.date:
            raise _signature_does_not_match(AWSAccessKeyId=caller.access_key)
        string_to_sign = signer.string_to_sign(request, signer.canonical_request(request))
        expected = _sign(signing_key(caller.secret_key, scope.date, scope.region, scope.service), string_to_sign)
        if not hmac.compare_digest(expected, signature):
            raise _signature_does_not_match(AWSAccessKeyId=caller.access_key, StringToSign=string_to_sign)

    def _check_post(self, environ: dict[str, Any], target: _Target) -> tuple[Caller, str]:
        """A browser's presigned POST: signature, expiry and every condition of its policy."""
        body = _body(environ)
        _, form, files = parse_form_data({**environ, "wsgi.input": io.BytesIO(body)})
        fields = {name.lower(): value for name, value in form.items()}
        upload = files.get("file")
        if "policy" not in fields or "x-amz-signature" not in fields:
            raise _access_denied()
        if fields.get("x-amz-algorithm") != SIGV4:
            raise S3Error(400, "InvalidArgument", "POST requires the x-amz-algorithm field to be AWS4-HMAC-SHA256")
        if "key" not in fields:
            raise S3Error(
                400,
                "InvalidArgument",
                "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the "
                "fields.",
            )
        scope = _Scope.parse(fields.get("x-amz-credential", ""))
        caller = self._caller(scope.access_key, fields.get("x-amz-security-token"))
        expected = _sign(signing_key(caller.secret_key, scope.date, scope.region, scope.service), fields["policy"])
        if not hmac.compare_digest(expected, fields["x-amz-signature"]):
            raise _signature_does_not_match(AWSAccessKeyId=caller.access_key, StringToSign=fields["policy"])
        try:
            policy = json.loads(base64.b64decode(fields["policy"], validate=True))
            expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00")).timestamp()
            conditions = list(policy["conditions"])
        except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
            raise S3Error(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from None
        if self.clock() > expiration:
            raise _access_denied("Invalid according to Policy: Policy expired.")
        size = _size(upload.stream) if upload is not None else 0
        values = {**fields, "bucket": target.bucket}
        named = {"bucket"}
        for condition in conditions:
            named.add(_check_condition(condition, values, size))
        extra = [
            name
            for name in form
            if name.lower() not in named
            and name.lower() not in _UNCONDITIONED_FIELDS
            and not name.lower().startswith("x-ignore-")
        ]
        if extra:
            raise _access_denied(f"Invalid according to Policy: Extra input fields: {', '.join(extra)}")
        return caller, fields["key"]

    def _check_bucket_policy(
        self, environ: dict[str, Any], target: _Target, query: dict[str, str], caller: Caller
    ) -> None:
        checks = [(target.bucket, target.key, query.get("versionId"), _action(target, query))]
        copy_source = environ.get("HTTP_X_AMZ_COPY_SOURCE")
        if copy_source and target.method == "PUT":
            source, _, version = copy_source.lstrip("/").partition("?versionId=")
            bucket, _, key = unquote(source).partition("/")
            checks.append((bucket, key, version or None, "s3:GetObjectVersion" if version else "s3:GetObject"))
        for bucket, key, version, action in checks:
            if action is None or not key or bucket not in self.bucket_policies:
                continue
            resource = f"arn:aws:s3:::{bucket}/{key}"
            tags = functools.cache(lambda b=bucket, k=key, v=version: _object_tags(b, k, v))

            def context(name: str, tags: Callable[[], dict[str, str]] = tags) -> str | None:
                if name == "aws:PrincipalArn":
                    return caller.principal_arn
                if name.startswith("s3:ExistingObjectTag/"):
                    return tags().get(name.split("/", 1)[1])
                return None

            if self.bucket_policies[bucket].denies(action, resource, context):
                raise _access_denied(
                    f"User: {caller.principal_arn} is not authorized to perform: {action} on resource: "
                    f'"{resource}" with an explicit deny in a resource-based policy'
                )


# ---------------------------------------------------------------------------- request helpers


def _target(environ: dict[str, Any]) -> _Target:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
    raw_path, _, _ = raw.partition("?")
    bucket, _, key = raw_path.lstrip("/").partition("/")
    return _Target(environ["REQUEST_METHOD"], raw_path, environ.get("QUERY_STRING", ""), unquote(bucket), unquote(key))


def _header(environ: dict[str, Any], name: str) -> str | None:
    if name == "content-type":
        return environ.get("CONTENT_TYPE") or None
    if name == "content-length":
        return environ.get("CONTENT_LENGTH") or None
    return environ.get("HTTP_" + name.upper().replace("-", "_"))


def _request(environ: dict[str, Any], target: _Target, query: str, signed_headers: str, amz_date: str) -> AWSRequest:
    """The request as the client signed it: the signed headers only, with the Host it used."""
    headers = {}
    for name in signed_headers.split(";"):
        value = _header(environ, name)
        if value is not None:
            headers[name] = value
    url = f"http://{environ.get('HTTP_HOST', '')}{target.raw_path}" + (f"?{query}" if query else "")
    request = AWSRequest(method=target.method, url=url, headers=headers)
    request.context["timestamp"] = amz_date
    return request


def _body(environ: dict[str, Any]) -> bytes:
    """The whole body, read once and put back for moto."""
    length = environ.get("CONTENT_LENGTH")
    stream = get_input_stream(environ)
    # One read of the declared length (werkzeug's read() of the whole stream goes in small chunks).
    body = stream.read(int(length)) if length and length.isdigit() else stream.read()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["wsgi.input_terminated"] = True
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _size(stream: Any) -> int:
    stream.seek(0, io.SEEK_END)
    size = int(stream.tell())
    stream.seek(0)
    return size


def _check_condition(condition: Any, values: dict[str, str], size: int) -> str:
    """Check one POST policy condition; the (lower-case) field it names."""
    if isinstance(condition, dict) and len(condition) == 1:
        [(name, expected)] = condition.items()
        operator, field = "eq", f"${name}"
    elif isinstance(condition, list) and len(condition) == 3 and condition[0] == "content-length-range":
        low, high = int(condition[1]), int(condition[2])
        if size > high:
            raise S3Error(
                400,
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size",
                ProposedSize=size,
                MaxSizeAllowed=high,
            )
        if size < low:
            raise S3Error(
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size",
                ProposedSize=size,
                MinSizeAllowed=low,
            )
        return "content-length-range"
    elif isinstance(condition, list) and len(condition) == 3 and condition[0] in ("eq", "starts-with"):
        operator, field, expected = condition
        if not str(field).startswith("$"):
            raise S3Error(400, "InvalidPolicyDocument", f"Invalid Policy: Invalid Condition: {json.dumps(condition)}")
    else:
        raise S3Error(400, "InvalidPolicyDocument", f"Invalid Policy: Invalid Condition: {json.dumps(condition)}")
    name = str(field)[1:].lower()
    actual = values.get(name, "")
    holds = actual == str(expected) if operator == "eq" else actual.startswith(str(expected))
    if not holds:
        raise _access_denied(
            f"Invalid according to Policy: Policy Condition failed: {json.dumps([operator, field, expected])}"
        )
    return name


def _action(target: _Target, query: Mapping[str, str]) -> str | None:
    """The S3 action of an object-level request, as a bucket policy names it (None: not one the
    front knows, so no statement is applied to it)."""
    versioned = "versionId" in query
    if "tagging" in query:
        verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(target.method)
        return f"s3:{verb}Object{'Version' if versioned else ''}Tagging" if verb else None
    if "uploadId" in query or "uploads" in query:
        return {"GET": "s3:ListMultipartUploadParts", "DELETE": "s3:AbortMultipartUpload"}.get(
            target.method, "s3:PutObject"
        )
    if set(query) - {"versionId", "partNumber"} - {k for k in query if k.startswith(("response-", "X-Amz-"))}:
        return None
    if target.method in ("GET", "HEAD"):
        return "s3:GetObjectVersion" if versioned else "s3:GetObject"
    if target.method in ("PUT", "POST"):
        return "s3:PutObject"
    if target.method == "DELETE":
        return "s3:DeleteObjectVersion" if versioned else "s3:DeleteObject"
    return None


def _object_tags(bucket: str, key: str, version: str | None) -> dict[str, str]:
    """The object's tags from moto's S3 (none for an object that does not exist)."""
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    try:
        stored = backend.get_object(bucket, key, version_id=version)
    except Exception:  # noqa: BLE001 -- a missing bucket or version has no tags; S3 answers the request itself
        return {}
    return backend.tagger.get_tag_dict_for_resource(stored.arn) if stored is not None else {}
