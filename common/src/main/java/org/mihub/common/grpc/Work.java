package org.mihub.common.grpc;

import java.util.function.Supplier;

import org.mihub.common.error.GrpcErrors;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs blocking domain work (JDBC, files) of a gRPC method on a worker thread, never on the event
 * loop, and maps its refusals to gRPC statuses. Read the caller from the gRPC context before
 * calling this: the worker thread has no gRPC context.
 */
public final class Work {

    private Work() {
    }

    public static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().transform(GrpcErrors::toStatus);
    }
}
