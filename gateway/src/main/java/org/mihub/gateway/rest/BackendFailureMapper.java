package org.mihub.gateway.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.mihub.gateway.client.BackendFailure;
import org.mihub.gateway.client.BackendFailure.Kind;
import org.mihub.gateway.client.BackendUnavailableException;

/**
 * A backend's refusal or failure becomes the HTTP status its kind means and a problem+json body with
 * the same details (fields, rows, columns, positions). A 5xx carries no internals: its detail is the
 * title, or for an open breaker which service is unavailable and when to retry; with {@code
 * Retry-After} on a 503.
 */
@Provider
public class BackendFailureMapper implements ExceptionMapper<BackendFailure> {

    @Override
    public Response toResponse(BackendFailure failure) {
        int http = httpStatus(failure.kind());
        String detail;
        if (failure instanceof BackendUnavailableException) {
            detail = "the " + failure.backend().clientName() + " service is unavailable; retry after "
                    + failure.retryAfterSeconds() + " s";
        } else {
            detail = http >= 500 ? title(http) : failure.description();
        }
        List<Problem.FieldError> errors = null;
        List<Problem.RowError> rows = null;
        var rejected = failure.rejections();
        if (http < 500) {
            errors = failure.violations().isEmpty() ? null : failure.violations().stream()
                    .map(violation -> new Problem.FieldError(violation.field(), violation.description())).toList();
            rows = rejected == null ? null : rejected.rows().stream().map(row -> new Problem.RowError(row.row(),
                    row.line(), row.column(), row.code(), row.reason(), row.value(), row.position())).toList();
        } else {
            rejected = null;
        }
        Problem problem = new Problem("about:blank", title(http), http, detail, errors, rows,
                rejected == null ? null : rejected.rowsReceived(), rejected == null ? null : rejected.rowsRejected(),
                rejected == null ? null : rejected.truncated());
        var response = Response.status(http).type(Problem.MEDIA_TYPE).entity(problem);
        if (http == 503 && failure.retryAfterSeconds() != null) {
            response.header("Retry-After", failure.retryAfterSeconds());
        }
        return response.build();
    }

    static int httpStatus(Kind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNSUPPORTED -> 501;
            case UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
            case INTERNAL -> 500;
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
