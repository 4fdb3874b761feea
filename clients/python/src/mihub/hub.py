"""``Hub``: the mihub REST API through the gateway, and the lab-robot session over gRPC."""

import csv
import io
import os
import time
import uuid
from pathlib import Path
from typing import Any, BinaryIO, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union
from urllib.parse import urlsplit

import requests

from mihub.errors import JobFailed, Unavailable, from_problem
from mihub.types import (Caller, Campaign, Dataset, Failed, IngestResult, Job, Material, Measured, Model,
                         Prediction, Proposal, TellResult)

__all__ = ["Hub", "rows_to_csv"]

Token = Union[str, Callable[[], str], None]
Records = Union[str, bytes, os.PathLike, BinaryIO, Sequence[Mapping[str, Any]]]


def rows_to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """A list of dicts as the CSV the catalog ingests: one column per key, in the order keys first appear
    (``formula``, ``sample_id``, ``band_gap [eV]``, ``condition.temperature [K]``...); a missing or None
    value is an empty cell; a list (tags) is written joined by ``;``."""
    if isinstance(rows, (str, bytes)) or not all(isinstance(r, Mapping) for r in rows):
        raise TypeError("rows must be a list of dicts")
    if not rows:
        raise ValueError("rows is empty: nothing to ingest")
    columns: List[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(str(key))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if value is None:
                cells.append("")
            elif isinstance(value, (list, tuple)):
                cells.append(";".join(str(v) for v in value))
            else:
                cells.append(value)
        writer.writerow(cells)
    return out.getvalue()


class Hub:
    """A connection to one mihub suite.

    ``url`` is the gateway (``http://localhost:8080``); ``token`` an access token (see the README: ``./mihub
    token alice``, or a robot's client-credentials token), or a function returning a fresh one before each
    call, or None for anonymous reads (PUBLIC data only). ``planning_target`` is the planning service's gRPC
    address (``host:port``) for lab sessions; by default the environment's ``MIHUB_PLANNING_GRPC``, else the
    gateway's host on the gateway's port + 3 (the one-machine layout of ``./mihub up``). ``timeout`` bounds
    each HTTP request, in seconds.

    Every refusal raises a :class:`mihub.errors.MihubError` subclass carrying the problem's details.
    """

    def __init__(self, url: str, token: Token = None, *, planning_target: Optional[str] = None,
                 timeout: float = 120.0, session: Optional[requests.Session] = None):
        self.url = url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self._http = session or requests.Session()
        self.planning_target = planning_target or os.environ.get("MIHUB_PLANNING_GRPC") or self._default_grpc()
        self._channel = None

    def _default_grpc(self) -> str:
        parts = urlsplit(self.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"{parts.hostname}:{port + 3}"

    # -- plumbing ---------------------------------------------------------------------------------

    @property
    def token(self) -> Optional[str]:
        """The access token sent with the next call (None: anonymous)."""
        return self._token() if callable(self._token) else self._token

    def _headers(self, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        headers = {"Accept": "application/json, application/problem+json"}
        token = self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        headers.update(extra or {})
        return headers

    def _request(self, method: str, path: str, *, params=None, json_body=None, data=None,
                 headers: Optional[Dict[str, str]] = None, stream: bool = False) -> requests.Response:
        try:
            reply = self._http.request(method, self.url + path, params=params, json=json_body, data=data,
                                       headers=self._headers(headers), timeout=self.timeout, stream=stream)
        except requests.RequestException as e:
            raise Unavailable(f"{self.url} cannot be reached: {e}", status=503, code="UNAVAILABLE") from e
        if reply.status_code >= 400:
            try:
                body: Any = reply.json()
            except ValueError:
                body = reply.text
            raise from_problem(reply.status_code, body, dict(reply.headers))
        return reply

    def _json(self, method: str, path: str, **kw) -> Any:
        reply = self._request(method, path, **kw)
        return reply.json() if reply.content else None

    # -- identity ---------------------------------------------------------------------------------

    def me(self) -> Caller:
        """The caller as the gateway sees it (needs a token)."""
        return Caller.from_json(self._json("GET", "/api/v1/me"))

    # -- datasets ---------------------------------------------------------------------------------

    def create_dataset(self, title: str, *, description: Optional[str] = None, licence: Optional[str] = None,
                       visibility: Optional[str] = None, shared_with: Optional[Sequence[str]] = None,
                       citation: Optional[str] = None, doi: Optional[str] = None,
                       owner_org: Optional[str] = None) -> Dataset:
        """Creates an empty dataset (role contributor in the owner organisation, by default the caller's).
        ``visibility``: private (the default), shared (with ``shared_with``), consortium or public."""
        body = {"title": title, "description": description, "licence": licence, "visibility": visibility,
                "sharedWith": list(shared_with) if shared_with is not None else None, "citation": citation,
                "doi": doi, "ownerOrg": owner_org}
        return Dataset.from_json(self._json("POST", "/api/v1/datasets",
                                            json_body={k: v for k, v in body.items() if v is not None}))

    def dataset(self, dataset_id: str) -> Dataset:
        """One dataset (NotFound when it does not exist or is hidden)."""
        return Dataset.from_json(self._json("GET", f"/api/v1/datasets/{dataset_id}"))

    def datasets(self, *, owner: Optional[str] = None, visibility: Optional[str] = None,
                 text: Optional[str] = None, limit: int = 1000) -> List[Dataset]:
        """The datasets the caller may see, newest first, up to ``limit``."""
        params = {"owner": owner, "visibility": visibility, "text": text}
        return [Dataset.from_json(d) for d in self._pages("/api/v1/datasets", "datasets", params, limit)]

    def ingest(self, dataset_id: str, records: Records, *, idempotency_key: Optional[str] = None,
               dry_run: bool = False, source_name: Optional[str] = None) -> IngestResult:
        """Appends records as a new dataset version (role contributor in the owner organisation).

        ``records``: a CSV file (a ``pathlib.Path`` or other path object, or an open binary file), CSV
        text (a ``str`` holding a line break; a ``str`` without one is read as a file name), ``bytes``, or a
        list of dicts, one per row, keyed by the CSV columns (``formula``, ``band_gap [eV]``...; see
        :func:`rows_to_csv`). The upload streams; a document with any bad row writes nothing and raises
        :class:`mihub.errors.BadRequest` listing every rejected row in ``rejections``. The same
        ``idempotency_key`` again is answered ``replayed`` without writing twice."""
        close = None
        if isinstance(records, os.PathLike) or (isinstance(records, str) and "\n" not in records):
            close = open(records, "rb")
            body: Any = close
        elif isinstance(records, str):
            body = records.encode("utf-8")
        elif isinstance(records, (bytes, bytearray)) or hasattr(records, "read"):
            body = records
        else:
            body = rows_to_csv(records).encode("utf-8")
        headers = {"Content-Type": "text/csv"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        params = {"dryRun": "true" if dry_run else None, "sourceName": source_name}
        try:
            return IngestResult.from_json(self._json("POST", f"/api/v1/datasets/{dataset_id}/records",
                                                     params=params, data=body, headers=headers))
        finally:
            if close is not None:
                close.close()

    def export(self, dataset_id: str, *, format: str = "csv", version: Optional[int] = None,
               properties: Optional[Sequence[str]] = None, sources: Optional[Sequence[str]] = None,
               to: Union[str, os.PathLike, None] = None) -> Union[str, Path]:
        """A whole dataset as CSV (the ingest layout, canonical units) or JSON Lines (``format="jsonl"``),
        optionally at a ``version`` and only some ``properties`` or ``sources``. Returns the text, or with
        ``to`` streams it into that file and returns its path."""
        params = {"format": format, "version": version,
                  "property": ",".join(properties) if properties else None,
                  "source": ",".join(sources) if sources else None}
        reply = self._request("GET", f"/api/v1/datasets/{dataset_id}/export", params=params, stream=to is not None,
                              headers={"Accept": "text/csv, application/jsonl, application/problem+json"})
        if to is None:
            reply.encoding = "utf-8"
            return reply.text
        path = Path(to)
        with open(path, "wb") as out:
            for chunk in reply.iter_content(64 * 1024):
                out.write(chunk)
        return path

    def export_rows(self, dataset_id: str, **kw) -> List[Dict[str, str]]:
        """A dataset's CSV export as a list of dicts, one per row (column -> text; empty cells are '')."""
        return list(csv.DictReader(io.StringIO(self.export(dataset_id, format="csv", **kw))))

    def properties(self) -> List[Dict[str, Any]]:
        """The property vocabulary: names, canonical units, quantity kinds and bounds."""
        return self._json("GET", "/api/v1/properties")

    # -- search -----------------------------------------------------------------------------------

    def search(self, *, elements: Optional[Sequence[str]] = None, match: Optional[str] = None,
               nelements: Union[int, str, None] = None, formula: Optional[str] = None,
               property: Optional[str] = None, min: Optional[float] = None, max: Optional[float] = None,
               unit: Optional[str] = None, dataset: Union[str, Sequence[str], None] = None,
               owner: Union[str, Sequence[str], None] = None, source: Union[str, Sequence[str], None] = None,
               text: Optional[str] = None, sort: Optional[str] = None, limit: int = 100,
               full: bool = False) -> List[Material]:
        """Materials the caller may see, up to ``limit`` (following the server's pages).

        ``elements`` with ``match`` (all, any, only, exactly), ``nelements`` (2 or "2-3"), ``formula`` (same
        reduced formula), a ``property`` range ``min``..``max`` in ``unit``, ``dataset``/``owner``/``source``
        filters, free ``text``, ``sort`` ("-band_gap"), ``full`` for process steps."""
        def many(v):
            return [v] if isinstance(v, str) else (list(v) if v else None)
        params = {"elements": ",".join(elements) if elements else None, "match": match,
                  "nelements": str(nelements) if nelements is not None else None, "formula": formula,
                  "property": property, "min": min, "max": max, "unit": unit, "dataset": many(dataset),
                  "owner": many(owner), "source": many(source), "q": text, "sort": sort,
                  "view": "full" if full else None}
        return [Material.from_json(m) for m in self._pages("/api/v1/materials", "materials", params, limit)]

    def material(self, material_id: str) -> Material:
        """One material with its measurements, process steps and structure."""
        return Material.from_json(self._json("GET", f"/api/v1/materials/{material_id}"))

    def _pages(self, path: str, key: str, params: Dict[str, Any], limit: int) -> Iterable[Dict[str, Any]]:
        params = {k: v for k, v in params.items() if v is not None}
        items: List[Dict[str, Any]] = []
        cursor = None
        while len(items) < limit:
            page = self._json("GET", path, params={**params, "limit": min(limit - len(items), 500),
                                                   **({"cursor": cursor} if cursor else {})})
            items += page.get(key) or []
            cursor = page.get("nextCursor")
            if not cursor or not page.get(key):
                break
        return items[:limit]

    # -- models -----------------------------------------------------------------------------------

    def start_training(self, name: str, datasets: Sequence[Union[str, Dataset]], target_property: str, *,
                       algorithm: Optional[str] = None, hyperparameters: Optional[Dict[str, Any]] = None,
                       seed: Optional[int] = None, k_folds: Optional[int] = None,
                       sources: Optional[Sequence[str]] = None, description: Optional[str] = None,
                       featuriser: Optional[str] = None) -> Job:
        """Starts training a model on datasets the caller may see (role contributor); returns the job.
        ``algorithm``: random_forest (default), gradient_boosting or gaussian_process, with its
        ``hyperparameters`` ({"nTrees": 100}); ``featuriser``: magpie (default) or element_fraction."""
        body: Dict[str, Any] = {"name": name, "targetProperty": target_property,
                                "datasets": [{"datasetId": d.id if isinstance(d, Dataset) else d} for d in datasets]}
        for key, value in (("algorithm", algorithm), ("hyperparameters", hyperparameters), ("seed", seed),
                           ("kFolds", k_folds), ("sources", list(sources) if sources else None),
                           ("description", description),
                           ("featuriser", {"id": featuriser} if featuriser else None)):
            if value is not None:
                body[key] = value
        return Job.from_json(self._json("POST", "/api/v1/models", json_body=body))

    def job(self, job_id: str) -> Job:
        """A job's current state (training or simulation)."""
        return Job.from_json(self._json("GET", f"/api/v1/jobs/{job_id}"))

    def wait(self, job: Union[str, Job], *, progress: Optional[Callable[[Job], None]] = None,
             poll: float = 0.5, timeout: Optional[float] = None) -> Job:
        """Waits until a job ends, calling ``progress(job)`` each time its state or progress changes.
        Returns the succeeded job; raises :class:`mihub.errors.JobFailed` when it failed or was cancelled,
        ``TimeoutError`` after ``timeout`` seconds."""
        job_id = job.id if isinstance(job, Job) else job
        deadline = None if timeout is None else time.monotonic() + timeout
        seen = None
        while True:
            current = self.job(job_id)
            if progress is not None and (current.state, current.progress, current.message) != seen:
                seen = (current.state, current.progress, current.message)
                progress(current)
            if current.done:
                if current.state != "succeeded":
                    raise JobFailed(current)
                return current
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {current.state} after {timeout} s")
            time.sleep(poll)

    def train(self, name: str, datasets: Sequence[Union[str, Dataset]], target_property: str, *,
              progress: Optional[Callable[[Job], None]] = None, timeout: Optional[float] = None,
              **options) -> Model:
        """Trains a model and waits for it (see :meth:`start_training` for the options and :meth:`wait` for
        ``progress``); returns the model."""
        job = self.wait(self.start_training(name, datasets, target_property, **options), progress=progress,
                        timeout=timeout)
        return self.model(job.result_id)

    def model(self, model_id: str) -> Model:
        """A model with its cross-validation metrics."""
        return Model.from_json(self._json("GET", f"/api/v1/models/{model_id}"))

    def models(self, *, name: Optional[str] = None, target: Optional[str] = None,
               limit: int = 1000) -> List[Model]:
        """The models the caller may see, newest first."""
        return [Model.from_json(m) for m in self._pages("/api/v1/models", "models",
                                                        {"name": name, "target": target}, limit)]

    def predict(self, model: Union[str, Model], formulas: Sequence[str]) -> List[Prediction]:
        """Predicts compositions with a model: one :class:`Prediction` per formula, in order (a formula that
        cannot be read has ``error`` set instead of a mean)."""
        model_id = model.id if isinstance(model, Model) else model
        page = self._json("POST", f"/api/v1/models/{model_id}/predict", json_body={"formulas": list(formulas)})
        unit = (page.get("model") or {}).get("targetUnit", "")
        return [Prediction.from_json(p, unit) for p in page.get("predictions") or []]

    # -- campaigns --------------------------------------------------------------------------------

    def create_campaign(self, spec: Dict[str, Any], *, owner_org: Optional[str] = None) -> Campaign:
        """Creates a campaign from its spec, written as the REST API reads it (the planning contract's
        CampaignSpec in camelCase: name, objectives, designSpace, budget...; see the README)."""
        body: Dict[str, Any] = {"spec": spec}
        if owner_org:
            body["ownerOrg"] = owner_org
        return Campaign.from_json(self._json("POST", "/api/v1/campaigns", json_body=body))

    def campaign(self, campaign_id: str, *, full: bool = True) -> Campaign:
        """A campaign with its progress, best observation and (``full``) history."""
        return Campaign.from_json(self._json("GET", f"/api/v1/campaigns/{campaign_id}",
                                             params={"view": "full" if full else "summary"}))

    def set_campaign_status(self, campaign_id: str, status: str, reason: str = "") -> Campaign:
        """Pauses, resumes (active), completes or cancels a campaign."""
        return Campaign.from_json(self._json("POST", f"/api/v1/campaigns/{campaign_id}/status",
                                             json_body={"status": status, "reason": reason}))

    def ask(self, campaign_id: str, batch_size: Optional[int] = None, *,
            request_id: Optional[str] = None) -> List[Proposal]:
        """Proposes the next batch. A retry with the same ``request_id`` returns the same batch (one is made
        up when none is given)."""
        body: Dict[str, Any] = {"requestId": request_id or str(uuid.uuid4())}
        if batch_size is not None:
            body["batchSize"] = batch_size
        reply = self._json("POST", f"/api/v1/campaigns/{campaign_id}/proposals", json_body=body)
        return [Proposal.from_json(p) for p in reply.get("proposals") or []]

    def tell(self, campaign_id: str, results: Sequence[Union[Measured, Failed]]) -> TellResult:
        """Reports results or failures, all or nothing; each ack names the catalog material and
        measurements a measured result was written to."""
        reply = self._json("POST", f"/api/v1/campaigns/{campaign_id}/results",
                           json_body={"results": [r.to_json() for r in results]})
        return TellResult.from_json(reply)

    def proposals(self, campaign_id: str, *, state: Optional[str] = None, limit: int = 10000) -> List[Proposal]:
        """A campaign's proposals, oldest first (``state``: pending, completed, failed, cancelled)."""
        return [Proposal.from_json(p) for p in self._pages(f"/api/v1/campaigns/{campaign_id}/proposals",
                                                           "proposals", {"state": state}, limit)]

    # -- lab robots (gRPC) ------------------------------------------------------------------------

    def channel(self):
        """The gRPC channel to the planning service (made once; TLS when the gateway URL is https)."""
        if self._channel is None:
            import grpc
            if self.url.startswith("https:"):
                self._channel = grpc.secure_channel(self.planning_target, grpc.ssl_channel_credentials())
            else:
                self._channel = grpc.insecure_channel(self.planning_target)
        return self._channel

    def grpc_metadata(self):
        """The call metadata carrying the token (``authorization: Bearer ...``)."""
        token = self.token
        return [("authorization", f"Bearer {token}")] if token else []

    def lab_session(self, campaign_id: str, robot_id: str, *, capacity: int = 1, resume: bool = False,
                    timeout: float = 60.0):
        """Opens a lab-robot session (``ConnectLab``) on a campaign: see :class:`mihub.lab.LabSession`."""
        from mihub.lab import LabSession
        return LabSession(self, campaign_id, robot_id, capacity=capacity, resume=resume, timeout=timeout)

    def close(self) -> None:
        """Closes the HTTP session and the gRPC channel."""
        self._http.close()
        if self._channel is not None:
            self._channel.close()
            self._channel = None

    def __enter__(self) -> "Hub":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Hub({self.url!r}, planning_target={self.planning_target!r})"

