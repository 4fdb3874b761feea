package org.mihub.catalog.repository;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.mihub.catalog.service.Card;
import org.mihub.catalog.service.FederationNode;
import org.mihub.common.access.SharingColumns;
import org.mihub.common.access.SqlCondition;
import org.mihub.common.error.ApiException;

/**
 * The hub's federation directory over JDBC: registered nodes and the cards they published, one row per
 * (node, dataset, version), of which only the latest version of each dataset is kept. Cards are listed
 * with the suite's read rule in SQL over the card's own sharing columns ({@link #SHARING}).
 */
@ApplicationScoped
public class DirectoryRepository {

    /** Where {@code federation_card} (alias {@code c}) keeps a card's sharing, embargo included. */
    public static final SharingColumns SHARING = SharingColumns.of("c")
            .withEmbargo("c.embargo_until", "c.embargo_visibility");

    /** A page of cards (their JSON as received) and the cursor of the next one (null on the last page). */
    public record CardPage(List<String> cards, String nextCursor) {
    }

    /** What became of a received card. */
    public enum Stored {
        STORED, STALE, REMOVED
    }

    public FederationNode register(Connection connection, FederationNode node) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO federation_node (node, organisations, "
                + "gateway_url, optimade_url, last_seen_at) VALUES (?, ?, ?, ?, now()) ON CONFLICT (node) DO UPDATE "
                + "SET organisations = excluded.organisations, gateway_url = excluded.gateway_url, "
                + "optimade_url = excluded.optimade_url, last_seen_at = now()")) {
            upsert.setString(1, node.node());
            upsert.setArray(2, connection.createArrayOf("text", node.organisations().toArray()));
            upsert.setString(3, node.gatewayUrl());
            upsert.setString(4, node.optimadeUrl());
            upsert.executeUpdate();
        }
        return find(connection, node.node()).orElseThrow();
    }

    public Optional<FederationNode> find(Connection connection, String node) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(NODE + " WHERE node = ?")) {
            select.setString(1, node);
            List<FederationNode> found = nodes(select);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    public List<FederationNode> nodes(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(NODE + " ORDER BY node")) {
            return nodes(select);
        }
    }

    /** The node other than {@code node} that holds {@code organisation}, if any. */
    public Optional<String> holder(Connection connection, String organisation, String node) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT node FROM federation_node WHERE ? = ANY(organisations) AND node <> ? ORDER BY node LIMIT 1")) {
            select.setString(1, organisation);
            select.setString(2, node);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Stores a card by (node, dataset, version): a newer version replaces the dataset's older rows, an
     * older version than the one stored is STALE and ignored, and within a version the later
     * {@code updatedAt} wins. Serialised per dataset (an advisory lock), so replicas consuming together
     * agree.
     */
    public Stored upsert(Connection connection, Card card, String json) throws SQLException {
        lock(connection, card.node(), card.datasetId());
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT max(version) FROM federation_card WHERE node = ? AND dataset_id = ?")) {
            select.setString(1, card.node());
            select.setObject(2, card.datasetId());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                int stored = row.getInt(1);
                if (!row.wasNull() && stored > card.version()) {
                    return Stored.STALE;
                }
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM federation_card WHERE node = ? AND dataset_id = ? AND version < ?")) {
            delete.setString(1, card.node());
            delete.setObject(2, card.datasetId());
            delete.setInt(3, card.version());
            delete.executeUpdate();
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO federation_card (node, dataset_id, "
                + "version, owner_org, visibility, shared_with, embargo_until, embargo_visibility, title, description, "
                + "card, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) "
                + "ON CONFLICT (node, dataset_id, version) DO UPDATE SET owner_org = excluded.owner_org, "
                + "visibility = excluded.visibility, shared_with = excluded.shared_with, "
                + "embargo_until = excluded.embargo_until, embargo_visibility = excluded.embargo_visibility, "
                + "title = excluded.title, description = excluded.description, card = excluded.card, "
                + "updated_at = excluded.updated_at, received_at = now() "
                + "WHERE federation_card.updated_at <= excluded.updated_at")) {
            upsert.setString(1, card.node());
            upsert.setObject(2, card.datasetId());
            upsert.setInt(3, card.version());
            upsert.setString(4, card.ownerOrg());
            upsert.setString(5, card.visibility().name());
            upsert.setArray(6, connection.createArrayOf("text", card.sharedWith().toArray()));
            upsert.setTimestamp(7, card.embargoUntil() == null ? null : Timestamp.from(card.embargoUntil()));
            upsert.setString(8, card.embargoVisibility() == null ? null : card.embargoVisibility().name());
            upsert.setString(9, card.title());
            upsert.setString(10, card.description() == null ? "" : card.description());
            upsert.setString(11, json);
            upsert.setTimestamp(12, Timestamp.from(card.updatedAt()));
            upsert.executeUpdate();
        }
        seen(connection, card.node());
        return Stored.STORED;
    }

    /** A tombstone: every card of the node's dataset goes. */
    public Stored remove(Connection connection, String node, UUID datasetId) throws SQLException {
        lock(connection, node, datasetId);
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM federation_card WHERE node = ? AND dataset_id = ?")) {
            delete.setString(1, node);
            delete.setObject(2, datasetId);
            delete.executeUpdate();
        }
        seen(connection, node);
        return Stored.REMOVED;
    }

    /**
     * Cards in {@code scope} (the read rule over {@link #SHARING}), by node and dataset id, {@code limit}
     * per page after {@code cursor}; {@code node}, {@code owner}, {@code text} narrow when not empty.
     */
    public CardPage cards(Connection connection, SqlCondition scope, String node, String owner, String text,
            String cursor, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT c.card::text, c.node, c.dataset_id FROM federation_card c WHERE ")
                .append(scope.sql());
        List<Object> parameters = new ArrayList<>(scope.parameters());
        if (!node.isEmpty()) {
            sql.append(" AND c.node = ?");
            parameters.add(node);
        }
        if (!owner.isEmpty()) {
            sql.append(" AND c.owner_org = ?");
            parameters.add(owner);
        }
        if (!text.isBlank()) {
            sql.append(" AND (c.title ILIKE ? OR c.description ILIKE ?)");
            String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            parameters.add(pattern);
            parameters.add(pattern);
        }
        String[] after = decode(cursor);
        if (after != null) {
            sql.append(" AND (c.node, c.dataset_id) > (?, ?)");
            parameters.add(after[0]);
            parameters.add(UUID.fromString(after[1]));
        }
        sql.append(" ORDER BY c.node, c.dataset_id LIMIT ?");
        parameters.add(limit + 1);
        List<String> cards = new ArrayList<>();
        String last = null;
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            MaterialRepository.bind(connection, select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (cards.size() == limit) {
                        return new CardPage(cards, last);
                    }
                    cards.add(rows.getString(1));
                    last = encode(rows.getString(2), rows.getObject(3, UUID.class));
                }
            }
        }
        return new CardPage(cards, null);
    }

    private static final String NODE = "SELECT node, organisations, gateway_url, optimade_url, registered_at, "
            + "last_seen_at FROM federation_node";

    private static List<FederationNode> nodes(PreparedStatement select) throws SQLException {
        List<FederationNode> nodes = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                Array organisations = row.getArray("organisations");
                Timestamp seen = row.getTimestamp("last_seen_at");
                nodes.add(new FederationNode(row.getString("node"), Arrays.asList((String[]) organisations.getArray()),
                        row.getString("gateway_url"), row.getString("optimade_url"),
                        row.getTimestamp("registered_at").toInstant(), seen == null ? null : seen.toInstant()));
            }
        }
        return nodes;
    }

    private static void seen(Connection connection, String node) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE federation_node SET last_seen_at = now() WHERE node = ?")) {
            update.setString(1, node);
            update.executeUpdate();
        }
    }

    private static void lock(Connection connection, String node, UUID datasetId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, node + "/" + datasetId);
            lock.execute();
        }
    }

    private static String encode(String node, UUID datasetId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("card:" + node + ":" + datasetId).getBytes(StandardCharsets.UTF_8));
    }

    /** Null for the first page; INVALID_ARGUMENT naming page.page_token for a token this list did not make. */
    private static String[] decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !parts[0].equals("card")) {
                throw new IllegalArgumentException("not a card cursor");
            }
            UUID.fromString(parts[2]);
            return new String[] {parts[1], parts[2]};
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("page.page_token", "not a page token of this list");
        }
    }
}
