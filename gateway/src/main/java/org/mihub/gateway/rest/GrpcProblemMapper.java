package org.mihub.gateway.rest;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.mihub.api.catalog.v1.IngestRejected;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * A backend's gRPC status becomes the HTTP status and a problem+json body with the same details
 * (fields, rows, columns, positions). Internal errors carry no internals.
 */
@Provider
public class GrpcProblemMapper implements ExceptionMapper<StatusRuntimeException> {

    @Override
    public Response toResponse(StatusRuntimeException exception) {
        Status status = exception.getStatus();
        int http = httpStatus(status.getCode());
        String detail = http >= 500 ? title(http) : status.getDescription();
        List<Problem.FieldError> errors = new ArrayList<>();
        IngestRejected rejected = null;
        com.google.rpc.Status rich = StatusProto.fromThrowable(exception);
        if (rich != null && http < 500) {
            for (Any any : rich.getDetailsList()) {
                try {
                    if (any.is(BadRequest.class)) {
                        any.unpack(BadRequest.class).getFieldViolationsList().forEach(violation -> errors
                                .add(new Problem.FieldError(violation.getField(), violation.getDescription())));
                    } else if (any.is(IngestRejected.class)) {
                        rejected = any.unpack(IngestRejected.class);
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // an unreadable detail is left out; the status and message still stand
                }
            }
        }
        Problem problem = new Problem("about:blank", title(http), http, detail, errors.isEmpty() ? null : errors,
                rejected == null ? null : rejected.getRejectionsList().stream().map(row -> new Problem.RowError(
                        row.getRow(), row.getLine(), row.getColumn(), row.getCode().name().replace("REJECTION_CODE_", ""),
                        row.getReason(), row.getValue(), row.hasPosition() ? row.getPosition() : null)).toList(),
                rejected == null ? null : rejected.getRowsReceived(),
                rejected == null ? null : rejected.getRowsRejected(),
                rejected == null ? null : rejected.getTruncated());
        var response = Response.status(http).type(Problem.MEDIA_TYPE).entity(problem);
        if (http == 503) {
            response.header("Retry-After", "5");
        }
        return response.build();
    }

    static int httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }

    static String title(int http) {
        return switch (http) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 499 -> "Client Closed Request";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Internal Server Error";
        };
    }
}
