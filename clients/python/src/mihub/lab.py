"""The lab-robot session: the planning service's ``ConnectLab`` bidirectional gRPC stream.

A robot says hello (campaign, its name, how many proposals it can hold), receives proposals as the
planner makes them, runs each experiment and reports its result; the planner acknowledges each result
(naming the catalog material and measurements it was written to) and sends the next proposal, until
the budget or the design space is used up::

    with hub.lab_session(campaign_id, "robot-1") as lab:
        for proposal in lab:
            value = run_experiment(proposal.composition, proposal.parameters)
            ack = lab.report(proposal.id, {"hardness": (value, "GPa")})
    print(lab.finished.reason)          # budget_exhausted

A refused result raises :class:`mihub.errors.LabRejected` (nothing of it was stored; the session goes
on); a refused session (no valid token: UNAUTHENTICATED; a role missing: PERMISSION_DENIED; a hidden
campaign: NOT_FOUND) raises the matching :class:`mihub.errors.MihubError` with the google.rpc.Status
details.
"""

import queue
import threading
from typing import Any, Dict, Iterator, Optional, Union

import grpc

from mihub.errors import LabRejected, MihubError, from_rpc_error, lab_rejected
from mihub.types import Failed, LabFinished, Measured, Proposal, ResultAck, Value

__all__ = ["LabSession"]

_END = object()


class LabSession:
    """One open ``ConnectLab`` stream. Made by :meth:`mihub.Hub.lab_session`; use it as a context manager
    (or call :meth:`close`). ``session_id`` and ``campaign`` (the planner's summary, a dict) are known once
    the constructor returns; ``finished`` (a :class:`LabFinished`) once the planner ended the session."""

    def __init__(self, hub, campaign_id: str, robot_id: str, *, capacity: int = 1, resume: bool = False,
                 timeout: float = 60.0):
        from google.protobuf import json_format
        from mihub.planning.v1 import planning_pb2, planning_pb2_grpc

        self._pb = planning_pb2
        self.timeout = timeout
        self.robot_id = robot_id
        self.finished: Optional[LabFinished] = None
        self._outgoing: "queue.Queue[Any]" = queue.Queue()
        self._proposals: "queue.Queue[Any]" = queue.Queue()
        self._replies: "queue.Queue[Any]" = queue.Queue()
        self._error: Optional[MihubError] = None
        self._closed = False
        self._outgoing.put(planning_pb2.LabClientMessage(hello=planning_pb2.LabHello(
            campaign_id=campaign_id, robot_id=robot_id, capacity=capacity, resume=resume)))
        stub = planning_pb2_grpc.PlanningServiceStub(hub.channel())
        self._call = stub.ConnectLab(self._requests(), metadata=hub.grpc_metadata())
        started: "queue.Queue[Any]" = queue.Queue()
        self._started = started
        self._reader = threading.Thread(target=self._read, name=f"mihub-lab-{robot_id}", daemon=True)
        self._reader.start()
        try:
            first = started.get(timeout=timeout)
        except queue.Empty:
            self._call.cancel()
            raise TimeoutError(f"the planner did not open the lab session within {timeout} s") from None
        if first is _END:
            self.close()
            raise self._error or MihubError("the planner closed the lab session before it started")
        self.session_id: str = first.session_id
        self.campaign: Dict[str, Any] = json_format.MessageToDict(first.campaign)

    # -- the stream -------------------------------------------------------------------------------

    def _requests(self):
        while True:
            message = self._outgoing.get()
            if message is _END:
                return
            yield message

    def _read(self) -> None:
        try:
            for message in self._call:
                kind = message.WhichOneof("payload")
                if kind == "started":
                    self._started.put(message.started)
                elif kind == "proposal":
                    self._proposals.put(Proposal.from_proto(message.proposal))
                elif kind == "ack":
                    self._replies.put(ResultAck.from_proto(message.ack))
                elif kind == "rejection":
                    r = message.rejection
                    self._replies.put(lab_rejected(r.proposal_id, r.code, r.reason))
                elif kind == "finished":
                    self.finished = LabFinished.from_proto(message.finished)
        except grpc.RpcError as e:
            if not (self._closed and e.code() == grpc.StatusCode.CANCELLED):
                self._error = from_rpc_error(e)
        finally:
            for q in (self._started, self._proposals, self._replies):
                q.put(_END)

    def _fail(self) -> MihubError:
        return self._error or MihubError("the lab session has ended", code="CANCELLED")

    # -- what a robot does ------------------------------------------------------------------------

    def next_proposal(self, timeout: Optional[float] = None) -> Optional[Proposal]:
        """The next proposal to run; None once the planner finished the session (see ``finished``).
        Raises the session's error if the stream failed, ``TimeoutError`` after ``timeout`` seconds
        (default: the session's)."""
        try:
            item = self._proposals.get(timeout=self.timeout if timeout is None else timeout)
        except queue.Empty:
            raise TimeoutError(f"no proposal within {timeout or self.timeout} s") from None
        if item is _END:
            self._proposals.put(_END)
            if self._error is not None:
                raise self._error
            return None
        return item

    def __iter__(self) -> Iterator[Proposal]:
        while True:
            proposal = self.next_proposal()
            if proposal is None:
                return
            yield proposal

    def report(self, proposal_id: str, values: Optional[Dict[str, Value]] = None, *,
               failed: Optional[str] = None, retry_allowed: bool = False, method: Optional[str] = None,
               instrument: Optional[str] = None, lab_sample_id: Optional[str] = None,
               uncertainties: Optional[Dict[str, float]] = None,
               actual_parameters: Optional[Dict[str, Union[float, int, str]]] = None) -> ResultAck:
        """Reports one result and waits for the planner's acknowledgement.

        ``values``: a value per objective, a number in the objective's unit or ``(number, unit)``; or
        ``failed="why"`` for a failed experiment (``retry_allowed`` lets the candidate be proposed again).
        ``actual_parameters``: process parameter values really reached, when they differ. Returns the
        :class:`ResultAck` (state, catalog material and measurement ids); raises
        :class:`mihub.errors.LabRejected` when the planner refused the result."""
        pb = self._pb
        if (values is None) == (failed is None):
            raise ValueError("give either values or failed")
        result = pb.ProposalResult(proposal_id=proposal_id, method=method or "", instrument=instrument or "",
                                   lab_sample_id=lab_sample_id or "")
        if failed is not None:
            result.failed.CopyFrom(pb.FailedResult(reason=failed, retry_allowed=retry_allowed))
        else:
            measured = Measured(proposal_id, values, uncertainties=uncertainties or {})
            for prop, value, unit in measured.quantities():
                item = result.measured.values.add(property=prop)
                item.value.value = value
                if unit:
                    item.value.unit = unit
                if prop in measured.uncertainties:
                    item.uncertainty = measured.uncertainties[prop]
            if not result.measured.values:
                raise ValueError("values is empty: give a value for every objective")
        for name, value in (actual_parameters or {}).items():
            target = result.actual_parameters[name]
            if isinstance(value, bool) or isinstance(value, str):
                target.category = str(value)
            elif isinstance(value, int):
                target.integer = value
            else:
                target.number = float(value)
        return self._send_result(result)

    def fail(self, proposal_id: str, reason: str, *, retry_allowed: bool = False) -> ResultAck:
        """Reports a failed experiment (see :meth:`report`)."""
        return self.report(proposal_id, failed=reason, retry_allowed=retry_allowed)

    def report_result(self, result: Union[Measured, Failed]) -> ResultAck:
        """Reports a :class:`Measured` or :class:`Failed` (the same types :meth:`mihub.Hub.tell` takes)."""
        if isinstance(result, Failed):
            return self.report(result.proposal_id, failed=result.reason, retry_allowed=result.retry_allowed)
        return self.report(result.proposal_id, result.values, method=result.method, instrument=result.instrument,
                           lab_sample_id=result.lab_sample_id, uncertainties=result.uncertainties)

    def _send_result(self, result) -> ResultAck:
        if self._closed or not self._reader.is_alive():
            raise self._fail()
        self._outgoing.put(self._pb.LabClientMessage(result=result))
        try:
            reply = self._replies.get(timeout=self.timeout)
        except queue.Empty:
            raise TimeoutError(f"no acknowledgement within {self.timeout} s") from None
        if reply is _END:
            self._replies.put(_END)
            raise self._fail()
        if isinstance(reply, LabRejected):
            raise reply
        return reply

    def set_capacity(self, capacity: int) -> None:
        """How many proposals the robot can hold from now on (0: send nothing more for now)."""
        self._outgoing.put(self._pb.LabClientMessage(capacity=self._pb.LabCapacity(capacity=capacity)))

    def close(self) -> None:
        """Ends the session: half-closes the stream, waits briefly for the planner to complete it, then
        cancels it. Pending proposals stay assigned to the robot (``resume=True`` gets them back)."""
        if self._closed:
            return
        self._closed = True
        self._outgoing.put(_END)
        self._reader.join(timeout=5)
        if self._reader.is_alive():
            self._call.cancel()
            self._reader.join(timeout=5)

    def __enter__(self) -> "LabSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
