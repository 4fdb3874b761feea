package org.mihub.gateway.client;

import java.util.List;

/**
 * A backend refused a call or failed it, told in the gateway's terms: which backend, what kind of
 * failure (the HTTP-relevant meaning of its gRPC status), what it said about the request and the
 * details it attached (field violations, rejected rows), and when to retry. Made once, by the
 * {@link BackendGuard} every call goes through, so the REST layer sees no transport type.
 *
 * <p>For a failure of the backend itself (unreachable, timed out, broken) the backend's own words
 * are not kept: they may hold internals.
 */
public class BackendFailure extends RuntimeException {

    /** What a failure means to the caller; each REST and OPTIMADE answer follows from it. */
    public enum Kind {
        /** The request is wrong (INVALID_ARGUMENT, OUT_OF_RANGE). */
        INVALID_REQUEST,
        UNAUTHENTICATED,
        /** PERMISSION_DENIED. */
        FORBIDDEN,
        NOT_FOUND,
        /** ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION: the state does not allow it. */
        CONFLICT,
        /** RESOURCE_EXHAUSTED. */
        EXHAUSTED,
        CANCELLED,
        /** UNIMPLEMENTED: the request asks for something the backend does not do. */
        UNSUPPORTED,
        /** The backend could not be reached (UNAVAILABLE), or its breaker is open. */
        UNAVAILABLE,
        /** DEADLINE_EXCEEDED. */
        TIMEOUT,
        /** INTERNAL, UNKNOWN, DATA_LOSS and anything else: the backend is broken. */
        INTERNAL;

        /** Whether this kind says the backend is in trouble rather than that it refused the request. */
        public boolean backendTrouble() {
            return this == UNAVAILABLE || this == TIMEOUT || this == INTERNAL;
        }
    }

    /** A field of the request and what is wrong with it (google.rpc.BadRequest). */
    public record FieldViolation(String field, String description) {
    }

    /** One rejected row of an upload: where it is, the rejection code in the API's dialect (e.g. unknown_unit) and why. */
    public record RowRejection(long row, long line, String column, String code, String reason, String value,
            Integer position) {
    }

    /** Why an upload wrote nothing: the rows received and rejected and each rejection (possibly truncated). */
    public record Rejections(List<RowRejection> rows, long rowsReceived, long rowsRejected, boolean truncated) {
    }

    private final transient Backend backend;
    private final Kind kind;
    private final String code;
    private final String description;
    private final transient List<FieldViolation> violations;
    private final transient Rejections rejections;
    private final Long retryAfterSeconds;

    /**
     * @param code the backend's status code by name ("NOT_FOUND", "DEADLINE_EXCEEDED"...)
     * @param description what the backend said about the request; ignored (null) for backend trouble
     * @param rejections the rejected rows of an upload, or null
     * @param retryAfterSeconds when a retry may succeed, or null
     */
    public BackendFailure(Backend backend, Kind kind, String code, String description,
            List<FieldViolation> violations, Rejections rejections, Long retryAfterSeconds) {
        this(backend.serviceName() + ": " + code, backend, kind, code, description, violations, rejections,
                retryAfterSeconds);
    }

    BackendFailure(String message, Backend backend, Kind kind, String code, String description,
            List<FieldViolation> violations, Rejections rejections, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.backend = backend;
        this.kind = kind;
        this.code = code;
        this.description = kind.backendTrouble() ? null : description;
        this.violations = List.copyOf(violations);
        this.rejections = rejections;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Backend backend() {
        return backend;
    }

    public Kind kind() {
        return kind;
    }

    /** The backend's status code by name, as the status page shows it ("UNAVAILABLE", "INTERNAL"...). */
    public String code() {
        return code;
    }

    /** What the backend said about the request (may be null); always null for backend trouble. */
    public String description() {
        return description;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /** The rejected rows of an upload, or null. */
    public Rejections rejections() {
        return rejections;
    }

    /** Seconds after which a retry may succeed, or null when there is no such hint. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
