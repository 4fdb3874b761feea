package org.mihub.gateway.client;

import java.util.ArrayList;
import java.util.List;

import org.mihub.api.catalog.v1.IngestRejected;
import org.mihub.gateway.client.BackendFailure.FieldViolation;
import org.mihub.gateway.client.BackendFailure.Kind;
import org.mihub.gateway.client.BackendFailure.Rejections;
import org.mihub.gateway.client.BackendFailure.RowRejection;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The one translation of a backend's gRPC failure into a {@link BackendFailure}: the kind its status
 * code means, its description, the field violations of a {@code google.rpc.BadRequest} and the rows of
 * an {@code IngestRejected} it carries, and the retry hint of an unreachable backend.
 */
final class BackendFailures {

    /** The hint given when a backend could not be reached: retry after this many seconds. */
    static final long UNREACHABLE_RETRY_AFTER_SECONDS = 5;

    private BackendFailures() {
    }

    /** A gRPC failure as a {@link BackendFailure}; any other failure as it is. */
    static Throwable translate(Backend backend, Throwable failure) {
        return failure instanceof StatusRuntimeException status ? of(backend, status) : failure;
    }

    static BackendFailure of(Backend backend, StatusRuntimeException exception) {
        Status status = exception.getStatus();
        Kind kind = kind(status.getCode());
        List<FieldViolation> violations = new ArrayList<>();
        IngestRejected rejected = null;
        com.google.rpc.Status rich = StatusProto.fromThrowable(exception);
        if (rich != null && !kind.backendTrouble()) {
            for (Any any : rich.getDetailsList()) {
                try {
                    if (any.is(BadRequest.class)) {
                        any.unpack(BadRequest.class).getFieldViolationsList().forEach(violation -> violations
                                .add(new FieldViolation(violation.getField(), violation.getDescription())));
                    } else if (any.is(IngestRejected.class)) {
                        rejected = any.unpack(IngestRejected.class);
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // an unreadable detail is left out; the status and message still stand
                }
            }
        }
        return new BackendFailure(backend, kind, status.getCode().name(), status.getDescription(), violations,
                rejected == null ? null : rejections(rejected),
                kind == Kind.UNAVAILABLE ? UNREACHABLE_RETRY_AFTER_SECONDS : null);
    }

    private static Rejections rejections(IngestRejected rejected) {
        return new Rejections(rejected.getRejectionsList().stream().map(row -> new RowRejection(row.getRow(),
                row.getLine(), row.getColumn(), CommonMapper.name(row.getCode()), row.getReason(),
                row.getValue(), row.hasPosition() ? row.getPosition() : null)).toList(),
                rejected.getRowsReceived(), rejected.getRowsRejected(), rejected.getTruncated());
    }

    static Kind kind(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> Kind.INVALID_REQUEST;
            case UNAUTHENTICATED -> Kind.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Kind.FORBIDDEN;
            case NOT_FOUND -> Kind.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION -> Kind.CONFLICT;
            case RESOURCE_EXHAUSTED -> Kind.EXHAUSTED;
            case CANCELLED -> Kind.CANCELLED;
            case UNIMPLEMENTED -> Kind.UNSUPPORTED;
            case UNAVAILABLE -> Kind.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Kind.TIMEOUT;
            default -> Kind.INTERNAL;
        };
    }
}
