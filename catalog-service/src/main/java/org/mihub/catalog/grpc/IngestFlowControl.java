package org.mihub.catalog.grpc;

import jakarta.enterprise.context.ApplicationScoped;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.catalog.mapping.InboundCall;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Flow control and an end signal for {@code IngestRecords}, which the Mutiny stubs of quarkus-grpc
 * do not give a client stream: their bridge asks gRPC for the next message as soon as one arrives
 * and queues them without bound, and it never tells a reader that the call was closed.
 *
 * <ul>
 * <li>The stub's automatic {@code request(1)} calls are dropped; the reader asks for each message
 * through {@link InboundCall#request()}, run on the call's event loop. A client is then held back by
 * HTTP/2 flow control while the catalog parses and writes.
 * <li>{@link InboundCall#closed} is called when the call ends: cancelled by the client (or its
 * deadline), completed, or — what the gRPC listener never hears — when the Vert.x gRPC server ends
 * the response itself (a message over {@code quarkus.grpc.server.max-inbound-message-size} is
 * answered RESOURCE_EXHAUSTED at the transport). That last signal comes from the HTTP request's
 * end handler: quarkus-grpc leaves the request's {@link RoutingContext} in the Vert.x context while
 * the call starts. On the separate grpc-java server the call's cancelled {@link Context} does the
 * same (see {@code mapping/ClientStream}).
 * </ul>
 * Other methods pass through untouched. The handle reaches the service method in the call's gRPC
 * {@link Context} under {@link InboundCall#KEY}.
 */
@ApplicationScoped
public class IngestFlowControl implements ServerInterceptor {

    private static final String INGEST = CatalogServiceGrpc.getIngestRecordsMethod().getFullMethodName();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!INGEST.equals(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        io.vertx.core.Context eventLoop = Vertx.currentContext();
        InboundCall inbound = new InboundCall(() -> {
            if (eventLoop == null) {
                call.request(1);
            } else {
                eventLoop.runOnContext(ignored -> call.request(1));
            }
        });
        if (eventLoop != null && eventLoop.getLocal(RoutingContext.class.getName()) instanceof RoutingContext http) {
            http.addEndHandler(ended -> inbound.closed(ended.succeeded() ? "the server ended the call"
                    : "the connection failed: " + ended.cause().getMessage()));
        }
        ServerCall<Q, R> pulled = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void request(int messages) {
                // the stub's automatic demand: the reader asks for each message instead
            }

            @Override
            public void close(Status status, Metadata trailers) {
                try {
                    super.close(status, trailers);
                } catch (IllegalStateException e) {
                    if (inbound.closedBecause() == null) {
                        throw e;
                    }
                    // the transport ended the call first (RESOURCE_EXHAUSTED): its client has its answer
                }
            }
        };
        Context context = Context.current().withValue(InboundCall.KEY, inbound);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                Contexts.interceptCall(context, pulled, headers, next)) {
            @Override
            public void onCancel() {
                inbound.closed("the client cancelled the call");
                super.onCancel();
            }

            @Override
            public void onComplete() {
                inbound.closed("the call is complete");
                super.onComplete();
            }
        };
    }
}
