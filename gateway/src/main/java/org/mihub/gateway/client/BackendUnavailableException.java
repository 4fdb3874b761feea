package org.mihub.gateway.client;

import java.time.Duration;

/**
 * A backend's circuit breaker is open: the call was not made. Answered with 503 and
 * {@code Retry-After} (the time the breaker stays open before it lets trial calls through).
 */
public final class BackendUnavailableException extends RuntimeException {

    private final transient Backend backend;
    private final long retryAfterSeconds;

    public BackendUnavailableException(Backend backend, Duration openFor) {
        super(backend.serviceName() + " is unavailable", null, false, false);
        this.backend = backend;
        this.retryAfterSeconds = Math.max(1, (openFor.toMillis() + 999) / 1000);
    }

    public Backend backend() {
        return backend;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
