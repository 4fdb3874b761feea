"""The client's own logic, without a suite: CSV from dicts, problem+json and google.rpc.Status decoding."""

import unittest

import grpc
from google.protobuf import any_pb2

import mihub
from mihub import errors
from mihub.errors import error_details_pb2, status_pb2
from mihub.catalog.v1 import catalog_pb2
from mihub.planning.v1 import planning_pb2


class FakeRpcError(grpc.RpcError):
    """What grpcio raises: a code, details and trailing metadata."""

    def __init__(self, code, details, trailers=()):
        self._code, self._details, self._trailers = code, details, trailers

    def code(self):
        return self._code

    def details(self):
        return self._details

    def trailing_metadata(self):
        return self._trailers


def packed(message):
    detail = any_pb2.Any()
    detail.Pack(message)
    return detail


class RowsToCsv(unittest.TestCase):

    def test_columns_in_first_appearance_order_and_empty_cells(self):
        text = mihub.rows_to_csv([{"formula": "GaAs", "band_gap [eV]": 1.42},
                                  {"formula": "ZnO", "tags": ["oxide", "wurtzite"], "band_gap [eV]": None}])
        self.assertEqual("formula,band_gap [eV],tags\nGaAs,1.42,\nZnO,,oxide;wurtzite\n", text)

    def test_quotes_what_needs_quoting(self):
        self.assertEqual('formula,method\nSi,"UV-vis, 300 K"\n',
                         mihub.rows_to_csv([{"formula": "Si", "method": "UV-vis, 300 K"}]))

    def test_refuses_what_is_not_rows(self):
        with self.assertRaises(ValueError):
            mihub.rows_to_csv([])
        with self.assertRaises(TypeError):
            mihub.rows_to_csv(["formula,band_gap"])


class Problems(unittest.TestCase):

    def test_a_rejected_upload_lists_its_rows(self):
        e = errors.from_problem(400, {"type": "about:blank", "title": "Bad Request", "status": 400,
                                      "detail": "1 of 2 rows rejected", "rejections": [
                                          {"row": 2, "line": 3, "column": "formula", "code": "bad_formula",
                                           "reason": "unknown element 'Xx'", "value": "Xx2", "position": 0}]}, {})
        self.assertIsInstance(e, mihub.BadRequest)
        self.assertEqual(("INVALID_ARGUMENT", 400), (e.code, e.status))
        self.assertEqual([mihub.RowRejection(2, 3, "formula", "bad_formula", "unknown element 'Xx'", "Xx2", 0)],
                         e.rejections)
        self.assertIn("row 2 formula: unknown element 'Xx'", str(e))

    def test_status_picks_the_class_and_retry_after_is_read(self):
        self.assertIsInstance(errors.from_problem(401, {"status": 401, "title": "Unauthorized"}),
                              mihub.Unauthenticated)
        self.assertIsInstance(errors.from_problem(403, {"detail": "needs role contributor"}), mihub.PermissionDenied)
        self.assertIsInstance(errors.from_problem(404, {}), mihub.NotFound)
        busy = errors.from_problem(429, {"detail": "slow down"}, {"Retry-After": "2"})
        self.assertIsInstance(busy, mihub.TooManyRequests)
        self.assertEqual(2.0, busy.retry_after)
        self.assertIsInstance(errors.from_problem(503, "<html>down</html>"), mihub.Unavailable)
        self.assertIsInstance(errors.from_problem(500, None), mihub.ServerError)

    def test_field_errors(self):
        e = errors.from_problem(400, {"detail": "bad", "errors": [{"field": "spec.nmae",
                                                                   "reason": "unknown field; did you mean name?"}]})
        self.assertEqual([mihub.FieldError("spec.nmae", "unknown field; did you mean name?")], e.field_errors)


class RpcStatuses(unittest.TestCase):

    def test_bad_request_and_ingest_rejected_details_are_decoded(self):
        status = status_pb2.Status(code=3, message="2 rows rejected")
        status.details.append(packed(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field="header.dataset_id", description="required")])))
        status.details.append(packed(catalog_pb2.IngestRejected(dataset_id="d1", rows_rejected=1, rejections=[
            catalog_pb2.RowRejection(row=4, line=5, column="band_gap [eV]", code=catalog_pb2.RejectionCode.Value(
                "REJECTION_CODE_INCOMPATIBLE_UNIT"), reason="'eVV' is not a unit", value="eVV")])))
        e = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.INVALID_ARGUMENT, "ignored",
                                               (("grpc-status-details-bin", status.SerializeToString()),)))
        self.assertIsInstance(e, mihub.BadRequest)
        self.assertEqual("2 rows rejected", e.detail)
        self.assertEqual([mihub.FieldError("header.dataset_id", "required")], e.field_errors)
        self.assertEqual([mihub.RowRejection(4, 5, "band_gap [eV]", "incompatible_unit", "'eVV' is not a unit", "eVV")],
                         e.rejections)
        self.assertEqual(3, e.rpc_status.code)

    def test_refused_credentials_are_clear_exceptions(self):
        e = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.UNAUTHENTICATED, "a valid access token is required"))
        self.assertIsInstance(e, mihub.Unauthenticated)
        self.assertEqual(("UNAUTHENTICATED", 401), (e.code, e.status))
        self.assertIn("a valid access token is required", str(e))
        denied = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.PERMISSION_DENIED, "needs contributor"))
        self.assertIsInstance(denied, mihub.PermissionDenied)
        self.assertEqual(403, denied.status)

    def test_other_codes(self):
        self.assertIsInstance(errors.from_rpc_error(FakeRpcError(grpc.StatusCode.FAILED_PRECONDITION, "paused")),
                              mihub.FailedPrecondition)
        self.assertIsInstance(errors.from_rpc_error(FakeRpcError(grpc.StatusCode.FAILED_PRECONDITION, "paused")),
                              mihub.Conflict)
        self.assertIsInstance(errors.from_rpc_error(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "down")),
                              mihub.Unavailable)
        self.assertIsInstance(errors.from_rpc_error(FakeRpcError(grpc.StatusCode.INTERNAL, "oops")),
                              mihub.ServerError)

    def test_a_lab_rejection_is_also_the_class_of_its_code(self):
        e = errors.lab_rejected("p1", "PERMISSION_DENIED", "needs role contributor in acme")
        self.assertIsInstance(e, mihub.LabRejected)
        self.assertIsInstance(e, mihub.PermissionDenied)
        self.assertEqual("p1", e.proposal_id)
        self.assertIsInstance(errors.lab_rejected("p2", "INVALID_ARGUMENT", "bad unit"), mihub.BadRequest)


class Types(unittest.TestCase):

    def test_enum_names_are_written_as_the_rest_dialect_writes_them(self):
        ack = planning_pb2.ResultAck(proposal_id="p", state=planning_pb2.PROPOSAL_STATE_COMPLETED, material_id="m",
                                     measurement_ids=["x", "y"])
        self.assertEqual(mihub.ResultAck("p", "completed", "m", ["x", "y"]), mihub.ResultAck.from_proto(ack))

    def test_a_proposal_reads_the_same_from_json_and_from_protobuf(self):
        proto = planning_pb2.Proposal(id="p", campaign_id="c", batch_number=2, position=1,
                                      state=planning_pb2.PROPOSAL_STATE_PENDING, acquisition_value=0.5)
        proto.candidate.id = "k"
        proto.candidate.formula = "FeNi"
        proto.candidate.composition["Fe"] = 0.5
        proto.candidate.composition["Ni"] = 0.5
        proto.candidate.parameters["t"].number = 700.0
        json = {"id": "p", "campaignId": "c", "batchNumber": 2, "position": 1, "state": "pending",
                "acquisitionValue": 0.5, "candidate": {"id": "k", "formula": "FeNi",
                                                       "composition": {"Fe": 0.5, "Ni": 0.5},
                                                       "parameters": {"t": {"number": 700.0}}}}
        a, b = mihub.Proposal.from_proto(proto), mihub.Proposal.from_json(json)
        for name in ("id", "campaign_id", "batch_number", "position", "candidate_id", "formula", "composition",
                     "parameters", "acquisition_value", "state", "material_id", "measurement_ids"):
            self.assertEqual(getattr(b, name), getattr(a, name), name)

    def test_measured_to_json(self):
        self.assertEqual({"proposalId": "p", "measured": {"values": [
            {"property": "hardness", "value": {"value": 5.2, "unit": "GPa"}},
            {"property": "band_gap", "value": {"value": 1.0}, "uncertainty": 0.1}]}, "method": "nanoindentation"},
            mihub.Measured("p", {"hardness": (5.2, "GPa"), "band_gap": 1}, method="nanoindentation",
                           uncertainties={"band_gap": 0.1}).to_json())


if __name__ == "__main__":
    unittest.main()
