package org.mihub.catalog.federation;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.catalog.repository.OutboxRepository;
import org.mihub.common.sql.Transactions;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;

/**
 * Publishes the outbox to JetStream, oldest row first, each with {@code Nats-Msg-Id} = its message id
 * (the stream drops a repeat within its two-minute duplicate window), and marks a row sent only on
 * the stream's acknowledgement. A failed publish counts an attempt on the row, keeps it, stops the
 * batch (so a dataset's changes arrive in order) and waits with a growing pause (0.25 s doubling to
 * 5 s) before the next try; the first failure after a success and the recovery are logged once.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 100;
    static final Duration IDLE = Duration.ofMillis(200);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Inject
    DataSource dataSource;

    @Inject
    OutboxRepository outbox;

    @Inject
    NatsLink link;

    private Duration backoff = FIRST_BACKOFF;
    private boolean failing;

    /** One round: publishes what it can; answers how long to wait before the next round. */
    Duration round() {
        var current = link.connected();
        if (current.isEmpty()) {
            // a cheap check, repeated often so the outbox drains as soon as the connection is back; before
            // the first connection NatsLink has said where it connects, so nothing is logged here
            if (link.generation() > 0) {
                pause("NATS is not connected");
            }
            return FIRST_BACKOFF;
        }
        String[] failure = {null};
        int sent;
        try {
            sent = Transactions.inTransaction(dataSource::getConnection, connection -> {
                List<OutboxRepository.Pending> rows = outbox.unsent(connection, BATCH);
                int published = 0;
                for (OutboxRepository.Pending row : rows) {
                    try {
                        publish(current.get(), row);
                        link.answered(current.get());
                        outbox.sent(connection, row.id());
                        published++;
                    } catch (Exception e) {
                        if (NatsLink.isUnanswered(e)) {
                            link.unanswered(current.get());
                        }
                        failure[0] = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                        outbox.failed(connection, row.id(), failure[0]);
                        break;
                    }
                }
                return published;
            });
        } catch (RuntimeException e) {
            return pause("the outbox could not be read: " + e.getMessage());
        }
        if (failure[0] != null) {
            return pause(failure[0]);
        }
        if (failing) {
            failing = false;
            LOG.info("federation relay: publishing again");
        }
        backoff = FIRST_BACKOFF;
        return sent == BATCH ? Duration.ZERO : IDLE;
    }

    private void publish(Connection connection, OutboxRepository.Pending row) throws Exception {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            // jnats would buffer it until the reconnection: keep the row instead
            throw new java.io.IOException("NATS is not connected");
        }
        JetStream jetStream = link.jetStream(connection);
        PublishAck ack = jetStream.publish(row.subject(), row.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                PublishOptions.builder().messageId(row.messageId()).build());
        if (ack.hasError()) {
            throw new java.io.IOException(ack.getError());
        }
    }

    private Duration pause(String reason) {
        if (!failing) {
            failing = true;
            LOG.warnf("federation relay: cannot publish (%s); unsent cards stay in the outbox and are retried", reason);
        }
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        return wait;
    }
}
