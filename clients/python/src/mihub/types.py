"""What the hub answers, as typed dataclasses.

Each is read from the gateway's JSON (camelCase, enum values in lower case without their prefix) by
``from_json``; the lab-session types also from the planning protobuf messages by ``from_proto``. Every
object keeps the answer it was read from in ``raw`` (a dict), so a field this client does not name yet
is still at hand.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

__all__ = [
    "Caller", "Dataset", "IngestResult", "Measurement", "Material", "Job", "Model", "Prediction", "Campaign",
    "Proposal", "Measured", "Failed", "ResultAck", "TellResult", "LabFinished", "Value",
]

# A measured value: a number in the objective's unit, or (number, unit).
Value = Union[float, int, Tuple[float, str]]


@dataclass
class Caller:
    """The caller as the gateway sees it: subject, organisation, roles, and the user or client name."""
    subject: str
    org: str
    roles: List[str]
    username: Optional[str] = None
    client_id: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Caller":
        g = d.get("gateway", d)
        return cls(g.get("subject", ""), g.get("org", ""), list(g.get("roles") or []), g.get("username"),
                   g.get("clientId"), d)


@dataclass
class Dataset:
    """A catalog dataset: who owns it, who may see it, its version and row count."""
    id: str
    owner_org: str
    title: str
    visibility: str
    version: int
    row_count: int
    description: Optional[str] = None
    licence: Optional[str] = None
    shared_with: List[str] = field(default_factory=list)
    created_by: Optional[str] = None
    created_at: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Dataset":
        return cls(d["id"], d.get("ownerOrg", ""), d.get("title", ""), d.get("visibility", ""),
                   int(d.get("version", 0)), int(d.get("rowCount", 0)), d.get("description"), d.get("licence"),
                   list(d.get("sharedWith") or []), d.get("createdBy"), d.get("createdAt"), d)


@dataclass
class IngestResult:
    """The outcome of an upload: ``committed`` (a new dataset version), ``replayed`` (the same idempotency
    key again: nothing new) or ``validated`` (a dry run)."""
    ingest_id: str
    dataset_id: str
    outcome: str
    rows_received: int
    rows_written: int
    measurements_written: int
    dataset_version: int
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "IngestResult":
        return cls(d.get("ingestId", ""), d.get("datasetId", ""), d.get("outcome", ""), int(d.get("rowsReceived", 0)),
                   int(d.get("rowsWritten", 0)), int(d.get("measurementsWritten", 0)),
                   int(d.get("datasetVersion", 0)), d)


@dataclass
class Measurement:
    """A measured property value with its unit (and, for results of a campaign, the campaign and proposal)."""
    id: str
    property: str
    value: float
    unit: str
    uncertainty: Optional[float] = None
    source: Optional[str] = None
    campaign_id: Optional[str] = None
    proposal_id: Optional[str] = None

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Measurement":
        value = d.get("value") or {}
        return cls(d.get("id", ""), d.get("property", ""), float(value.get("value", 0.0)), value.get("unit", ""),
                   d.get("uncertainty"), d.get("source"), d.get("campaignId"), d.get("proposalId"))


@dataclass
class Material:
    """A catalog material: its formula and composition, its dataset and owner, and its measurements."""
    id: str
    dataset_id: str
    owner_org: str
    formula: str
    reduced_formula: str
    elements: List[str]
    composition: Dict[str, float]
    measurements: List[Measurement]
    sample_key: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Material":
        return cls(d["id"], d.get("datasetId", ""), d.get("ownerOrg", ""), d.get("formula", ""),
                   d.get("reducedFormula", ""), list(d.get("elements") or []), dict(d.get("composition") or {}),
                   [Measurement.from_json(m) for m in d.get("measurements") or []], d.get("sampleKey"), d)

    def value(self, prop: str) -> Optional[float]:
        """The first measured value of a property (in the unit it is stored in), or None."""
        return next((m.value for m in self.measurements if m.property == prop), None)


@dataclass
class Job:
    """Long work (training, simulation): ``state`` is queued, running, succeeded, failed or cancelled;
    ``progress`` runs from 0 to 1; ``result_id`` names what a succeeded job made (the model)."""
    id: str
    kind: str
    state: str
    progress: float
    message: str = ""
    result_id: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Job":
        return cls(d["id"], d.get("kind", ""), d.get("state", ""), float(d.get("progress", 0.0)),
                   d.get("message", "") or "", d.get("resultId"), d)

    @property
    def done(self) -> bool:
        """Whether the job has ended (succeeded, failed or cancelled)."""
        return self.state in ("succeeded", "failed", "cancelled")


@dataclass
class Model:
    """A trained model with its target, algorithm, cross-validation metrics and lineage."""
    id: str
    name: str
    version: int
    target_property: str
    target_unit: str
    algorithm: str
    status: str
    training_rows: int
    metrics: Dict[str, float] = field(default_factory=dict)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Model":
        return cls(d["id"], d.get("name", ""), int(d.get("version", 0)), d.get("targetProperty", ""),
                   d.get("targetUnit", ""), d.get("algorithm", ""), d.get("status", ""),
                   int(d.get("trainingRows", 0)), dict(d.get("metrics") or {}), d)


@dataclass
class Prediction:
    """One prediction: mean and standard deviation in the model's target unit, 68 % and 95 % intervals,
    whether the composition is inside the model's applicability domain; or, for a formula that could not
    be read, ``error`` (code, position, reason) and no mean."""
    index: int
    reduced_formula: Optional[str]
    mean: Optional[float]
    std: Optional[float]
    interval68: Optional[Tuple[float, float]] = None
    interval95: Optional[Tuple[float, float]] = None
    in_domain: Optional[bool] = None
    id: Optional[str] = None
    error: Optional[Dict[str, Any]] = None
    unit: str = ""

    @classmethod
    def from_json(cls, d: Dict[str, Any], unit: str = "") -> "Prediction":
        def pair(v):
            return (float(v[0]), float(v[1])) if v else None
        return cls(int(d.get("index", 0)), d.get("reducedFormula"), d.get("mean"), d.get("std"),
                   pair(d.get("interval68")), pair(d.get("interval95")), d.get("inDomain"), d.get("id"),
                   d.get("error"), unit)


def _parameters(values: Dict[str, Any]) -> Dict[str, Any]:
    """Process parameter values ({"number": 700} / {"integer": 3} / {"category": "argon"}) as plain values."""
    out = {}
    for name, v in (values or {}).items():
        out[name] = next(iter(v.values())) if isinstance(v, dict) and v else v
    return out


@dataclass
class Campaign:
    """An experiment-planning campaign: its spec as created (defaults filled in), status and progress,
    best observation so far and, once results were written, the catalog dataset holding them."""
    id: str
    name: str
    owner_org: str
    status: str
    progress: Dict[str, Any]
    spec: Dict[str, Any]
    best: Optional[Dict[str, Any]] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Campaign":
        spec = d.get("spec") or {}
        return cls(d["id"], spec.get("name", ""), d.get("ownerOrg", ""), d.get("status", ""),
                   dict(d.get("progress") or {}), spec, d.get("best"), d)

    @property
    def results_dataset_id(self) -> Optional[str]:
        """The catalog dataset the campaign's results go to (set by the planner on the first report)."""
        return self.spec.get("resultsDatasetId") or None


@dataclass
class Proposal:
    """A proposed experiment: the candidate (formula, atomic fractions, process parameters), the
    surrogate's predictions, and once answered its state and the catalog material and measurements
    the result was written to."""
    id: str
    campaign_id: str
    batch_number: int
    position: int
    candidate_id: str
    formula: str
    composition: Dict[str, float]
    parameters: Dict[str, Any]
    predictions: List[Dict[str, Any]]
    acquisition_value: float
    state: str
    material_id: Optional[str] = None
    measurement_ids: List[str] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Proposal":
        c = d.get("candidate") or {}
        return cls(d["id"], d.get("campaignId", ""), int(d.get("batchNumber", 0)), int(d.get("position", 0)),
                   c.get("id", ""), c.get("formula", ""), dict(c.get("composition") or {}),
                   _parameters(c.get("parameters")), list(d.get("predictions") or []),
                   float(d.get("acquisitionValue", 0.0)), d.get("state", ""), d.get("materialId") or None,
                   list(d.get("measurementIds") or []), d)

    @classmethod
    def from_proto(cls, p) -> "Proposal":
        from mihub.errors import short_enum_name
        from google.protobuf import json_format
        params = {name: getattr(v, v.WhichOneof("value")) if v.WhichOneof("value") else None
                  for name, v in p.candidate.parameters.items()}
        predictions = [{"property": o.property, "mean": o.mean, "std": o.std, "unit": o.unit} for o in p.predictions]
        return cls(p.id, p.campaign_id, p.batch_number, p.position, p.candidate.id, p.candidate.formula,
                   dict(p.candidate.composition), params, predictions, p.acquisition_value,
                   short_enum_name(p, "state"), p.material_id or None, list(p.measurement_ids),
                   json_format.MessageToDict(p))


@dataclass
class Measured:
    """A result to report for a proposal: a value for every objective (a number in the objective's unit,
    or (number, unit)), optionally how it was measured and the lab's sample id."""
    proposal_id: str
    values: Dict[str, Value]
    method: Optional[str] = None
    instrument: Optional[str] = None
    lab_sample_id: Optional[str] = None
    uncertainties: Dict[str, float] = field(default_factory=dict)

    def quantities(self) -> List[Tuple[str, float, Optional[str]]]:
        """(property, value, unit or None) for each value."""
        out = []
        for prop, v in self.values.items():
            if isinstance(v, tuple):
                out.append((prop, float(v[0]), str(v[1])))
            else:
                out.append((prop, float(v), None))
        return out

    def to_json(self) -> Dict[str, Any]:
        values = []
        for prop, value, unit in self.quantities():
            quantity = {"value": value}
            if unit:
                quantity["unit"] = unit
            item = {"property": prop, "value": quantity}
            if prop in self.uncertainties:
                item["uncertainty"] = self.uncertainties[prop]
            values.append(item)
        d = {"proposalId": self.proposal_id, "measured": {"values": values}}
        for key, value in (("method", self.method), ("instrument", self.instrument),
                           ("labSampleId", self.lab_sample_id)):
            if value:
                d[key] = value
        return d


@dataclass
class Failed:
    """A failed experiment; ``retry_allowed`` lets the planner propose the candidate again."""
    proposal_id: str
    reason: str
    retry_allowed: bool = False

    def to_json(self) -> Dict[str, Any]:
        return {"proposalId": self.proposal_id, "failed": {"reason": self.reason, "retryAllowed": self.retry_allowed}}


@dataclass
class ResultAck:
    """What happened to one reported result: the proposal's state and the catalog material and
    measurements it was written to (``duplicate`` when the same result had been reported before)."""
    proposal_id: str
    state: str
    material_id: Optional[str]
    measurement_ids: List[str]
    duplicate: bool = False

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "ResultAck":
        return cls(d.get("proposalId", ""), d.get("state", ""), d.get("materialId") or None,
                   list(d.get("measurementIds") or []), bool(d.get("duplicate", False)))

    @classmethod
    def from_proto(cls, a) -> "ResultAck":
        from mihub.errors import short_enum_name
        return cls(a.proposal_id, short_enum_name(a, "state"), a.material_id or None, list(a.measurement_ids),
                   a.duplicate)


@dataclass
class TellResult:
    """The answer to a tell: one ack per result, the campaign's progress, best observation and status."""
    acks: List[ResultAck]
    progress: Dict[str, Any]
    status: str
    best: Optional[Dict[str, Any]] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "TellResult":
        return cls([ResultAck.from_json(a) for a in d.get("acks") or []], dict(d.get("progress") or {}),
                   d.get("status", ""), d.get("best"), d)


@dataclass
class LabFinished:
    """Why a lab session ended (``budget_exhausted``, ``design_space_exhausted``, ``campaign_paused``...)."""
    reason: str
    message: str
    progress: Dict[str, Any]

    @classmethod
    def from_proto(cls, f) -> "LabFinished":
        from mihub.errors import short_enum_name
        from google.protobuf import json_format
        return cls(short_enum_name(f, "reason"), f.message, json_format.MessageToDict(f.progress))
