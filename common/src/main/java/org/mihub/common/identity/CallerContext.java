package org.mihub.common.identity;

import java.util.Optional;

import io.grpc.Context;
import io.grpc.Status;

/**
 * Where the caller of the current gRPC call lives: {@link CallerServerInterceptor} puts it in the
 * gRPC {@link Context}, service code reads it here, and {@link TokenRelayClientInterceptor} reads
 * the raw token to forward it downstream.
 */
public final class CallerContext {

    static final Context.Key<Caller> CALLER = Context.key("mihub-caller");
    static final Context.Key<String> TOKEN = Context.key("mihub-bearer-token");

    private CallerContext() {
    }

    /** The caller of the current call, if it presented a valid token. */
    public static Optional<Caller> current() {
        return Optional.ofNullable(CALLER.get());
    }

    /** The caller of the current call; UNAUTHENTICATED when there is none. */
    public static Caller require() {
        return current().orElseThrow(() -> Status.UNAUTHENTICATED
                .withDescription("a valid access token is required").asRuntimeException());
    }

    /** The caller, who must hold {@code role}; PERMISSION_DENIED otherwise. */
    public static Caller requireRole(String role) {
        Caller caller = require();
        if (!caller.hasRole(role)) {
            throw Status.PERMISSION_DENIED.withDescription("role '" + role + "' is required").asRuntimeException();
        }
        return caller;
    }

    /**
     * A gRPC context that carries this caller and token, for work that outlives the call (a job):
     * calls made inside {@code context.run(...)} relay the token as if the caller made them.
     */
    public static Context with(Caller caller, String token) {
        return Context.ROOT.withValues(CALLER, caller, TOKEN, token);
    }

    /** The raw bearer token of the current call, to forward to downstream services. */
    public static Optional<String> bearerToken() {
        return Optional.ofNullable(TOKEN.get());
    }
}
