package org.mihub.common.error;

import java.util.List;

/**
 * A request the service refuses, in domain terms: which kind of refusal, a message for the
 * caller, and for invalid input which fields (or rows, columns, positions) and why. The gRPC
 * layer turns it into a status with details ({@link GrpcErrors}); the gateway into problem+json.
 */
public class ApiException extends RuntimeException {

    public enum Kind {
        INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED, ALREADY_EXISTS, FAILED_PRECONDITION,
        /** A well-formed request for something this service does not do. */
        UNIMPLEMENTED,
        /** The work collided with concurrent work and was undone; the same request may be sent again. */
        ABORTED,
        /** The work ran out of time (waiting for a lock, a statement timeout); it may be sent again. */
        DEADLINE_EXCEEDED,
        /** Something the service depends on (its database) cannot be reached now; try again later. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final List<FieldViolation> violations;

    public ApiException(Kind kind, String message, List<FieldViolation> violations) {
        super(message);
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    public static ApiException invalid(String field, String reason) {
        return new ApiException(Kind.INVALID_ARGUMENT, field + ": " + reason, List.of(new FieldViolation(field, reason)));
    }

    /** A UUID the caller sent in {@code field}; INVALID_ARGUMENT naming the field when it is not one. */
    public static java.util.UUID id(String field, String value) {
        try {
            return java.util.UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "'" + value + "' is not an id");
        }
    }

    /** Hidden and missing look the same: NOT_FOUND never tells that something exists. */
    public static ApiException notFound(String what, String id) {
        return new ApiException(Kind.NOT_FOUND, what + " " + id + " not found", List.of());
    }

    public static ApiException unimplemented(String message) {
        return new ApiException(Kind.UNIMPLEMENTED, message, List.of());
    }

    public static ApiException denied(String message) {
        return new ApiException(Kind.PERMISSION_DENIED, message, List.of());
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /** One bad field: its name or path (e.g. "shared_with[2]") and why. */
    public record FieldViolation(String field, String reason) {
    }
}
