package org.mihub.catalog.federation;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.catalog.config.FederationConfig;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * The catalog's one NATS connection: opened in the background (the service starts and serves with
 * NATS down), reconnecting for ever. Each state change (connected, disconnected, reconnected, closed)
 * is logged once; failed attempts in between are not. {@link #generation()} grows with every
 * (re)connection, so consumers know to set up their subscriptions again.
 *
 * <p>A connection can come back from a restarted nats-server yet leave every JetStream request
 * unanswered (seen with nats-server 2.9.10 and jnats 2.24.1, intermittently): the relay and the
 * consumers report each unanswered request with {@link #unanswered}, and after
 * {@value #UNANSWERED_BEFORE_RECONNECT} in a row on the same connection it is reconnected, which
 * makes every consumer subscribe again.
 */
@ApplicationScoped
public class NatsLink {

    private static final Logger LOG = Logger.getLogger(NatsLink.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final int UNANSWERED_BEFORE_RECONNECT = 3;

    @Inject
    FederationConfig config;

    private volatile Connection connection;
    private volatile boolean closing;
    /** Whether the last state logged was "connected": jnats reports a disconnection at every failed attempt. */
    private volatile boolean up;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger unanswered = new AtomicInteger();

    /** Starts connecting; returns at once. */
    public void start() throws InterruptedException {
        Options.Builder options = new Options.Builder().server(config.nats().url())
                .connectionName("mihub-catalog-" + config.nodeId()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500)).connectionTimeout(Duration.ofSeconds(2))
                .connectionListener(this::event).errorListener(new QuietErrors())
                // one inbox per request: with the shared (muxed) response inbox, after a reconnection to a
                // restarted nats-server 2.9.10 only the first JetStream request was answered, every later
                // one timed out (reproduced with jnats 2.24.1 alone); per-request inboxes work throughout
                .oldRequestStyle();
        if (config.nats().user().isPresent()) {
            options.userInfo(config.nats().user().get(), config.nats().password().orElse(""));
        }
        Nats.connectAsynchronously(options.build(), true);
    }

    private void event(Connection source, ConnectionListener.Events event) {
        switch (event) {
            case CONNECTED, RECONNECTED -> {
                connection = source;
                up = true;
                unanswered.set(0);
                generation.incrementAndGet();
                LOG.infof("NATS %s: %s as %s", config.nats().url(), event == ConnectionListener.Events.CONNECTED
                        ? "connected" : "reconnected", config.nats().user().orElse("(no user)"));
            }
            case DISCONNECTED -> {
                if (up && !closing) {
                    up = false;
                    LOG.warnf("NATS %s: disconnected; card changes wait in the outbox until it is back",
                            config.nats().url());
                }
            }
            case CLOSED -> LOG.infof("NATS %s: closed", config.nats().url());
            default -> {
            }
        }
    }

    /** The connection, when it is connected now. */
    public Optional<Connection> connected() {
        Connection current = connection;
        return current != null && current.getStatus() == Connection.Status.CONNECTED ? Optional.of(current)
                : Optional.empty();
    }

    /** Whether a failure is JetStream's "no answer in time" (rather than a refusal or a lost connection). */
    public static boolean isUnanswered(Throwable failure) {
        return failure instanceof java.io.IOException && failure.getMessage() != null
                && failure.getMessage().startsWith("Timeout or no response");
    }

    /** A JetStream request on {@code on} got an answer: the count of unanswered ones starts again. */
    public void answered(Connection on) {
        if (on == connection) {
            unanswered.set(0);
        }
    }

    /**
     * A JetStream request on {@code on} went unanswered; the third in a row on the current connection
     * reconnects it (a request on a connection since replaced does not count).
     */
    public void unanswered(Connection on) {
        if (on != connection || closing || unanswered.incrementAndGet() < UNANSWERED_BEFORE_RECONNECT) {
            return;
        }
        unanswered.set(0);
        LOG.warnf("NATS %s: %d JetStream requests in a row went unanswered; reconnecting", config.nats().url(),
                UNANSWERED_BEFORE_RECONNECT);
        try {
            on.forceReconnect();
        } catch (java.io.IOException e) {
            LOG.warnf("NATS %s: reconnecting failed (%s); jnats keeps trying", config.nats().url(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long generation() {
        return generation.get();
    }

    public JetStream jetStream(Connection current) throws java.io.IOException {
        return current.jetStream(JetStreamOptions.builder().requestTimeout(REQUEST_TIMEOUT).build());
    }

    public JetStreamManagement management(Connection current) throws java.io.IOException {
        return current.jetStreamManagement(JetStreamOptions.builder().requestTimeout(REQUEST_TIMEOUT).build());
    }

    @PreDestroy
    void close() {
        closing = true;
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** jnats reports every failed reconnection attempt; the state changes above are what is logged. */
    private static final class QuietErrors implements ErrorListener {
        private volatile String last = "";

        /** A server error (a permission violation, say) is logged at WARN, once until another one comes. */
        @Override
        public void errorOccurred(Connection conn, String error) {
            if (!error.equals(last)) {
                last = error;
                LOG.warnf("NATS server error: %s", error);
            }
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debugf("NATS exception: %s", exp.toString());
        }
    }
}
