package org.mihub.gateway.client;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;

import org.mihub.common.identity.CallerFactory;
import org.mihub.common.identity.TokenRelayClientInterceptor;
import org.mihub.gateway.config.BackendsConfig;

import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * One {@link BackendGuard} per backend, configured under {@code mihub.gateway.breaker.*} and
 * {@code mihub.gateway.read-retries}, and the binding of a stub to the current request: its
 * deadline, which starts now and covers every retry, and the caller's token, bound to the call
 * itself so that a retry made on another thread still relays it.
 */
@ApplicationScoped
public class BackendGuards {

    private final Map<Backend, BackendGuard> guards = new EnumMap<>(Backend.class);

    @Inject
    SecurityIdentity identity;

    @Inject
    RequestingNode requestingNode;

    @Inject
    public BackendGuards(BackendsConfig config) {
        var defaults = BackendGuard.Settings.defaults();
        var breaker = config.breaker();
        var settings = new BackendGuard.Settings(breaker.window(), breaker.minimumCalls(), breaker.failureRate(),
                breaker.openFor(), breaker.halfOpenCalls(), config.readRetries(), defaults.firstBackoff(),
                defaults.maxBackoff());
        for (Backend backend : Backend.values()) {
            guards.put(backend, new BackendGuard(backend, settings));
        }
    }

    public BackendGuard of(Backend backend) {
        return guards.get(backend);
    }

    /** The stub with a deadline {@code within} from now and the caller's token bound to its calls. */
    public <S extends AbstractStub<S>> S bind(S stub, Duration within) {
        S bound = withRequestingNode(stub.withDeadlineAfter(within.toMillis(), TimeUnit.MILLISECONDS));
        return CallerFactory.rawToken(identity)
                .map(token -> bound.withOption(TokenRelayClientInterceptor.RELAYED_TOKEN, token))
                .orElse(bound);
    }

    /** The requesting node of the current request (a federated search from another node), as metadata. */
    private <S extends AbstractStub<S>> S withRequestingNode(S stub) {
        Optional<String> node;
        try {
            node = requestingNode.get();
        } catch (ContextNotActiveException noRequest) {
            return stub;
        }
        if (node.isEmpty()) {
            return stub;
        }
        Metadata metadata = new Metadata();
        metadata.put(RequestingNode.METADATA, node.get());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }
}
