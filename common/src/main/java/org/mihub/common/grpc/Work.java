package org.mihub.common.grpc;

import java.util.function.Supplier;

import org.mihub.common.error.GrpcErrors;

import io.grpc.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs blocking domain work (JDBC, files, calls to other services) of a gRPC method on a worker
 * thread, never on the event loop, and maps its refusals to gRPC statuses. The gRPC context of the
 * call (its caller and token) goes along, so outgoing calls from the work relay the caller's token.
 */
public final class Work {

    private Work() {
    }

    public static <T> Uni<T> blocking(Supplier<T> work) {
        Context context = Context.current();
        return Uni.createFrom().item(() -> {
            Context previous = context.attach();
            try {
                return work.get();
            } finally {
                context.detach(previous);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).onFailure().transform(GrpcErrors::toStatus);
    }
}
