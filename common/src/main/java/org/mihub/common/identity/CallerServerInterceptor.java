package org.mihub.common.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;

import org.mihub.common.config.GrpcAccessConfig;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The one server interceptor of every mihub service: it turns the identity that Quarkus OIDC
 * validated for this call (same issuer, keys and audience as the gateway) into a {@link Caller} and
 * puts it, with the raw token for relaying, into the gRPC {@link Context}.
 *
 * <p>gRPC is served on the HTTP port, so the OIDC bearer check runs on the HTTP/2 request before
 * any gRPC code: a missing, expired or forged token never reaches a service method with an
 * identity. This interceptor runs after Quarkus' own gRPC security interceptor, which associates
 * that identity with the call, and refuses (UNAUTHENTICATED) every call without a caller unless the
 * method is explicitly open: deny by default, on every service.
 */
@ApplicationScoped
@GlobalInterceptor
public class CallerServerInterceptor implements ServerInterceptor, Prioritized {

    /** Lower than Quarkus' GrpcSecurityInterceptor (Integer.MAX_VALUE - 100), so it runs after it. */
    static final int PRIORITY = Integer.MAX_VALUE - 200;

    @Inject
    CurrentIdentityAssociation identityAssociation;

    /** Full gRPC method names ("pkg.Service/Method") that may be called without a token (public reads). */
    @Inject
    GrpcAccessConfig access;

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        SecurityIdentity identity = ResolvedIdentity.of(identityAssociation).orElse(null);
        var caller = CallerFactory.fromIdentity(identity);
        if (caller.isEmpty()) {
            if (!isAnonymousAllowed(call.getMethodDescriptor().getFullMethodName())) {
                call.close(Status.UNAUTHENTICATED.withDescription(identity == null || identity.isAnonymous()
                        ? "a valid access token is required"
                        : "the access token carries no organisation ('org' claim)"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
        TraceAttributes.organisation(caller.get().org());
        Context context = Context.current().withValues(CallerContext.CALLER, caller.get(),
                CallerContext.TOKEN, CallerFactory.rawToken(identity).orElse(null));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** Deny by default: only gRPC's own health and reflection services, and methods listed in config, are open. */
    private boolean isAnonymousAllowed(String fullMethodName) {
        return fullMethodName.startsWith("grpc.health.") || fullMethodName.startsWith("grpc.reflection.")
                || access.anonymousMethods().map(methods -> methods.contains(fullMethodName)).orElse(false);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
