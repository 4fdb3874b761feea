package org.mihub.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The guard's rules on a backend that fails as told: which failures are retried and counted, that
 * an open breaker makes no call at all, that it lets calls through again after its wait, and that
 * what comes out is a {@link BackendFailure}, never a gRPC status.
 */
class BackendGuardTest {

    /** Small numbers so a test trips and heals the breaker quickly. */
    private static final BackendGuard.Settings SETTINGS = new BackendGuard.Settings(4, 4, 50f,
            Duration.ofMillis(300), 1, 2, Duration.ofMillis(5), Duration.ofMillis(10));

    /** A backend whose every call fails with {@code code} (or answers when code is OK); counts calls. */
    private static final class FakeBackend {
        final AtomicInteger calls = new AtomicInteger();
        volatile Status.Code code;

        FakeBackend(Status.Code code) {
            this.code = code;
        }

        Uni<String> call() {
            return Uni.createFrom().deferred(() -> {
                calls.incrementAndGet();
                return code == Status.Code.OK ? Uni.createFrom().item("answer")
                        : Uni.createFrom().failure(code.toStatus().asRuntimeException());
            });
        }
    }

    private static Throwable failureOf(Uni<String> call) {
        return assertThrows(RuntimeException.class, () -> call.await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void aReadIsRetriedWhileTheBackendIsUnreachableAndThenFails() {
        var guard = new BackendGuard(Backend.CATALOG, SETTINGS);
        var backend = new FakeBackend(Status.Code.UNAVAILABLE);
        var failure = assertInstanceOf(BackendFailure.class, failureOf(guard.read(backend.call())));
        assertEquals(3, backend.calls.get(), "one call and two retries");
        assertEquals(BackendFailure.Kind.UNAVAILABLE, failure.kind());
        assertEquals(Backend.CATALOG, failure.backend());
        assertEquals(5L, failure.retryAfterSeconds());
    }

    @Test
    void aWriteIsNeverRetried() {
        var guard = new BackendGuard(Backend.CATALOG, SETTINGS);
        var backend = new FakeBackend(Status.Code.UNAVAILABLE);
        failureOf(guard.write(backend.call()));
        assertEquals(1, backend.calls.get());
    }

    @Test
    void aRefusalIsNeitherRetriedNorCountedAgainstTheBackend() {
        var guard = new BackendGuard(Backend.CATALOG, SETTINGS);
        var backend = new FakeBackend(Status.Code.NOT_FOUND);
        for (int i = 0; i < 10; i++) {
            var failure = assertInstanceOf(BackendFailure.class, failureOf(guard.read(backend.call())));
            assertEquals(BackendFailure.Kind.NOT_FOUND, failure.kind());
        }
        assertEquals(10, backend.calls.get());
        assertEquals("CLOSED", guard.state());
    }

    @Test
    void aFailingBackendOpensTheBreakerWhichThenMakesNoCallUntilItsWaitIsOver() throws Exception {
        var guard = new BackendGuard(Backend.PLANNING, SETTINGS);
        var backend = new FakeBackend(Status.Code.INTERNAL);
        for (int i = 0; i < 4; i++) {
            failureOf(guard.write(backend.call()));
        }
        assertEquals("OPEN", guard.state());
        int made = backend.calls.get();
        var refused = failureOf(guard.read(backend.call()));
        var unavailable = assertInstanceOf(BackendUnavailableException.class, refused);
        assertEquals(Backend.PLANNING, unavailable.backend());
        assertEquals(1L, unavailable.retryAfterSeconds());
        assertEquals(BackendFailure.Kind.UNAVAILABLE, unavailable.kind());
        assertInstanceOf(BackendUnavailableException.class, failureOf(guard.write(backend.call())));
        assertEquals(made, backend.calls.get(), "an open breaker makes no call and no retry");

        backend.code = Status.Code.OK;
        Thread.sleep(350);
        assertEquals("answer", guard.read(backend.call()).await().atMost(Duration.ofSeconds(5)));
        assertEquals("CLOSED", guard.state(), "one good trial call closes it again");
        assertEquals(made + 1, backend.calls.get());
    }

    @Test
    void aTrialCallThatFailsOpensTheBreakerAgain() throws Exception {
        var guard = new BackendGuard(Backend.PREDICTION, SETTINGS);
        var backend = new FakeBackend(Status.Code.DEADLINE_EXCEEDED);
        for (int i = 0; i < 4; i++) {
            failureOf(guard.read(backend.call()));
        }
        assertEquals("OPEN", guard.state());
        Thread.sleep(350);
        failureOf(guard.read(backend.call()));
        assertEquals("OPEN", guard.state());
    }

    @Test
    void aStreamIsRefusedWhileTheBreakerIsOpenAndCountedWhenItEnds() {
        var guard = new BackendGuard(Backend.CATALOG, SETTINGS);
        var started = new AtomicInteger();
        Multi<Integer> broken = Multi.createFrom().deferred(() -> {
            started.incrementAndGet();
            return Multi.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        });
        for (int i = 0; i < 4; i++) {
            assertThrows(BackendFailure.class,
                    () -> guard.stream(broken).collect().asList().await().atMost(Duration.ofSeconds(5)));
        }
        assertEquals(4, started.get(), "a stream is never retried");
        assertThrows(BackendUnavailableException.class,
                () -> guard.stream(broken).collect().asList().await().atMost(Duration.ofSeconds(5)));
        assertEquals(4, started.get());
    }
}
