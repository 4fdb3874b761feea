package org.mihub.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mihub.api.catalog.v1.IngestRejected;
import org.mihub.api.catalog.v1.RejectionCode;
import org.mihub.api.catalog.v1.RowRejection;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;

import io.grpc.Status;
import io.grpc.protobuf.StatusProto;

/** The one translation of a gRPC failure: kind, message, details, retry hint, and what a 5xx drops. */
class BackendFailuresTest {

    @Test
    void theBackendsOwnFailuresAreExactlyTheOnesTheBreakerCounts() {
        var trouble = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.INTERNAL,
                Status.Code.UNKNOWN, Status.Code.DATA_LOSS);
        for (Status.Code code : Status.Code.values()) {
            if (code == Status.Code.OK) {
                continue;
            }
            var exception = code.toStatus().withDescription("x").asRuntimeException();
            assertEquals(trouble.contains(code), BackendGuard.isBackendFailure(exception), code.name());
            assertEquals(trouble.contains(code), BackendFailures.of(Backend.CATALOG, exception).kind()
                    .backendTrouble(), code.name());
        }
    }

    @Test
    void aRefusalKeepsItsDescriptionFieldsAndRows() {
        var status = com.google.rpc.Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("bad upload")
                .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation
                        .newBuilder().setField("datasetId").setDescription("required")).build()))
                .addDetails(Any.pack(IngestRejected.newBuilder().setRowsReceived(10).setRowsRejected(3)
                        .setTruncated(true).addRejections(RowRejection.newBuilder().setRow(4).setLine(5)
                                .setColumn("band_gap [eV]").setCode(RejectionCode.REJECTION_CODE_BAD_NUMBER)
                                .setReason("not a number").setValue("abc"))
                        .build()))
                .build();
        var failure = BackendFailures.of(Backend.CATALOG, StatusProto.toStatusRuntimeException(status));
        assertEquals(BackendFailure.Kind.INVALID_REQUEST, failure.kind());
        assertEquals("INVALID_ARGUMENT", failure.code());
        assertEquals("bad upload", failure.description());
        assertEquals(List.of(new BackendFailure.FieldViolation("datasetId", "required")), failure.violations());
        var rejections = failure.rejections();
        assertEquals(10, rejections.rowsReceived());
        assertEquals(3, rejections.rowsRejected());
        assertEquals(true, rejections.truncated());
        assertEquals(List.of(new BackendFailure.RowRejection(4, 5, "band_gap [eV]", "bad_number", "not a number",
                "abc", null)), rejections.rows());
        assertNull(failure.retryAfterSeconds());
    }

    @Test
    void aBackendInTroubleKeepsNoWordsOfItsOwnAndAnUnreachableOneGivesARetryHint() {
        var internal = BackendFailures.of(Backend.PLANNING, Status.INTERNAL
                .withDescription("org.postgresql.util.PSQLException: relation \"x\"").asRuntimeException());
        assertEquals(BackendFailure.Kind.INTERNAL, internal.kind());
        assertNull(internal.description());
        assertNull(internal.retryAfterSeconds());
        var unreachable = BackendFailures.of(Backend.PLANNING, Status.UNAVAILABLE
                .withDescription("io exception: 10.0.0.7").asRuntimeException());
        assertEquals(BackendFailure.Kind.UNAVAILABLE, unreachable.kind());
        assertNull(unreachable.description());
        assertEquals(5L, unreachable.retryAfterSeconds());
        assertEquals(Backend.PLANNING, unreachable.backend());
    }

    @Test
    void onlyGrpcFailuresAreTranslated() {
        var other = new IllegalStateException("not from a backend");
        assertSame(other, BackendFailures.translate(Backend.CATALOG, other));
    }
}
