"""Errors of the mihub client: one exception per kind of refusal, whichever way the call went.

A REST call through the gateway that is refused answers an RFC 9457 problem (``application/problem+json``);
a gRPC call answers a status code with a ``google.rpc.Status`` in its trailers. Both become the same
exception classes, carrying what the server said: the HTTP status or gRPC code, the detail, the field
violations (``google.rpc.BadRequest`` / the problem's ``errors``) and, for a refused upload, every
rejected row (``IngestRejected`` / the problem's ``rejections``).
"""

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

try:  # googleapis-common-protos, when it is installed: one google.rpc in the process
    from google.rpc import error_details_pb2, status_pb2
except ImportError:  # the copies this package generates at build time
    from mihub._rpc import error_details_pb2, status_pb2

__all__ = [
    "FieldError", "RowRejection", "MihubError", "BadRequest", "Unauthenticated", "PermissionDenied",
    "NotFound", "Conflict", "FailedPrecondition", "TooManyRequests", "Unavailable", "ServerError",
    "JobFailed", "LabRejected", "lab_rejected", "from_problem", "from_rpc_error", "decode_status",
    "short_enum_name",
]


@dataclass(frozen=True)
class FieldError:
    """One bad field of a request: its path (``spec.objectives[0].direction``) and why."""
    field: str
    reason: str


@dataclass(frozen=True)
class RowRejection:
    """One rejected row of an upload: 1-based row and line, the column, a code (``bad_formula``) and why."""
    row: int
    line: int
    column: str
    code: str
    reason: str
    value: Optional[str] = None
    position: Optional[int] = None


class MihubError(Exception):
    """A refusal of the hub.

    Attributes: ``status`` (HTTP status; for gRPC calls the status the gateway would have answered),
    ``code`` (gRPC status code name, e.g. ``INVALID_ARGUMENT``; for REST the one matching the status),
    ``title``, ``detail``, ``field_errors``, ``rejections``, ``retry_after`` (seconds, when the server
    said), ``problem`` (the problem+json body as a dict, REST) and ``rpc_status`` (the decoded
    ``google.rpc.Status``, gRPC).
    """

    def __init__(self, detail: str, *, status: int = 0, code: str = "", title: str = "",
                 field_errors: Optional[List[FieldError]] = None, rejections: Optional[List[RowRejection]] = None,
                 retry_after: Optional[float] = None, problem: Optional[Dict[str, Any]] = None,
                 rpc_status: Any = None):
        self.detail = detail
        self.status = status
        self.code = code
        self.title = title
        self.field_errors = list(field_errors or [])
        self.rejections = list(rejections or [])
        self.retry_after = retry_after
        self.problem = problem
        self.rpc_status = rpc_status
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"HTTP {self.status}" if self.problem is not None or not self.code else self.code
        text = f"{where}: {self.detail or self.title}"
        if self.field_errors:
            text += " (" + "; ".join(f"{e.field}: {e.reason}" for e in self.field_errors) + ")"
        if self.rejections:
            first = self.rejections[0]
            text += f" [{len(self.rejections)} rejected row(s); row {first.row} {first.column}: {first.reason}]"
        return text


class BadRequest(MihubError):
    """400 / INVALID_ARGUMENT: the request itself is wrong; see ``field_errors`` and ``rejections``."""


class Unauthenticated(MihubError):
    """401 / UNAUTHENTICATED: no token, or one that is not valid (expired, forged, another realm's)."""


class PermissionDenied(MihubError):
    """403 / PERMISSION_DENIED: a valid token without the role or organisation the call needs."""


class NotFound(MihubError):
    """404 / NOT_FOUND: it does not exist, or it is hidden from the caller."""


class Conflict(MihubError):
    """409 / ALREADY_EXISTS, ABORTED or FAILED_PRECONDITION: the state does not allow it."""


class FailedPrecondition(Conflict):
    """FAILED_PRECONDITION (over gRPC; the gateway answers it 409, a ``Conflict``): e.g. a campaign that is
    not active, a budget used up."""


class TooManyRequests(MihubError):
    """429 / RESOURCE_EXHAUSTED: the organisation's request allowance is used up; see ``retry_after``."""


class Unavailable(MihubError):
    """503 / UNAVAILABLE or 504 / DEADLINE_EXCEEDED: a service cannot answer now; see ``retry_after``."""


class ServerError(MihubError):
    """Any other failure (500, INTERNAL, UNKNOWN...)."""


class JobFailed(MihubError):
    """A job (training, simulation) ended failed or cancelled; ``job`` is the last state seen."""

    def __init__(self, job):
        self.job = job
        super().__init__(job.message or f"job {job.id} {job.state}", code=job.state.upper())


class LabRejected(MihubError):
    """The planner refused a result sent over a lab session (nothing of it was stored); the session goes on.

    ``proposal_id`` names the result; the exception is also the class of its code, so ``except
    PermissionDenied`` catches a robot whose token lacks the contributor role and ``except BadRequest`` a
    unit the vocabulary does not accept. Made by :func:`lab_rejected`."""

    def __init__(self, proposal_id: str, code: str, reason: str):
        self.proposal_id = proposal_id
        super().__init__(reason, code=code, status=_HTTP_OF_CODE.get(code, 500))


_BY_STATUS = {400: BadRequest, 401: Unauthenticated, 403: PermissionDenied, 404: NotFound, 409: Conflict,
              429: TooManyRequests, 503: Unavailable,
              504: Unavailable}
_BY_CODE = {"INVALID_ARGUMENT": BadRequest, "OUT_OF_RANGE": BadRequest, "UNAUTHENTICATED": Unauthenticated,
            "PERMISSION_DENIED": PermissionDenied, "NOT_FOUND": NotFound, "ALREADY_EXISTS": Conflict,
            "ABORTED": Conflict, "FAILED_PRECONDITION": FailedPrecondition, "RESOURCE_EXHAUSTED": TooManyRequests,
            "UNAVAILABLE": Unavailable, "DEADLINE_EXCEEDED": Unavailable}
_HTTP_OF_CODE = {"INVALID_ARGUMENT": 400, "OUT_OF_RANGE": 400, "UNAUTHENTICATED": 401, "PERMISSION_DENIED": 403,
                 "NOT_FOUND": 404, "ALREADY_EXISTS": 409, "ABORTED": 409, "FAILED_PRECONDITION": 409,
                 "RESOURCE_EXHAUSTED": 429, "UNAVAILABLE": 503, "DEADLINE_EXCEEDED": 504, "UNIMPLEMENTED": 501}
_CODE_OF_HTTP = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 501: "UNIMPLEMENTED", 503: "UNAVAILABLE",
                 504: "DEADLINE_EXCEEDED"}


_LAB_REJECTED = {}


def lab_rejected(proposal_id: str, code: str, reason: str) -> LabRejected:
    """The exception for a lab session's rejection: a LabRejected that is also the class of its code."""
    kind = _BY_CODE.get(code, ServerError)
    if kind not in _LAB_REJECTED:
        _LAB_REJECTED[kind] = type("LabRejected" + kind.__name__, (LabRejected, kind), {"__doc__": LabRejected.__doc__})
    return _LAB_REJECTED[kind](proposal_id, code, reason)


def _retry_after(value) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def from_problem(status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> MihubError:
    """The exception for a refused REST answer: its status, its problem+json body (a dict, or text) and headers."""
    headers = headers or {}
    problem = body if isinstance(body, dict) else None
    detail = ""
    title = ""
    fields: List[FieldError] = []
    rows: List[RowRejection] = []
    if problem is not None:
        detail = str(problem.get("detail") or "")
        title = str(problem.get("title") or "")
        fields = [FieldError(str(e.get("field", "")), str(e.get("reason", ""))) for e in problem.get("errors") or []]
        rows = [RowRejection(int(r.get("row", 0)), int(r.get("line", 0)), str(r.get("column", "")),
                             str(r.get("code", "")), str(r.get("reason", "")), r.get("value"), r.get("position"))
                for r in problem.get("rejections") or []]
    elif body:
        detail = str(body)[:500]
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else MihubError)
    return kind(detail or title or f"HTTP {status}", status=status, code=_CODE_OF_HTTP.get(status, ""), title=title,
                field_errors=fields, rejections=rows, retry_after=_retry_after(headers.get("Retry-After")),
                problem=problem if problem is not None else {})


def decode_status(raw: bytes):
    """Decodes a ``grpc-status-details-bin`` trailer into a ``google.rpc.Status``."""
    status = status_pb2.Status()
    status.ParseFromString(raw)
    return status


def from_rpc_error(error) -> MihubError:
    """The exception for a failed gRPC call (a ``grpc.RpcError``): its code, message and google.rpc.Status details."""
    code_enum = error.code() if hasattr(error, "code") else None
    code = code_enum.name if code_enum is not None else "UNKNOWN"
    detail = error.details() if hasattr(error, "details") else str(error)
    fields: List[FieldError] = []
    rows: List[RowRejection] = []
    retry_after = None
    rpc_status = None
    trailers = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == "grpc-status-details-bin":
            rpc_status = decode_status(value)
        elif key == "retry-after":
            retry_after = _retry_after(value)
    if rpc_status is not None:
        detail = rpc_status.message or detail
        fields, rows, delay = _details(rpc_status)
        retry_after = delay if delay is not None else retry_after
    kind = _BY_CODE.get(code, ServerError)
    return kind(detail or code, status=_HTTP_OF_CODE.get(code, 500), code=code, field_errors=fields,
                rejections=rows, retry_after=retry_after, rpc_status=rpc_status)


def _details(rpc_status):
    fields: List[FieldError] = []
    rows: List[RowRejection] = []
    retry_after = None
    for any_detail in rpc_status.details:
        if any_detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            any_detail.Unpack(bad)
            fields += [FieldError(v.field, v.description) for v in bad.field_violations]
        elif any_detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            info = error_details_pb2.RetryInfo()
            any_detail.Unpack(info)
            retry_after = info.retry_delay.seconds + info.retry_delay.nanos / 1e9
        elif any_detail.type_url.endswith("/mihub.catalog.v1.IngestRejected"):
            from mihub.catalog.v1 import catalog_pb2
            rejected = catalog_pb2.IngestRejected()
            any_detail.Unpack(rejected)
            rows += _rows(rejected)
    return fields, rows, retry_after


def _rows(rejected) -> List[RowRejection]:
    rows = []
    for problem in rejected.rejections:
        rows.append(RowRejection(problem.row, problem.line, problem.column, short_enum_name(problem, "code"),
                                 problem.reason, problem.value or None,
                                 problem.position if problem.HasField("position") else None))
    return rows


def short_enum_name(message, name: str) -> str:
    """An enum field's value as the REST dialect writes it: lower case, without the type's prefix
    (``REJECTION_CODE_BAD_FORMULA`` -> ``bad_formula``)."""
    enum_type = message.DESCRIPTOR.fields_by_name[name].enum_type
    value = enum_type.values_by_number.get(getattr(message, name))
    if value is None:
        return str(getattr(message, name))
    prefix = re.sub(r"(?<!^)(?=[A-Z])", "_", enum_type.name).upper() + "_"
    text = value.name[len(prefix):] if value.name.startswith(prefix) else value.name
    return text.lower()
