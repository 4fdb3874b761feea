package org.mihub.gateway.rest;

import java.util.Map;

import org.mihub.gateway.client.BackendFailure;
import org.mihub.gateway.client.BackendUnavailableException;

/**
 * A refusal of the OPTIMADE API, answered as a JSON:API error document: HTTP status, what went
 * wrong, and the query parameter it concerns (may be null).
 */
public final class OptimadeException extends RuntimeException {

    /** 553: the OPTIMADE status for a version this server does not serve. */
    public static final int VERSION_NOT_SUPPORTED = 553;

    private final int status;
    private final String parameter;
    private final Map<String, String> headers;

    public OptimadeException(int status, String detail, String parameter) {
        this(status, detail, parameter, Map.of());
    }

    private OptimadeException(int status, String detail, String parameter, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.parameter = parameter;
        this.headers = headers;
    }

    public static OptimadeException badParameter(String parameter, String detail) {
        return new OptimadeException(400, detail, parameter);
    }

    /** A failure of a backend call, with its status, its message and the parameter a field violation names. */
    public static OptimadeException from(Throwable failure) {
        if (failure instanceof OptimadeException optimade) {
            return optimade;
        }
        if (failure instanceof BackendUnavailableException unavailable) {
            return new OptimadeException(503, unavailable.getMessage(), null,
                    Map.of("Retry-After", Long.toString(unavailable.retryAfterSeconds())));
        }
        if (!(failure instanceof BackendFailure backend)) {
            return new OptimadeException(500, "internal error", null);
        }
        int http = BackendFailureMapper.httpStatus(backend.kind());
        if (http >= 500 && http != 501) {
            return new OptimadeException(http, BackendFailureMapper.title(http), null,
                    http == 503 && backend.retryAfterSeconds() != null
                            ? Map.of("Retry-After", Long.toString(backend.retryAfterSeconds())) : Map.of());
        }
        String parameter = backend.violations().isEmpty() ? null
                : parameterOf(backend.violations().get(0).field());
        return new OptimadeException(http, backend.description(), parameter);
    }

    /** The catalog's field names for the query parameters they came from. */
    private static String parameterOf(String field) {
        return switch (field) {
            case "limit" -> "page_limit";
            case "offset" -> "page_offset";
            default -> field.startsWith("filter") ? "filter" : field.startsWith("sort") ? "sort" : null;
        };
    }

    public int status() {
        return status;
    }

    public String parameter() {
        return parameter;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
