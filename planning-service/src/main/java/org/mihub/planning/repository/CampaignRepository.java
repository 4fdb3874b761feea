package org.mihub.planning.repository;

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

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.access.AccessRule;
import org.mihub.common.access.SharingColumns;
import org.mihub.common.access.SqlCondition;
import org.mihub.common.identity.Caller;

/**
 * Campaigns, their batches and proposals in PostgreSQL. Reads apply the suite's access rule in SQL
 * ({@link AccessRule}: PRIVATE to the owner org, SHARED also to the named orgs, CONSORTIUM to
 * members, PUBLIC to anyone; admins see all), so a hidden campaign is never read. Writes that must be atomic take a
 * {@link Connection} from the caller's transaction.
 */
@ApplicationScoped
public class CampaignRepository {

    /** A campaign row; {@code spec} is the stored CampaignSpec document. */
    public record CampaignRecord(UUID id, String ownerOrg, String name, String description, String visibility,
            List<String> sharedWith, String status, String statusReason, byte[] spec, int batches, String createdBy,
            Instant createdAt, Instant updatedAt, String resultsDatasetId, long version) {
    }

    /** A proposal row; {@code candidate} and {@code result} are stored Candidate / ProposalResult documents. */
    public record ProposalRecord(UUID id, UUID campaignId, UUID batchId, int batchNumber, int position,
            String candidateId, byte[] candidate, double[] predictedMean, double[] predictedStd,
            double acquisitionValue, String acquisitionFunction, double cost, String state, boolean retryAllowed,
            Instant proposedAt, Instant resolvedAt, byte[] result, double[] objectiveValues, String assignedTo) {
    }

    /** A prior observation: a stored Candidate document and a value per objective (objective units). */
    public record PriorRecord(int position, String datasetId, String materialId, byte[] candidate,
            double[] objectiveValues) {
    }

    private static final String CAMPAIGN_COLUMNS = "c.id, c.owner_org, c.name, c.description, c.visibility, "
            + "c.shared_with, c.status, c.status_reason, c.spec, c.batches, c.created_by, c.created_at, c.updated_at, "
            + "c.results_dataset_id, c.version";
    private static final String PROPOSAL_COLUMNS = "id, campaign_id, batch_id, batch_number, position, candidate_id, "
            + "candidate, predicted_mean, predicted_std, acquisition_value, acquisition_function, cost, state, "
            + "retry_allowed, proposed_at, resolved_at, result, objective_values, assigned_to";

    @Inject
    DataSource dataSource;

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Where the {@code campaign} table (alias {@code c}) keeps its sharing. */
    private static final SharingColumns SHARING = SharingColumns.of("c");

    /** The access rule as SQL over alias {@code c}, with its parameters appended to {@code parameters}. */
    static String visible(Optional<Caller> caller, List<Object> parameters) {
        SqlCondition readable = AccessRule.readCondition(caller, SHARING);
        parameters.addAll(readable.parameters());
        return readable.sql();
    }

    public void insert(Connection connection, CampaignRecord campaign) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO campaign (id, owner_org, name, "
                + "description, visibility, shared_with, status, status_reason, spec, created_by, results_dataset_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, campaign.id());
            insert.setString(2, campaign.ownerOrg());
            insert.setString(3, campaign.name());
            insert.setString(4, campaign.description());
            insert.setString(5, campaign.visibility());
            insert.setArray(6, connection.createArrayOf("text", campaign.sharedWith().toArray()));
            insert.setString(7, campaign.status());
            insert.setString(8, campaign.statusReason());
            insert.setBytes(9, campaign.spec());
            insert.setString(10, campaign.createdBy());
            insert.setString(11, campaign.resultsDatasetId());
            insert.executeUpdate();
        }
    }

    /** The campaign if the caller may see it; {@code lock} holds its row until the transaction ends. */
    public Optional<CampaignRecord> find(Connection connection, UUID id, Optional<Caller> caller, boolean lock)
            throws SQLException {
        List<Object> parameters = new ArrayList<>();
        parameters.add(id);
        String condition = visible(caller, parameters);
        try (PreparedStatement select = connection.prepareStatement("SELECT " + CAMPAIGN_COLUMNS
                + " FROM campaign c WHERE c.id = ? AND " + condition + (lock ? " FOR UPDATE" : ""))) {
            bind(select, parameters);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(campaign(row)) : Optional.empty();
            }
        }
    }

    /** One page of the campaigns the caller may see, newest first. */
    public List<CampaignRecord> list(Optional<Caller> caller, String ownerOrg, String status, String text, int offset,
            int limit) throws SQLException {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + CAMPAIGN_COLUMNS + " FROM campaign c WHERE ")
                .append(visible(caller, parameters));
        if (!ownerOrg.isEmpty()) {
            sql.append(" AND c.owner_org = ?");
            parameters.add(ownerOrg);
        }
        if (!status.isEmpty()) {
            sql.append(" AND c.status = ?");
            parameters.add(status);
        }
        if (!text.isBlank()) {
            sql.append(" AND (c.name ILIKE ? OR c.description ILIKE ?)");
            String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            parameters.add(pattern);
            parameters.add(pattern);
        }
        sql.append(" ORDER BY c.created_at DESC, c.id LIMIT ? OFFSET ?");
        parameters.add(limit);
        parameters.add(offset);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            bind(select, parameters);
            List<CampaignRecord> campaigns = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    campaigns.add(campaign(row));
                }
            }
            return campaigns;
        }
    }

    public void updateStatus(Connection connection, UUID id, String status, String reason) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE campaign SET status = ?, status_reason = ?, updated_at = now(), version = version + 1 "
                        + "WHERE id = ?")) {
            update.setString(1, status);
            update.setString(2, reason);
            update.setObject(3, id);
            update.executeUpdate();
        }
    }

    /** Records the results dataset once; false when another request recorded one first. */
    public boolean setResultsDataset(UUID campaignId, String datasetId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return setResultsDataset(connection, campaignId, datasetId);
        }
    }

    /** {@link #setResultsDataset(UUID, String)} inside the caller's transaction. */
    public boolean setResultsDataset(Connection connection, UUID campaignId, String datasetId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE campaign SET results_dataset_id = ? WHERE id = ? AND results_dataset_id = ''")) {
            update.setString(1, datasetId);
            update.setObject(2, campaignId);
            return update.executeUpdate() == 1;
        }
    }

    /** Hands a batch's proposals to a lab robot. */
    public void assign(UUID batchId, String robot) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE proposal SET assigned_to = ? WHERE batch_id = ?")) {
            update.setString(1, robot);
            update.setObject(2, batchId);
            update.executeUpdate();
        }
    }

    /** Cancels every pending proposal of a campaign. */
    public void cancelPending(Connection connection, UUID campaignId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE proposal SET state = 'CANCELLED', "
                + "resolved_at = now() WHERE campaign_id = ? AND state = 'PENDING'")) {
            update.setObject(1, campaignId);
            update.executeUpdate();
        }
    }

    /** The batch a retried request created, if any. */
    public Optional<UUID> batchForRequest(Connection connection, UUID campaignId, String requestId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM proposal_batch WHERE campaign_id = ? AND request_id = ?")) {
            select.setObject(1, campaignId);
            select.setString(2, requestId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    public void insertPriors(Connection connection, UUID campaignId, List<PriorRecord> priors) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO prior_observation (campaign_id, "
                + "position, dataset_id, material_id, candidate, objective_values) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (PriorRecord prior : priors) {
                insert.setObject(1, campaignId);
                insert.setInt(2, prior.position());
                insert.setString(3, prior.datasetId());
                insert.setString(4, prior.materialId());
                insert.setBytes(5, prior.candidate());
                insert.setArray(6, doubles(connection, prior.objectiveValues()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** How many prior observations the campaign has. */
    public int priorCount(Connection connection, UUID campaignId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT count(*) FROM prior_observation WHERE campaign_id = ?")) {
            select.setObject(1, campaignId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** The campaign's prior observations in the order they were taken. */
    public List<PriorRecord> priors(Connection connection, UUID campaignId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT position, dataset_id, material_id, "
                + "candidate, objective_values FROM prior_observation WHERE campaign_id = ? ORDER BY position")) {
            select.setObject(1, campaignId);
            try (ResultSet row = select.executeQuery()) {
                List<PriorRecord> priors = new ArrayList<>();
                while (row.next()) {
                    priors.add(new PriorRecord(row.getInt(1), row.getString(2), row.getString(3), row.getBytes(4),
                            doubles(row, 5)));
                }
                return priors;
            }
        }
    }

    /** Stores a batch and its proposals and counts the batch on the campaign. */
    public void insertBatch(Connection connection, UUID campaignId, UUID batchId, int number, String requestId,
            List<ProposalRecord> proposals) throws SQLException {
        try (PreparedStatement batch = connection.prepareStatement(
                "INSERT INTO proposal_batch (id, campaign_id, number, request_id) VALUES (?, ?, ?, ?)")) {
            batch.setObject(1, batchId);
            batch.setObject(2, campaignId);
            batch.setInt(3, number);
            batch.setString(4, requestId.isEmpty() ? null : requestId);
            batch.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO proposal (id, campaign_id, "
                + "batch_id, batch_number, position, candidate_id, candidate, predicted_mean, predicted_std, "
                + "acquisition_value, acquisition_function, cost, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "'PENDING')")) {
            for (ProposalRecord p : proposals) {
                insert.setObject(1, p.id());
                insert.setObject(2, campaignId);
                insert.setObject(3, batchId);
                insert.setInt(4, number);
                insert.setInt(5, p.position());
                insert.setString(6, p.candidateId());
                insert.setBytes(7, p.candidate());
                insert.setArray(8, doubles(connection, p.predictedMean()));
                insert.setArray(9, doubles(connection, p.predictedStd()));
                insert.setDouble(10, finite(p.acquisitionValue()));
                insert.setString(11, p.acquisitionFunction());
                insert.setDouble(12, p.cost());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE campaign SET batches = ?, updated_at = now(), version = version + 1 WHERE id = ?")) {
            update.setInt(1, number);
            update.setObject(2, campaignId);
            update.executeUpdate();
        }
    }

    /** Counts a change to what the campaign's planner reads (results recorded). */
    public void touch(Connection connection, UUID campaignId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE campaign SET updated_at = now(), version = version + 1 WHERE id = ?")) {
            update.setObject(1, campaignId);
            update.executeUpdate();
        }
    }

    /** Records a result or failure of a pending proposal. */
    public void resolve(Connection connection, UUID proposalId, String state, boolean retryAllowed, byte[] result,
            double[] values) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE proposal SET state = ?, retry_allowed = ?, "
                + "result = ?, objective_values = ?, resolved_at = now() WHERE id = ? AND state = 'PENDING'")) {
            update.setString(1, state);
            update.setBoolean(2, retryAllowed);
            update.setBytes(3, result);
            update.setArray(4, values == null ? null : doubles(connection, values));
            update.setObject(5, proposalId);
            if (update.executeUpdate() != 1) {
                throw new SQLException("proposal " + proposalId + " was resolved concurrently");
            }
        }
    }

    /** A campaign's proposals in order of proposal, optionally one state and one batch, paged. */
    public List<ProposalRecord> proposals(Connection connection, UUID campaignId, String state, UUID batchId,
            int offset, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + PROPOSAL_COLUMNS + " FROM proposal WHERE campaign_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(campaignId));
        if (!state.isEmpty()) {
            sql.append(" AND state = ?");
            parameters.add(state);
        }
        if (batchId != null) {
            sql.append(" AND batch_id = ?");
            parameters.add(batchId);
        }
        sql.append(" ORDER BY batch_number, position LIMIT ? OFFSET ?");
        parameters.add(limit);
        parameters.add(offset);
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            bind(select, parameters);
            List<ProposalRecord> proposals = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    proposals.add(proposal(row));
                }
            }
            return proposals;
        }
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : value > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE;
    }

    private static Array doubles(Connection connection, double[] values) throws SQLException {
        return connection.createArrayOf("float8", Arrays.stream(values).boxed().toArray());
    }

    private static double[] doubles(ResultSet row, int column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return null;
        }
        Object[] values = (Object[]) array.getArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).doubleValue();
        }
        return out;
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private static CampaignRecord campaign(ResultSet row) throws SQLException {
        return new CampaignRecord(row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), List.of((String[]) row.getArray(6).getArray()), row.getString(7), row.getString(8),
                row.getBytes(9), row.getInt(10), row.getString(11), row.getTimestamp(12).toInstant(),
                row.getTimestamp(13).toInstant(), row.getString(14), row.getLong(15));
    }

    private static ProposalRecord proposal(ResultSet row) throws SQLException {
        Timestamp resolved = row.getTimestamp(16);
        return new ProposalRecord(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                row.getObject(3, UUID.class), row.getInt(4), row.getInt(5), row.getString(6), row.getBytes(7),
                doubles(row, 8), doubles(row, 9), row.getDouble(10), row.getString(11), row.getDouble(12),
                row.getString(13), row.getBoolean(14), row.getTimestamp(15).toInstant(),
                resolved == null ? null : resolved.toInstant(), row.getBytes(17), doubles(row, 18), row.getString(19));
    }
}
