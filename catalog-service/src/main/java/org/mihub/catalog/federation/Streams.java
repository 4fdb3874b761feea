package org.mihub.catalog.federation;

import java.time.Duration;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

/** The federation's JetStream streams, created (or brought to this configuration) by the hub's catalog. */
public final class Streams {

    /** Cards of every node: subjects {@code mihub.cards.<node>}, file storage, two-minute duplicate window. */
    public static final String CARDS = "MIHUB_CARDS";
    /** Resync requests to nodes: subjects {@code mihub.control.<node>}. */
    public static final String CONTROL = "MIHUB_CONTROL";
    /**
     * The consortium's vocabulary, from the hub: subjects {@code mihub.vocabulary.<property>}, only the
     * latest message of each property kept (each carries the whole definition), so the stream is the
     * vocabulary and a node that joins later reads all of it.
     */
    public static final String VOCABULARY = "MIHUB_VOCABULARY";
    /** JetStream's "stream not found". */
    private static final int NOT_FOUND = 10059;

    private Streams() {
    }

    static StreamConfiguration cards() {
        return StreamConfiguration.builder().name(CARDS).subjects("mihub.cards.*").storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2)).build();
    }

    static StreamConfiguration control() {
        return StreamConfiguration.builder().name(CONTROL).subjects("mihub.control.*").storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2)).build();
    }

    static StreamConfiguration vocabulary() {
        return StreamConfiguration.builder().name(VOCABULARY).subjects("mihub.vocabulary.*")
                .storageType(StorageType.File).maxMessagesPerSubject(1).duplicateWindow(Duration.ofMinutes(2)).build();
    }

    /** Creates the streams, or updates them to this configuration; the same at every start. */
    static void ensure(JetStreamManagement management) throws java.io.IOException, JetStreamApiException {
        for (StreamConfiguration stream : new StreamConfiguration[] {cards(), control(), vocabulary()}) {
            try {
                management.getStreamInfo(stream.getName());
                management.updateStream(stream);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NOT_FOUND) {
                    throw e;
                }
                management.addStream(stream);
            }
        }
    }
}
