package org.mihub.catalog.grpc;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.inject.spi.Prioritized;

/**
 * The federation node a call is made for, as the gateway relays it in the metadata
 * {@code mihub-requesting-node} (from another node's federated search): kept in the gRPC context
 * for the access log. A value that is not a node id ({@code [a-z0-9-]{1,40}}) is ignored.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestingNodeInterceptor implements ServerInterceptor, Prioritized {

    static final Metadata.Key<String> METADATA = Metadata.Key.of("mihub-requesting-node",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<String> NODE = Context.key("mihub-requesting-node");
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9-]{1,40}");

    /** The requesting node of the current call, if another node asked. */
    public static Optional<String> current() {
        return Optional.ofNullable(NODE.get());
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String node = headers.get(METADATA);
        if (node == null || !NODE_ID.matcher(node).matches()) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(NODE, node), call, headers, next);
    }

    @Override
    public int getPriority() {
        // after the caller interceptor (Integer.MAX_VALUE - 200), inside its context
        return Integer.MAX_VALUE - 300;
    }
}
