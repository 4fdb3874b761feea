package org.mihub.catalog.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.mihub.catalog.service.Card;
import org.mihub.common.access.Visibility;

/**
 * The node's side of the federation over JDBC, always on the connection (and so in the transaction)
 * of the change it follows: a dataset's card computed in SQL from its row and its measurements, the
 * outbox rows the relay publishes, and the datasets an embargo has lifted.
 */
@ApplicationScoped
public class OutboxRepository {

    /** A dataset as the card sees it: its card (visibility in effect), and whether it is deleted. */
    public record DatasetState(Card card, boolean deleted) {
    }

    /** An outbox row to publish. */
    public record Pending(long id, String subject, String messageId, String payload) {
    }

    /**
     * The card of a dataset as of now (deleted ones too, so a tombstone knows the version), or empty
     * when there is no such dataset. Elements and per-property counts and ranges are computed from
     * the dataset's materials and measurements; a labelled (categorical, boolean, text) property has a
     * count and no unit, minimum or maximum.
     */
    public Optional<DatasetState> state(Connection connection, String node, UUID datasetId) throws SQLException {
        Card card;
        boolean deleted;
        try (PreparedStatement select = connection.prepareStatement("SELECT d.owner_org, d.title, d.description, "
                + "d.licence, d.doi, " + DatasetSql.SHARING.effectiveVisibility() + " AS effective, d.shared_with, "
                + "CASE WHEN d.embargo_until > now() THEN d.embargo_until END AS pending_until, "
                + "d.embargo_visibility, d.version, d.row_count, d.deleted_at IS NOT NULL AS deleted "
                + "FROM dataset d WHERE d.id = ?")) {
            select.setObject(1, datasetId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Timestamp pending = row.getTimestamp("pending_until");
                Array shared = row.getArray("shared_with");
                deleted = row.getBoolean("deleted");
                card = new Card(node, datasetId, row.getInt("version"), row.getString("title"),
                        row.getString("description"), row.getString("licence"), row.getString("doi"),
                        row.getString("owner_org"), Visibility.valueOf(row.getString("effective")),
                        Arrays.asList((String[]) shared.getArray()), pending == null ? null : pending.toInstant(),
                        pending == null ? null : Visibility.valueOf(row.getString("embargo_visibility")),
                        row.getLong("row_count"), List.of(), List.of(), now(), false);
            }
        }
        if (deleted || card.visibility() == Visibility.PRIVATE) {
            return Optional.of(new DatasetState(card, deleted));
        }
        List<String> elements = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT (e COLLATE \"C\") FROM material m "
                + "CROSS JOIN LATERAL unnest(m.elements) AS e WHERE m.dataset_id = ? ORDER BY 1")) {
            select.setObject(1, datasetId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    elements.add(rows.getString(1));
                }
            }
        }
        List<Card.Property> properties = new ArrayList<>();
        // through the material's dataset index and the measurement's (material_id, ...) key: measurement
        // has no index of its own on dataset_id
        try (PreparedStatement select = connection.prepareStatement("SELECT ms.property, p.value_type, "
                + "p.canonical_unit, count(*), min(ms.value), max(ms.value) FROM material m "
                + "JOIN measurement ms ON ms.material_id = m.id AND ms.dataset_id = m.dataset_id "
                + "JOIN property p ON p.name = ms.property WHERE m.dataset_id = ? "
                + "GROUP BY ms.property, p.value_type, p.canonical_unit ORDER BY ms.property")) {
            select.setObject(1, datasetId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    boolean numeric = "numeric".equals(rows.getString(2));
                    properties.add(new Card.Property(rows.getString(1), numeric ? rows.getString(3) : null,
                            rows.getLong(4), numeric ? rows.getDouble(5) : null, numeric ? rows.getDouble(6) : null));
                }
            }
        }
        return Optional.of(new DatasetState(new Card(card.node(), card.datasetId(), card.version(), card.title(),
                card.description(), card.licence(), card.doi(), card.ownerOrg(), card.visibility(), card.sharedWith(),
                card.embargoUntil(), card.embargoVisibility(), card.rowCount(), elements, properties,
                card.updatedAt(), false), false));
    }

    /** Whether the dataset's card is out there: its latest outbox row is a card, not a tombstone. */
    public boolean published(Connection connection, UUID datasetId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT tombstone FROM outbox WHERE dataset_id = ? ORDER BY id DESC LIMIT 1")) {
            select.setObject(1, datasetId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && !row.getBoolean(1);
            }
        }
    }

    /**
     * The messages the outbox holds on subjects beginning with {@code prefix}, as subject and the
     * {@code version} of their payload ({@code "mihub.vocabulary.band_gap#3"}): one read of the outbox.
     */
    public java.util.Set<String> heldVersions(Connection connection, String prefix) throws SQLException {
        java.util.Set<String> held = new java.util.HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT subject, payload ->> 'version' "
                + "FROM outbox WHERE starts_with(subject, ?)")) {
            select.setString(1, prefix);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    held.add(rows.getString(1) + "#" + rows.getString(2));
                }
            }
        }
        return held;
    }

    /** Adds a message to the outbox; its message id is {@code <node>:<outbox id>}. Answers the id. */
    public long add(Connection connection, String node, String subject, UUID datasetId, boolean tombstone,
            String payload) throws SQLException {
        long id;
        try (PreparedStatement next = connection.prepareStatement("SELECT nextval('outbox_id_seq')");
                ResultSet row = next.executeQuery()) {
            row.next();
            id = row.getLong(1);
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox (id, subject, message_id, "
                + "dataset_id, tombstone, payload) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
            insert.setLong(1, id);
            insert.setString(2, subject);
            insert.setString(3, node + ":" + id);
            insert.setObject(4, datasetId);
            insert.setBoolean(5, tombstone);
            insert.setString(6, payload);
            insert.executeUpdate();
        }
        return id;
    }

    /**
     * The oldest unsent rows, at most {@code limit}, locked for this transaction (SKIP LOCKED: another
     * replica's relay takes the next ones).
     */
    public List<Pending> unsent(Connection connection, int limit) throws SQLException {
        List<Pending> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, subject, message_id, payload::text "
                + "FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            select.setInt(1, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(new Pending(row.getLong(1), row.getString(2), row.getString(3), row.getString(4)));
                }
            }
        }
        return rows;
    }

    public void sent(Connection connection, long id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }

    public void failed(Connection connection, long id, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?")) {
            update.setString(1, error.length() > 1000 ? error.substring(0, 1000) : error);
            update.setLong(2, id);
            update.executeUpdate();
        }
    }

    /**
     * Live datasets whose embargo has passed and whose card has not been written since (no outbox row
     * at or after the embargo's end), locked so two replicas do not both write them.
     */
    public List<UUID> embargoLifted(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT d.id FROM dataset d "
                + "WHERE d.deleted_at IS NULL AND d.embargo_until IS NOT NULL AND d.embargo_until <= now() "
                + "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dataset_id = d.id AND o.created_at >= d.embargo_until) "
                + "ORDER BY d.id FOR UPDATE OF d SKIP LOCKED")) {
            return ids(select);
        }
    }

    /** Every live dataset, for a resync (the caller leaves out what is PRIVATE in effect). */
    public List<UUID> live(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT d.id FROM dataset d WHERE d.deleted_at IS NULL ORDER BY d.created_at, d.id")) {
            return ids(select);
        }
    }

    private static List<UUID> ids(PreparedStatement select) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
