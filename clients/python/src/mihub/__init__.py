"""mihub: the Python client of the mihub materials-informatics hub.

``Hub(url, token)`` reaches the REST API through the gateway (datasets, ingest and export, search,
training and prediction, campaigns with ask/tell) and opens lab-robot sessions on the planning
service over gRPC. The generated protobuf and gRPC stubs are ``mihub.<domain>.v1`` (catalog,
prediction, planning, common). Refusals raise :class:`mihub.errors.MihubError` subclasses.
"""

from mihub.errors import (BadRequest, Conflict, FailedPrecondition, FieldError, JobFailed, LabRejected, MihubError,
                          NotFound, PermissionDenied, RowRejection, ServerError, TooManyRequests, Unauthenticated,
                          Unavailable)
from mihub.hub import Hub, rows_to_csv
from mihub.types import (Caller, Campaign, Dataset, Failed, IngestResult, Job, LabFinished, Material, Measured,
                         Measurement, Model, Prediction, Proposal, ResultAck, TellResult)

__version__ = "0.1.0"

__all__ = [
    "Hub", "rows_to_csv", "MihubError", "BadRequest", "Unauthenticated", "PermissionDenied", "NotFound", "Conflict",
    "FailedPrecondition", "TooManyRequests", "Unavailable", "ServerError", "JobFailed", "LabRejected", "FieldError",
    "RowRejection", "Caller", "Dataset", "IngestResult", "Measurement", "Material", "Job", "Model", "Prediction",
    "Campaign", "Proposal", "Measured", "Failed", "ResultAck", "TellResult", "LabFinished",
]
