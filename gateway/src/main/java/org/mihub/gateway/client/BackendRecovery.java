package org.mihub.gateway.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.mihub.common.health.ClientAddress;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Serves a backend again as soon as it is back, instead of when the circuit breaker's wait and the
 * gRPC channel's reconnect backoff (seconds, growing) happen to end: while a backend is away (its
 * breaker open, or its last call unreachable), its readiness endpoint is asked every {@link #PERIOD};
 * the moment it answers ready, the channel reconnects at once and the breaker closes. A backend
 * that is not away is never probed.
 */
@ApplicationScoped
public class BackendRecovery {

    static final Duration PERIOD = Duration.ofMillis(250);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(BackendRecovery.class);

    @Inject
    BackendGuards guards;

    @Inject
    Config config;

    @Inject
    @GrpcClient("catalog")
    Channel catalog;

    @Inject
    @GrpcClient("prediction")
    Channel prediction;

    @Inject
    @GrpcClient("planning")
    Channel planning;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    private final Map<Backend, Channel> channels = new EnumMap<>(Backend.class);
    private final Map<Backend, URI> readiness = new EnumMap<>(Backend.class);
    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event) {
        channels.put(Backend.CATALOG, catalog);
        channels.put(Backend.PREDICTION, prediction);
        channels.put(Backend.PLANNING, planning);
        for (Backend backend : Backend.values()) {
            readiness.put(backend, ClientAddress.of(config, backend.clientName(), "/q/health/ready"));
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "backend-recovery");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void check() {
        for (Backend backend : Backend.values()) {
            try {
                BackendGuard guard = guards.of(backend);
                if (guard.away() && ready(backend)) {
                    if (channels.get(backend) instanceof ManagedChannel managed) {
                        managed.resetConnectBackoff();
                    }
                    guard.backendReady();
                    LOG.infof("%s is ready again: serving it", backend.serviceName());
                }
            } catch (RuntimeException e) {
                // a scheduled task that throws is never run again
                LOG.warnf("checking whether %s is back failed: %s", backend.serviceName(), e.toString());
            }
        }
    }

    /** The backend's own readiness (gRPC and HTTP share its port). */
    private boolean ready(Backend backend) {
        try {
            var reply = http.send(HttpRequest.newBuilder(readiness.get(backend)).timeout(PROBE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return reply.statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
