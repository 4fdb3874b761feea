package org.mihub.common.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Tags the gRPC call's span with the caller's organisation ({@link TraceAttributes}). It runs inside
 * Quarkus' tracing interceptor, whose span is current here, and after {@link CallerServerInterceptor},
 * which put the caller in the call's context (that one tags the HTTP/2 request's span).
 */
@ApplicationScoped
@GlobalInterceptor
public class CallerSpanInterceptor implements ServerInterceptor, Prioritized {

    /** Below Quarkus' tracing interceptor (no priority, i.e. 0), so that its span is the current one. */
    static final int PRIORITY = -100;

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        CallerContext.current().ifPresent(caller -> TraceAttributes.organisation(caller.org()));
        return next.startCall(call, headers);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
