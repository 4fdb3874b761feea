package org.mihub.gateway.client;

import java.time.Duration;
import java.util.List;

/**
 * A backend's circuit breaker is open: the call was not made. Answered with 503 and
 * {@code Retry-After} (the time the breaker stays open before it lets trial calls through).
 */
public final class BackendUnavailableException extends BackendFailure {

    public BackendUnavailableException(Backend backend, Duration openFor) {
        super(backend.serviceName() + " is unavailable", backend, Kind.UNAVAILABLE, "UNAVAILABLE", null, List.of(),
                null, Math.max(1, (openFor.toMillis() + 999) / 1000));
    }
}
