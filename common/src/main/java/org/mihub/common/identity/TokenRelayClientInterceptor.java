package org.mihub.common.identity;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.security.identity.CurrentIdentityAssociation;

/**
 * Forwards the caller's own bearer token on every outgoing gRPC call, so a downstream service
 * decides with the caller's rights and never with the forwarding service's. When there is no
 * caller (health probes), the call goes out without a token and gets anonymous rights only.
 */
@ApplicationScoped
@GlobalInterceptor
public class TokenRelayClientInterceptor implements ClientInterceptor {

    /**
     * A token bound to a call explicitly ({@code stub.withOption(RELAYED_TOKEN, token)}); it wins over
     * the current context's, so a call retried on another thread still carries the caller's token.
     */
    public static final CallOptions.Key<String> RELAYED_TOKEN = CallOptions.Key.create("mihub-relayed-token");

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    CurrentIdentityAssociation identityAssociation;

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        Optional<String> token = Optional.ofNullable(callOptions.getOption(RELAYED_TOKEN)).or(this::currentToken);
        ClientCall<ReqT, RespT> call = next.newCall(method, callOptions);
        if (token.isEmpty()) {
            return call;
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
            @Override
            public void start(Listener<RespT> responseListener, Metadata headers) {
                headers.put(AUTHORIZATION, "Bearer " + token.get());
                super.start(responseListener, headers);
            }
        };
    }

    /** Inside a gRPC call: the token the caller presented; inside a REST request: the request's token. */
    private Optional<String> currentToken() {
        Optional<String> fromCall = CallerContext.bearerToken();
        if (fromCall.isPresent()) {
            return fromCall;
        }
        try {
            return ResolvedIdentity.of(identityAssociation).flatMap(CallerFactory::rawToken);
        } catch (ContextNotActiveException noRequest) {
            return Optional.empty();
        }
    }
}
