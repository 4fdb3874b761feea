package org.mihub.catalog.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.config.FederationConfig;
import org.mihub.catalog.mapping.CardJson;
import org.mihub.catalog.repository.OutboxRepository;
import org.mihub.common.access.Visibility;

/**
 * Where a dataset's card change enters the outbox, in the transaction of the change (the caller's
 * connection): every path that changes what the federation may know of a dataset calls
 * {@link #changed} once (create, sharing, ingest, deletion, embargo lift) and the relay publishes it.
 * A dataset in effect PRIVATE publishes nothing; one that turns PRIVATE or is deleted after its card
 * went out publishes a tombstone. With federation off nothing is written.
 */
@ApplicationScoped
public class CardOutbox {

    /** The subject prefix of cards; a node publishes on {@code mihub.cards.<node>}. */
    public static final String CARDS = "mihub.cards.";

    @Inject
    FederationConfig config;

    @Inject
    OutboxRepository outbox;

    public boolean enabled() {
        return config.enabled();
    }

    /** Writes the dataset's card (or its tombstone) to the outbox on {@code connection}; answers whether it did. */
    public boolean changed(Connection connection, UUID datasetId) throws SQLException {
        if (!enabled()) {
            return false;
        }
        String node = config.nodeId();
        Optional<OutboxRepository.DatasetState> state = outbox.state(connection, node, datasetId);
        if (state.isEmpty()) {
            return false;
        }
        Card card = state.get().card();
        if (!state.get().deleted() && card.visibility() != Visibility.PRIVATE) {
            outbox.add(connection, node, CARDS + node, datasetId, false, CardJson.write(card));
            return true;
        }
        if (outbox.published(connection, datasetId)) {
            Card tombstone = Card.tombstone(node, datasetId, card.version(), card.updatedAt());
            outbox.add(connection, node, CARDS + node, datasetId, true, CardJson.write(tombstone));
            return true;
        }
        return false;
    }

    /** Every card this node publishes today, written again (a resync); answers how many. */
    public int republish(Connection connection) throws SQLException {
        if (!enabled()) {
            return 0;
        }
        int written = 0;
        for (UUID id : outbox.live(connection)) {
            Optional<OutboxRepository.DatasetState> state = outbox.state(connection, config.nodeId(), id);
            if (state.isPresent() && !state.get().deleted() && state.get().card().visibility() != Visibility.PRIVATE) {
                outbox.add(connection, config.nodeId(), CARDS + config.nodeId(), id, false,
                        CardJson.write(state.get().card()));
                written++;
            }
        }
        return written;
    }

    /** Cards of the datasets whose embargo passed since their last card; answers how many. */
    public int embargoesLifted(Connection connection) throws SQLException {
        if (!enabled()) {
            return 0;
        }
        int written = 0;
        for (UUID id : outbox.embargoLifted(connection)) {
            if (changed(connection, id)) {
                written++;
            }
        }
        return written;
    }
}
