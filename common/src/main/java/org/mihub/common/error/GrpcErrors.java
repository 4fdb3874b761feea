package org.mihub.common.error;

import org.jboss.logging.Logger;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * Domain refusals to gRPC statuses with details: INVALID_ARGUMENT carries a
 * {@code google.rpc.BadRequest} with the field violations, plus any extra detail message (for
 * example the catalog's row rejections). Anything else unexpected becomes INTERNAL without
 * internals.
 */
public final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    public static StatusRuntimeException toStatus(Throwable failure) {
        return toStatus(failure, null);
    }

    /** The status for a failure; {@code extraDetail} (may be null) is attached for INVALID_ARGUMENT. */
    public static StatusRuntimeException toStatus(Throwable failure, Message extraDetail) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (!(failure instanceof ApiException api)) {
            LOG.error("unexpected failure, answered INTERNAL", failure);
            return Status.INTERNAL.withDescription("internal error").asRuntimeException();
        }
        var status = com.google.rpc.Status.newBuilder().setCode(code(api.kind()).getNumber())
                .setMessage(api.getMessage() == null ? "" : api.getMessage());
        if (!api.violations().isEmpty()) {
            var badRequest = BadRequest.newBuilder();
            api.violations().forEach(violation -> badRequest.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                    .setField(violation.field()).setDescription(violation.reason())));
            status.addDetails(Any.pack(badRequest.build()));
        }
        if (extraDetail != null) {
            status.addDetails(Any.pack(extraDetail));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    private static Code code(ApiException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Code.NOT_FOUND;
            case PERMISSION_DENIED -> Code.PERMISSION_DENIED;
            case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
            case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
            case UNIMPLEMENTED -> Code.UNIMPLEMENTED;
            case ABORTED -> Code.ABORTED;
            case DEADLINE_EXCEEDED -> Code.DEADLINE_EXCEEDED;
            case UNAVAILABLE -> Code.UNAVAILABLE;
        };
    }
}
