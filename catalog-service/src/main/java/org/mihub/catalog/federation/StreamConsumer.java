package org.mihub.catalog.federation;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;

/**
 * One durable pull consumer on a stream, read in rounds on a worker thread: each message is handed to
 * the handler and acknowledged when it returns (a refused message is the handler's to log; it is
 * acknowledged too, so it is not delivered again); a handler that throws (the database is down, say)
 * makes the message come back after 5 s. After every (re)connection the subscription is made again,
 * and {@code setUp} runs first (the hub creates its streams there). Failures are logged once, until
 * the consumer works again.
 */
final class StreamConsumer {

    /** What a consumer does with one message; throwing means "deliver it again later". */
    @FunctionalInterface
    interface Handler {
        void handle(Message message) throws Exception;
    }

    /** Runs on the connection before subscribing. */
    @FunctionalInterface
    interface SetUp {
        void run(Connection connection) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);
    private static final int BATCH = 100;
    private static final Duration WAIT = Duration.ofMillis(500);

    private final NatsLink link;
    private final String stream;
    private final String subject;
    private final String durable;
    private final SetUp setUp;
    private final Handler handler;
    private JetStreamSubscription subscription;
    private long generation = -1;
    private boolean failing;

    StreamConsumer(NatsLink link, String stream, String subject, String durable, SetUp setUp, Handler handler) {
        this.link = link;
        this.stream = stream;
        this.subject = subject;
        this.durable = durable;
        this.setUp = setUp;
        this.handler = handler;
    }

    private void drop() {
        if (subscription != null) {
            try {
                subscription.unsubscribe();
            } catch (RuntimeException alreadyGone) {
                // the connection it was made on is closed
            }
            subscription = null;
        }
    }

    /** One round: fetches and handles a batch; answers how long to wait before the next round. */
    Duration round() {
        var connection = link.connected();
        if (connection.isEmpty()) {
            return Duration.ofMillis(250);
        }
        Connection current = connection.get();
        try {
            if (subscription == null || generation != link.generation()) {
                drop();
                generation = link.generation();
                setUp.run(current);
                subscription = link.jetStream(current).subscribe(subject, PullSubscribeOptions.builder()
                        .stream(stream).durable(durable).configuration(ConsumerConfiguration.builder()
                                .durable(durable).filterSubject(subject).ackPolicy(AckPolicy.Explicit)
                                .deliverPolicy(DeliverPolicy.All).ackWait(Duration.ofSeconds(30)).build())
                        .build());
            }
            List<Message> messages = subscription.fetch(BATCH, WAIT);
            link.answered(current);
            for (Message message : messages) {
                try {
                    handler.handle(message);
                    message.ack();
                } catch (Exception e) {
                    message.nakWithDelay(Duration.ofSeconds(5));
                    throw e;
                }
            }
            if (failing) {
                failing = false;
                LOG.infof("federation consumer %s on %s: consuming again", durable, stream);
            }
            return Duration.ZERO;
        } catch (Exception e) {
            drop();
            if (NatsLink.isUnanswered(e)) {
                link.unanswered(current);
            }
            if (!failing) {
                failing = true;
                LOG.warnf("federation consumer %s on %s: %s; retrying", durable, stream, e.toString());
            }
            return Duration.ofSeconds(1);
        }
    }
}
