package org.mihub.gateway.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The resilience of the calls to one backend: a circuit breaker (resilience4j) that opens when
 * too many recent calls failed because the backend was unreachable, overloaded or broken, so
 * callers get an immediate {@link BackendUnavailableException} instead of waiting for each call
 * to fail; and retries, for idempotent reads only, when the backend could not be reached.
 *
 * <p>Only failures of the backend count against it (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL,
 * UNKNOWN, DATA_LOSS). A caller's mistake or a refusal (INVALID_ARGUMENT, NOT_FOUND,
 * PERMISSION_DENIED...) is a working backend and counts as a success.
 *
 * <p>A call that fails comes back as a {@link BackendFailure} (a gRPC failure translated once, by
 * {@link BackendFailures}), or as a {@link BackendUnavailableException} when the breaker is open; the
 * breaker and the retries look at the gRPC status before that translation.
 *
 * <p>The calls given here must be lazy and repeatable: each subscription makes a new call (as the
 * Mutiny gRPC stubs do), so a retry is a resubscription.
 */
public final class BackendGuard {

    /** How the guard behaves; {@link #defaults()} are the gateway's configured defaults. */
    public record Settings(int window, int minimumCalls, float failureRatePercent, Duration openFor,
            int halfOpenCalls, int readRetries, Duration firstBackoff, Duration maxBackoff) {

        public static Settings defaults() {
            return new Settings(20, 5, 50f, Duration.ofSeconds(5), 3, 2, Duration.ofMillis(50),
                    Duration.ofMillis(250));
        }
    }

    private final Backend backend;
    private final Settings settings;
    private final CircuitBreaker breaker;
    /** The last call ended UNAVAILABLE (the backend could not be reached). */
    private volatile boolean unreachable;

    public BackendGuard(Backend backend, Settings settings) {
        this.backend = backend;
        this.settings = settings;
        this.breaker = CircuitBreaker.of(backend.serviceName(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .recordException(BackendGuard::isBackendFailure)
                .build());
    }

    /** Whether a failure says the backend is in trouble (rather than that the request was refused). */
    static boolean isBackendFailure(Throwable failure) {
        return failure instanceof StatusRuntimeException status
                && BackendFailures.kind(status.getStatus().getCode()).backendTrouble();
    }

    /** Whether a read may be tried again: only when the backend could not be reached at all. */
    static boolean isRetryable(Throwable failure) {
        return failure instanceof StatusRuntimeException status
                && status.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }

    public Backend backend() {
        return backend;
    }

    /** The breaker's state, for the status page: CLOSED, OPEN, HALF_OPEN... */
    public String state() {
        return breaker.getState().name();
    }

    /** An idempotent read: guarded by the breaker and retried, with backoff, while the backend is unreachable. */
    public <T> Uni<T> read(Uni<T> call) {
        Uni<T> guarded = guarded(call);
        if (settings.readRetries() > 0) {
            guarded = guarded.onFailure(BackendGuard::isRetryable).retry()
                    .withBackOff(settings.firstBackoff(), settings.maxBackoff())
                    .atMost(settings.readRetries());
        }
        return translated(guarded);
    }

    /** A call that changes something (or is not idempotent): guarded by the breaker, never retried. */
    public <T> Uni<T> write(Uni<T> call) {
        return translated(guarded(call));
    }

    /** A streamed read: the breaker decides whether it starts and counts how it ended; never retried. */
    public <T> Multi<T> stream(Multi<T> call) {
        return Multi.createFrom().deferred(() -> {
            if (!breaker.tryAcquirePermission()) {
                return Multi.createFrom().failure(unavailable());
            }
            long started = System.nanoTime();
            return call.onFailure().invoke(failure -> record(started, failure))
                    .onCompletion().invoke(() -> record(started, null))
                    .onCancellation().invoke(breaker::releasePermission);
        }).onFailure().transform(failure -> BackendFailures.translate(backend, failure));
    }

    private <T> Uni<T> translated(Uni<T> call) {
        return call.onFailure().transform(failure -> BackendFailures.translate(backend, failure));
    }

    private <T> Uni<T> guarded(Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            if (!breaker.tryAcquirePermission()) {
                return Uni.createFrom().failure(unavailable());
            }
            long started = System.nanoTime();
            return call.onItemOrFailure().invoke((item, failure) -> record(started, failure))
                    .onCancellation().invoke(breaker::releasePermission);
        });
    }

    /** Tells the breaker how a call that started at {@code started} ended (no failure: a success). */
    private void record(long started, Throwable failure) {
        long elapsed = System.nanoTime() - started;
        if (failure == null) {
            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            unreachable = false;
        } else {
            breaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
            unreachable |= isRetryable(failure);
        }
    }

    /**
     * Whether the backend looks away: its breaker is not closed, or its last call could not reach
     * it. {@link BackendRecovery} watches such a backend's readiness.
     */
    public boolean away() {
        return unreachable || breaker.getState() != CircuitBreaker.State.CLOSED;
    }

    /** The backend reports itself ready again: calls go through at once (the breaker closes). */
    public void backendReady() {
        unreachable = false;
        if (breaker.getState() != CircuitBreaker.State.CLOSED) {
            breaker.transitionToClosedState();
        }
    }

    private BackendUnavailableException unavailable() {
        return new BackendUnavailableException(backend, settings.openFor());
    }
}
