package org.mihub.catalog.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.catalog.config.FederationConfig;
import org.mihub.catalog.federation.NatsLink;
import org.mihub.catalog.mapping.CardJson;
import org.mihub.catalog.mapping.FederationJson;
import org.mihub.catalog.repository.DirectoryRepository;
import org.mihub.common.access.AccessRule;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.ApiException.FieldViolation;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.Transactions;

import io.nats.client.PublishOptions;

/**
 * The hub's federation directory: node registration, the cards that arrive from the stream (checked
 * against the publishing node before anything is stored), resync requests and the card list each
 * caller may read. At an installation that is not the hub every call is FAILED_PRECONDITION.
 */
@ApplicationScoped
public class DirectoryService {

    private static final Logger LOG = Logger.getLogger(DirectoryService.class);

    /** The largest card the hub accepts. */
    public static final int MAX_CARD_BYTES = 64 * 1024;
    /** Subject prefix of resync requests; a node listens on {@code mihub.control.<node>}. */
    public static final String CONTROL = "mihub.control.";

    static final Pattern NODE = Pattern.compile("[a-z0-9-]{1,40}");
    private static final Pattern ORG = Pattern.compile("[a-z0-9][a-z0-9\\-]{0,62}");
    private static final Set<String> DATA_ROLES = Set.of(Caller.MEMBER, Caller.CONTRIBUTOR, Caller.CURATOR,
            Caller.ADMIN);
    /** The role of a node's service account. */
    public static final String FEDERATION_ROLE = "federation";
    private static final int MAX_PAGE = 200;

    @Inject
    FederationConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    DirectoryRepository directory;

    @Inject
    NatsLink link;

    /** What became of a card from the stream; {@code reason} says why one was refused. */
    public record Receipt(boolean accepted, String reason) {
    }

    /**
     * A card message from {@code subject} ({@code mihub.cards.<node>}): refused (logged at WARN with the
     * node, subject and dataset; nothing stored) when larger than {@link #MAX_CARD_BYTES}, malformed,
     * naming another node than its subject's, from a node that is not registered, or owned by an
     * organisation that is not among the node's; otherwise upserted (a tombstone removes the dataset's
     * cards).
     */
    public Receipt receive(String subject, byte[] data) {
        String subjectNode = subject.startsWith(CardOutbox.CARDS) ? subject.substring(CardOutbox.CARDS.length()) : "";
        if (data.length > MAX_CARD_BYTES) {
            return refuse(subjectNode, subject, null, "the card has " + data.length + " bytes, more than "
                    + MAX_CARD_BYTES);
        }
        Card card;
        try {
            card = CardJson.read(data);
        } catch (FederationJson.Malformed e) {
            return refuse(subjectNode, subject, null, "malformed card: " + e.getMessage());
        }
        if (!card.node().equals(subjectNode)) {
            return refuse(subjectNode, subject, card.datasetId(), "the card names node '" + card.node()
                    + "' but came from node '" + subjectNode + "'");
        }
        String json = new String(data, StandardCharsets.UTF_8);
        return inTransaction(connection -> {
            Optional<FederationNode> node = directory.find(connection, subjectNode);
            if (node.isEmpty()) {
                return refuse(subjectNode, subject, card.datasetId(), "node '" + subjectNode + "' is not registered");
            }
            if (card.tombstone()) {
                directory.remove(connection, subjectNode, card.datasetId());
                return new Receipt(true, "removed");
            }
            if (!node.get().organisations().contains(card.ownerOrg())) {
                return refuse(subjectNode, subject, card.datasetId(), "owner organisation '" + card.ownerOrg()
                        + "' is not one of node '" + subjectNode + "''s organisations " + node.get().organisations());
            }
            return new Receipt(true, directory.upsert(connection, card, json).name().toLowerCase());
        });
    }

    private static Receipt refuse(String node, String subject, UUID dataset, String reason) {
        LOG.warnf("federation card refused: node=%s subject=%s dataset=%s: %s", node, subject,
                dataset == null ? "?" : dataset, reason);
        return new Receipt(false, reason);
    }

    /**
     * Registers {@code node} or replaces its registration: admin, or the node's own service account
     * (role {@code federation}, client id {@code mihub-node-<node>}). An organisation that another node
     * holds is ALREADY_EXISTS: a node publishes cards of its own organisations only. A new node, or one
     * whose organisations changed, is asked for a resync, so the cards the hub refused before are sent
     * again.
     */
    public FederationNode register(Caller caller, String node, List<String> organisations, String gatewayUrl,
            String optimadeUrl) {
        requireHub();
        validNode(node);
        if (!caller.hasRole(Caller.ADMIN)
                && !(caller.hasRole(FEDERATION_ROLE) && caller.clientId().equals("mihub-node-" + node))) {
            throw ApiException.denied("registering node '" + node + "' needs role 'admin', or role '"
                    + FEDERATION_ROLE + "' and client id 'mihub-node-" + node + "'");
        }
        List<FieldViolation> violations = new ArrayList<>();
        if (organisations.isEmpty()) {
            violations.add(new FieldViolation("organisations", "at least one organisation"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < organisations.size(); i++) {
            String org = organisations.get(i);
            if (!ORG.matcher(org).matches()) {
                violations.add(new FieldViolation("organisations[" + i + "]", "'" + org + "' is not an organisation id"));
            } else if (!seen.add(org)) {
                violations.add(new FieldViolation("organisations[" + i + "]", "'" + org + "' is named twice"));
            }
        }
        url("gateway_url", gatewayUrl, true, violations);
        url("optimade_url", optimadeUrl, false, violations);
        if (!violations.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_ARGUMENT, violations.get(0).field() + ": "
                    + violations.get(0).reason(), violations);
        }
        boolean[] changed = {false};
        FederationNode registered = inTransaction(connection -> {
            Optional<FederationNode> before = directory.find(connection, node);
            changed[0] = before.isEmpty() || !Set.copyOf(before.get().organisations()).equals(Set.copyOf(organisations));
            for (int i = 0; i < organisations.size(); i++) {
                Optional<String> holder = directory.holder(connection, organisations.get(i), node);
                if (holder.isPresent()) {
                    String reason = "'" + organisations.get(i) + "' belongs to node '" + holder.get() + "'";
                    throw new ApiException(ApiException.Kind.ALREADY_EXISTS, "organisations[" + i + "]: " + reason,
                            List.of(new FieldViolation("organisations[" + i + "]", reason)));
                }
            }
            return directory.register(connection, new FederationNode(node, organisations, gatewayUrl.strip(),
                    optimadeUrl == null ? "" : optimadeUrl.strip(), null, null));
        });
        if (changed[0]) {
            // cards the node published before it was registered (or for organisations it had not
            // registered) were refused: ask for them again; best effort, an admin can resync later
            try {
                Resync resync = publishResync(node);
                LOG.infof("federation: node %s registered with %s; resync %s requested", node, organisations,
                        resync.requestId());
            } catch (ApiException e) {
                LOG.warnf("federation: node %s registered, but its resync could not be requested: %s", node,
                        e.getMessage());
            }
        }
        return registered;
    }

    public List<FederationNode> nodes(Caller caller) {
        requireHub();
        requireDataRole(caller);
        return inTransaction(directory::nodes);
    }

    /** A resync request as published. */
    public record Resync(String node, String requestId, Instant requestedAt) {
    }

    /**
     * Asks {@code node} to publish all its cards again ({@code {"node","requestId"}} on
     * {@code mihub.control.<node>}): admin only; an unknown node is NOT_FOUND, NATS unreachable UNAVAILABLE.
     */
    public Resync resync(Caller caller, String node) {
        requireHub();
        validNode(node);
        if (!caller.hasRole(Caller.ADMIN)) {
            throw ApiException.denied("role 'admin' is required");
        }
        if (inTransaction(connection -> directory.find(connection, node)).isEmpty()) {
            throw ApiException.notFound("node", node);
        }
        return publishResync(node);
    }

    private Resync publishResync(String node) {
        String requestId = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var connection = link.connected().orElseThrow(() -> new ApiException(ApiException.Kind.UNAVAILABLE,
                "the federation's NATS server cannot be reached; try again", List.of()));
        String body = "{\"node\":\"" + node + "\",\"requestId\":\"" + requestId + "\",\"requestedAt\":\"" + at + "\"}";
        try {
            link.jetStream(connection).publish(CONTROL + node, body.getBytes(StandardCharsets.UTF_8),
                    PublishOptions.builder().messageId("resync:" + requestId).build());
        } catch (Exception e) {
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "the resync request could not be published: "
                    + e.getMessage() + "; try again", List.of());
        }
        return new Resync(node, requestId, at);
    }

    /** A page of the cards the caller may read (the access rule over each card's sharing). */
    public record CardPage(List<Card> cards, String nextCursor) {
    }

    public CardPage cards(Caller caller, String node, String owner, String text, String cursor, int pageSize) {
        requireHub();
        requireDataRole(caller);
        if (!node.isEmpty() && !NODE.matcher(node).matches()) {
            throw ApiException.invalid("node", "'" + node + "' is not a node id ([a-z0-9-]{1,40})");
        }
        if (pageSize < 0) {
            throw ApiException.invalid("page.page_size", "must not be negative (0 asks for the default, 50)");
        }
        int limit = pageSize == 0 ? 50 : Math.min(pageSize, MAX_PAGE);
        var page = inTransaction(connection -> directory.cards(connection,
                AccessRule.readCondition(Optional.of(caller), DirectoryRepository.SHARING), node, owner, text, cursor,
                limit));
        List<Card> cards = new ArrayList<>();
        for (String json : page.cards()) {
            try {
                cards.add(CardJson.read(json.getBytes(StandardCharsets.UTF_8)));
            } catch (FederationJson.Malformed e) {
                throw new IllegalStateException("a stored card cannot be read: " + e.getMessage(), e);
            }
        }
        return new CardPage(cards, page.nextCursor());
    }

    private void requireHub() {
        if (!config.enabled() || !config.hub()) {
            throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                    "this installation is not the federation hub", List.of());
        }
    }

    /** The directory is for people reading data: a node's service account alone ({@code federation}) reads nothing. */
    private static void requireDataRole(Caller caller) {
        if (caller.roles().stream().noneMatch(DATA_ROLES::contains)) {
            throw ApiException.denied("a data role (member, contributor, curator or admin) is required");
        }
    }

    private static void validNode(String node) {
        if (node == null || !NODE.matcher(node).matches()) {
            throw ApiException.invalid("node", "'" + node + "' is not a node id: 1 to 40 characters a-z, 0-9 or -");
        }
    }

    private static void url(String field, String value, boolean required, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            if (required) {
                violations.add(new FieldViolation(field, "required: an absolute http(s) URL"));
            }
            return;
        }
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                violations.add(new FieldViolation(field, "'" + value + "' is not an absolute http(s) URL"));
            }
        } catch (URISyntaxException e) {
            violations.add(new FieldViolation(field, "'" + value + "' is not a URL: " + e.getReason()));
        }
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource::getConnection, work);
    }
}
