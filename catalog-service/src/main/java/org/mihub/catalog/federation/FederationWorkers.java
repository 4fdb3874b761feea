package org.mihub.catalog.federation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.catalog.config.FederationConfig;
import org.mihub.catalog.service.CardOutbox;
import org.mihub.catalog.service.DirectoryService;
import org.mihub.catalog.service.PropertyService;
import org.mihub.catalog.service.VocabularyOutbox;
import org.mihub.common.sql.Transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nats.client.Message;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the catalog's federation work when {@code mihub.federation.node} is set, each loop on a thread
 * of its own: the NATS connection, the outbox relay, the embargo check (every 5 s: datasets whose
 * embargo passed since their last card get one, since an embargo ending is a change nobody makes), the
 * node's consumer of resync requests ({@code node-<node>} on MIHUB_CONTROL, filtered to
 * {@code mihub.control.<node>}) and, at the hub, the streams and the directory's consumer
 * ({@code hub-directory} on MIHUB_CARDS). A node also consumes the hub's vocabulary
 * ({@code vocabulary-<node>} on MIHUB_VOCABULARY); the hub puts every definition it has not published
 * yet into the outbox when it starts. Without a node id nothing starts.
 */
@ApplicationScoped
public class FederationWorkers {

    private static final Logger LOG = Logger.getLogger(FederationWorkers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration EMBARGO_CHECK = Duration.ofSeconds(5);

    @Inject
    FederationConfig config;

    @Inject
    NatsLink link;

    @Inject
    OutboxRelay relay;

    @Inject
    CardOutbox cards;

    @Inject
    DirectoryService directory;

    @Inject
    DataSource dataSource;

    @Inject
    VocabularySync vocabularySync;

    @Inject
    VocabularyOutbox vocabulary;

    @Inject
    PropertyService properties;

    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    void start(@Observes StartupEvent event) throws InterruptedException {
        if (!config.enabled()) {
            return;
        }
        String node = config.nodeId();
        LOG.infof("federation: node %s%s, NATS %s", node, config.hub() ? " (the hub)" : "", config.nats().url());
        link.start();
        loop("federation-relay", relay::round);
        loop("federation-embargo", this::embargoCheck);
        StreamConsumer control = new StreamConsumer(link, Streams.CONTROL, DirectoryService.CONTROL + node,
                "node-" + node, connection -> {
                }, this::resync);
        loop("federation-control", control::round);
        if (!config.hub()) {
            StreamConsumer vocabularyConsumer = new StreamConsumer(link, Streams.VOCABULARY,
                    VocabularyOutbox.VOCABULARY + "*", "vocabulary-" + node, connection -> {
                    }, message -> vocabularySync.receive(message.getSubject(), message.getData()));
            loop("federation-vocabulary", vocabularyConsumer::round);
        }
        if (config.hub()) {
            publishVocabulary();
            StreamConsumer directoryConsumer = new StreamConsumer(link, Streams.CARDS, CardOutbox.CARDS + "*",
                    "hub-directory", connection -> Streams.ensure(link.management(connection)),
                    message -> directory.receive(message.getSubject(), message.getData()));
            loop("federation-directory", directoryConsumer::round);
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping.countDown();
        for (Thread thread : threads) {
            thread.join(2000);
        }
    }

    /** At the hub's start: the vocabulary's definitions not yet published enter the outbox. */
    private void publishVocabulary() {
        try {
            int written = Transactions.inTransaction(dataSource::getConnection,
                    connection -> vocabulary.unpublished(connection, properties.current().values()));
            if (written > 0) {
                LOG.infof("federation: %d vocabulary definition(s) to publish", written);
            }
        } catch (RuntimeException e) {
            LOG.errorf("federation: the vocabulary could not be read to publish it (%s); it is published when "
                    + "the catalog starts again or a property changes", e.getMessage());
        }
    }

    private Duration embargoCheck() {
        try {
            int written = Transactions.inTransaction(dataSource::getConnection, cards::embargoesLifted);
            if (written > 0) {
                LOG.infof("federation: %d card(s) of datasets whose embargo ended", written);
            }
        } catch (RuntimeException e) {
            LOG.warnf("federation: embargo check failed (%s); next try in %s", e.getMessage(), EMBARGO_CHECK);
        }
        return EMBARGO_CHECK;
    }

    /** A resync request: every card this node publishes today goes to the outbox again. */
    private void resync(Message message) throws Exception {
        JsonNode request;
        try {
            request = JSON.readTree(message.getData());
        } catch (java.io.IOException e) {
            LOG.warnf("federation: a resync request on %s is not JSON; ignored", message.getSubject());
            return;
        }
        String node = request == null ? "" : request.path("node").asText("");
        if (!node.equals(config.nodeId())) {
            LOG.warnf("federation: a resync request on %s names node '%s'; ignored", message.getSubject(), node);
            return;
        }
        int written = Transactions.inTransaction(dataSource::getConnection, cards::republish);
        LOG.infof("federation: resync %s: %d card(s) to publish again", request.path("requestId").asText(""),
                written);
    }

    private void loop(String name, Supplier<Duration> round) {
        Thread thread = new Thread(() -> {
            while (stopping.getCount() > 0) {
                Duration pause;
                try {
                    pause = round.get();
                } catch (RuntimeException e) {
                    LOG.warnf("%s: %s", name, e.toString());
                    pause = Duration.ofSeconds(1);
                }
                try {
                    if (!pause.isZero() && stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }
}
