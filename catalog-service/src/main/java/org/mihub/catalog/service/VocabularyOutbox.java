package org.mihub.catalog.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.config.FederationConfig;
import org.mihub.catalog.mapping.PropertyJson;
import org.mihub.catalog.repository.OutboxRepository;

/**
 * The vocabulary is the consortium's: the hub publishes it and every node applies it (issue 24), so a
 * search for {@code band_gap} means the same everywhere. At the hub, every change of a property (added,
 * labels or names changed, deprecated) enters the outbox in the transaction of the change, as the
 * whole new definition on {@code mihub.vocabulary.<name>}; the stream keeps the latest message of each
 * property, so a node that joins later reads the whole vocabulary from it. A node does not change the
 * vocabulary itself ({@link #follows()}): its curators add properties at the hub.
 */
@ApplicationScoped
public class VocabularyOutbox {

    /** The subject prefix of the vocabulary; the hub publishes on {@code mihub.vocabulary.<property>}. */
    public static final String VOCABULARY = "mihub.vocabulary.";

    @Inject
    FederationConfig config;

    @Inject
    OutboxRepository outbox;

    /** Whether this catalog publishes the vocabulary (the hub's does). */
    public boolean publishes() {
        return config.enabled() && config.hub();
    }

    /** Whether this catalog takes its vocabulary from the hub (every other node's does). */
    public boolean follows() {
        return config.enabled() && !config.hub();
    }

    /** At the hub: writes the property's definition to the outbox on {@code connection}. */
    public void changed(Connection connection, Property property) throws SQLException {
        if (publishes()) {
            outbox.add(connection, config.nodeId(), VOCABULARY + property.name(), null, false,
                    PropertyJson.write(config.nodeId(), property));
        }
    }

    /**
     * At the hub: the definitions whose current version has never entered the outbox (the ones the
     * migrations wrote, and any made before federation was switched on) are written now; answers how many.
     */
    public int unpublished(Connection connection, Collection<Property> properties) throws SQLException {
        if (!publishes()) {
            return 0;
        }
        java.util.Set<String> held = outbox.heldVersions(connection, VOCABULARY);
        int written = 0;
        for (Property property : properties) {
            if (!held.contains(VOCABULARY + property.name() + "#" + property.version())) {
                changed(connection, property);
                written++;
            }
        }
        return written;
    }
}
