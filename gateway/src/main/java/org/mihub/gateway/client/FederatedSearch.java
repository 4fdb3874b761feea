package org.mihub.gateway.client;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.identity.CallerFactory;
import org.mihub.gateway.client.FederatedCursor.Position;
import org.mihub.gateway.client.HubDirectory.HubFailure;
import org.mihub.gateway.config.FederationConfig;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.view.FederationViews;
import org.mihub.gateway.view.FederationViews.NodeView;
import org.mihub.gateway.view.DatasetViews.DatasetPage;
import org.mihub.gateway.view.MaterialViews.MaterialPage;
import org.mihub.gateway.view.MaterialViews.MaterialSearch;
import org.mihub.gateway.view.MaterialViews.MaterialView;
import org.mihub.gateway.view.MaterialViews.MeasurementView;
import org.mihub.gateway.view.MaterialViews.NodeStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The federated search ({@code scope=federation}): every registered node asked at once with the
 * caller's own token, this node in-process and the others over HTTP, each within the per-node timeout
 * and behind its own circuit breaker; their pages merged in the requested order under a composite
 * cursor, and each node's status reported. A node that fails costs its own results only.
 */
@ApplicationScoped
@RegisterForReflection(targets = {FederationViews.CardPage.class, FederationViews.CardView.class,
        FederationViews.CardPropertyView.class}) // read from the hub's answer
public class FederatedSearch {

    /** The largest page a node serves ({@code MaterialService.MAX_PAGE}). */
    static final int NODE_MAX_PAGE = 500;

    /** How one node answered one page. */
    record Answer(String node, String status, String message, List<MaterialView> items, String next,
            Position from, int fetched) {

        static Answer failed(String node, String status, String message, Position from) {
            return new Answer(node, status, message, List.of(), null, from, 0);
        }

        boolean ok() {
            return status.equals("ok");
        }
    }

    /** The parts of a node's answer this gateway reads. */
    @RegisterForReflection
    record RemotePage(List<MaterialView> materials, String nextCursor) {
    }

    @Inject
    FederationConfig config;

    @Inject
    HubDirectory directory;

    @Inject
    FederationHttp http;

    @Inject
    CatalogClient catalog;

    @Inject
    SecurityIdentity identity;

    private final ObjectMapper json;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    @Inject
    public FederatedSearch(ObjectMapper mapper) {
        this.json = HubDirectory.lenient(mapper);
    }

    /** This node's id; refused when federation is off. */
    private String self() {
        return config.node().orElseThrow(() -> new InvalidInput("scope", "federation is not configured at this "
                + "installation (mihub.federation.node is not set): use scope=local"));
    }

    private Optional<String> authorization() {
        return CallerFactory.rawToken(identity).map(token -> "Bearer " + token);
    }

    /**
     * One merged page of the materials every node lets the caller see.
     *
     * @param query the request's query parameters, passed on to the other nodes (but scope, cursor and limit)
     */
    public Uni<MaterialPage> materials(MaterialSearch search, Map<String, List<String>> query) {
        String self = self();
        Comparator<MaterialView> order = order(search.sort());
        Map<String, Position> positions = search.cursor() == null ? null : FederatedCursor.decode(json, search.cursor());
        Optional<String> authorization = authorization();
        int limit = Math.min(search.limit(), NODE_MAX_PAGE);
        // this node's ask is made here, on the request's thread: its stub binds the caller's token now
        Position own = positions == null ? Position.START : positions.get(self);
        Uni<Answer> ownAsk = own == null || own.done() ? null
                : local(self, search, own, Math.min(own.s() + limit, NODE_MAX_PAGE)).memoize().indefinitely();
        return directory.nodes(authorization).map(listed -> new Listed(listed, null))
                .onFailure(HubFailure.class).recoverWithItem(failure -> new Listed(null, (HubFailure) failure))
                .chain(listed -> {
                    List<NodeStatus> hubStatus = new ArrayList<>();
                    Map<String, NodeView> nodes = new LinkedHashMap<>();
                    if (listed.failure() != null) {
                        // the hub is down or refused the caller: this node answers alone
                        hubStatus.add(new NodeStatus("hub", listed.failure().status(), listed.failure().getMessage()
                                + "; this node answered alone", 0));
                    } else {
                        listed.nodes().forEach(node -> nodes.put(node.node(), node));
                    }
                    nodes.putIfAbsent(self, new NodeView(self, List.of(self), config.publicUrl().orElse(""), null, null, null));
                    List<Uni<Answer>> asks = new ArrayList<>();
                    Map<String, Position> from = new LinkedHashMap<>();
                    for (NodeView node : nodes.values()) {
                        Position position = positions == null ? Position.START : positions.get(node.node());
                        if (position == null) {
                            continue; // joined after the search's first page
                        }
                        from.put(node.node(), position);
                        if (position.done()) {
                            continue;
                        }
                        int fetch = Math.min(position.s() + limit, NODE_MAX_PAGE);
                        asks.add(node.node().equals(self) ? ownAsk : remote(node, query, position, fetch, authorization));
                    }
                    if (positions != null) {
                        // a node the directory no longer lists keeps its place in the cursor, unasked
                        positions.forEach(from::putIfAbsent);
                    }
                    Uni<List<Answer>> all = asks.isEmpty() ? Uni.createFrom().item(List.of())
                            : Uni.join().all(asks).andFailFast();
                    return all.map(answers -> merge(self, nodes, from, answers, order, limit, hubStatus));
                });
    }

    private record Listed(List<NodeView> nodes, HubFailure failure) {
    }

    private Uni<Answer> local(String self, MaterialSearch search, Position position, int fetch) {
        return catalog.search(search.page(fetch, position.c())).ifNoItem().after(config.timeout())
                .failWith(TimeoutException::new)
                .map(page -> new Answer(self, "ok", null, skip(page.materials(), position.s()), page.nextCursor(),
                        position, page.materials().size()))
                .onFailure(failure -> !(failure instanceof BackendFailure backend) || backend.kind().backendTrouble())
                .recoverWithItem(failure -> failure instanceof TimeoutException
                        || failure instanceof BackendFailure backend && backend.kind() == BackendFailure.Kind.TIMEOUT
                                ? Answer.failed(self, "timeout", "no answer within " + config.timeout(), position)
                                : Answer.failed(self, "unavailable", "this node's catalog is unavailable", position));
    }

    private Uni<Answer> remote(NodeView node, Map<String, List<String>> query, Position position, int fetch,
            Optional<String> authorization) {
        CircuitBreaker breaker = breakers.computeIfAbsent(node.node(), this::breaker);
        if (!breaker.tryAcquirePermission()) {
            return Uni.createFrom().item(Answer.failed(node.node(), "unavailable", "circuit breaker open: the node "
                    + "failed recently and is not asked for " + config.breaker().openFor(), position));
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>(query);
        parameters.remove("scope");
        parameters.remove("cursor");
        parameters.put("limit", List.of(Integer.toString(fetch)));
        if (position.c() != null) {
            parameters.put("cursor", List.of(position.c()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        authorization.ifPresent(token -> headers.put("Authorization", token));
        headers.put(FederationHttp.REQUESTING_NODE, self());
        long start = System.nanoTime();
        return http.get(FederationHttp.uri(node.gatewayUrl(), "/api/v1/materials", parameters), headers)
                .ifNoItem().after(config.timeout()).failWith(TimeoutException::new)
                .map(response -> read(node, response, position))
                .onFailure().recoverWithItem(failure -> failure instanceof TimeoutException
                        || failure instanceof HttpTimeoutException
                        ? Answer.failed(node.node(), "timeout", "no answer within " + config.timeout(), position)
                        : Answer.failed(node.node(), "unavailable", "could not be reached: " + describe(failure),
                                position))
                .invoke(answer -> {
                    long took = System.nanoTime() - start;
                    if (answer.status().equals("timeout") || answer.status().equals("unavailable")) {
                        breaker.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException(answer.message()));
                    } else {
                        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                    }
                });
    }

    /** A node's HTTP answer as an {@link Answer}: nothing of a malformed one is kept. */
    private Answer read(NodeView node, HttpResponse<String> response, Position position) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return Answer.failed(node.node(), "refused", "the node refused the caller (" + status + "): "
                    + problemDetail(json, response.body()), position);
        }
        if (status >= 400 && status < 500) {
            return Answer.failed(node.node(), "refused", "the node refused the search (" + status + "): "
                    + problemDetail(json, response.body()), position);
        }
        if (status != 200) {
            return Answer.failed(node.node(), "unavailable", "the node answered " + status, position);
        }
        RemotePage page;
        try {
            page = json.readValue(response.body(), RemotePage.class);
        } catch (java.io.IOException | RuntimeException malformed) {
            return Answer.failed(node.node(), "unavailable", "malformed answer: not a page of materials", position);
        }
        if (page == null || page.materials() == null || page.materials().stream().anyMatch(material -> material == null
                || material.id() == null || material.id().isBlank())) {
            return Answer.failed(node.node(), "unavailable", "malformed answer: not a page of materials (no "
                    + "materials, or a material without an id)", position);
        }
        return new Answer(node.node(), "ok", null, skip(page.materials(), position.s()), page.nextCursor(), position,
                page.materials().size());
    }

    private static List<MaterialView> skip(List<MaterialView> items, int skip) {
        return skip >= items.size() ? List.of() : items.subList(skip, items.size());
    }

    /** The k-way merge of the nodes' pages, each node's next position, and the statuses. */
    private MaterialPage merge(String self, Map<String, NodeView> nodes, Map<String, Position> from, List<Answer> answers,
            Comparator<MaterialView> order, int limit, List<NodeStatus> statuses) {
        List<Answer> ok = answers.stream().filter(Answer::ok).toList();
        int[] taken = new int[ok.size()];
        List<MaterialView> page = new ArrayList<>();
        while (page.size() < limit) {
            int best = -1;
            boolean blocked = false;
            for (int i = 0; i < ok.size(); i++) {
                List<MaterialView> items = ok.get(i).items();
                if (taken[i] >= items.size()) {
                    // a node with more beyond what it sent: nothing after this point can be placed safely
                    blocked |= ok.get(i).next() != null;
                    continue;
                }
                if (best < 0 || compare(order, ok.get(i), items.get(taken[i]), ok.get(best),
                        ok.get(best).items().get(taken[best])) < 0) {
                    best = i;
                }
            }
            if (best < 0 || blocked) {
                break;
            }
            Answer answer = ok.get(best);
            page.add(answer.items().get(taken[best]).at(answer.node(), homeUrl(self, nodes.get(answer.node()),
                    answer.items().get(taken[best]).id())));
            taken[best]++;
        }
        Map<String, Position> next = new LinkedHashMap<>(from);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < ok.size(); i++) {
            Answer answer = ok.get(i);
            counts.put(answer.node(), taken[i]);
            int consumed = answer.from().s() + taken[i];
            if (consumed >= answer.fetched()) {
                next.put(answer.node(), answer.next() == null ? new Position(null, 0, true)
                        : new Position(answer.next(), 0, false));
            } else {
                next.put(answer.node(), new Position(answer.from().c(), consumed, false));
            }
        }
        for (String node : from.keySet()) {
            Answer answer = answers.stream().filter(candidate -> candidate.node().equals(node)).findFirst().orElse(null);
            if (answer == null) {
                if (nodes.containsKey(node)) {
                    statuses.add(new NodeStatus(node, "ok", "no more results", 0));
                }
            } else {
                statuses.add(new NodeStatus(node, answer.status(), answer.message(), counts.getOrDefault(node, 0)));
            }
        }
        boolean more = ok.stream().anyMatch(answer -> !next.get(answer.node()).done());
        return new MaterialPage(page, more ? FederatedCursor.encode(json, next) : null, statuses);
    }

    private static int compare(Comparator<MaterialView> order, Answer left, MaterialView a, Answer right,
            MaterialView b) {
        int byOrder = order.compare(a, b);
        return byOrder != 0 ? byOrder : left.node().compareTo(right.node());
    }

    private String homeUrl(String self, NodeView node, String id) {
        String base = self.equals(node.node()) ? config.publicUrl().orElse(node.gatewayUrl()) : node.gatewayUrl();
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return root + "/api/v1/materials/" + id;
    }

    /**
     * The order of a search's {@code sort} keys as each node's catalog applies it (id, reduced formula,
     * element count, a property's lowest value ascending or highest descending, no value last), then the
     * material id; {@code created_at} is refused, since a material's answer carries no creation time.
     */
    static Comparator<MaterialView> order(String sort) {
        Comparator<MaterialView> order = (a, b) -> 0;
        if (sort != null && !sort.isBlank()) {
            for (String key : sort.trim().split("\\s*,\\s*")) {
                boolean descending = key.startsWith("-");
                String name = descending ? key.substring(1) : key;
                Comparator<MaterialView> byKey = switch (name) {
                    case "id" -> Comparator.comparing(MaterialView::id);
                    case "formula", "reduced_formula" -> Comparator.comparing(MaterialView::reducedFormula,
                            Comparator.nullsLast(Comparator.naturalOrder()));
                    case "nelements" -> Comparator.comparingInt(MaterialView::nelements);
                    case "created_at" -> throw new InvalidInput("sort", "created_at cannot be merged across nodes "
                            + "(a material's answer carries no creation time): sort by id, formula, nelements or a "
                            + "property with scope=federation");
                    default -> null;
                };
                if (byKey == null) {
                    Comparator<Double> values = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
                    // no value sorts last in either direction (NULLS LAST)
                    order = order.thenComparing(material -> propertyValue(material, name, descending),
                            Comparator.nullsLast(values));
                } else {
                    order = order.thenComparing(descending ? byKey.reversed() : byKey);
                }
            }
        }
        return order.thenComparing(MaterialView::id);
    }

    private static Double propertyValue(MaterialView material, String property, boolean highest) {
        Double found = null;
        for (MeasurementView measurement : material.measurements() == null ? List.<MeasurementView>of()
                : material.measurements()) {
            if (property.equals(measurement.property()) && measurement.value() != null) {
                double value = measurement.value().value();
                if (found == null || (highest ? value > found : value < found)) {
                    found = value;
                }
            }
        }
        return found;
    }

    /**
     * A page of the federation directory's dataset cards the caller may read, from the hub (it applies
     * each card's sharing); the hub's status in {@code nodes}.
     */
    public Uni<DatasetPage> cards(String owner, String text, int limit, String cursor) {
        self();
        String hub = config.hubUrl().orElseThrow(() -> new InvalidInput("scope", "this node knows no hub "
                + "(mihub.federation.hub-url is not set)"));
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (owner != null && !owner.isBlank()) {
            parameters.put("owner", List.of(owner));
        }
        if (text != null && !text.isBlank()) {
            parameters.put("q", List.of(text));
        }
        if (cursor != null) {
            parameters.put("cursor", List.of(cursor));
        }
        parameters.put("limit", List.of(Integer.toString(limit)));
        Map<String, String> headers = new LinkedHashMap<>();
        authorization().ifPresent(token -> headers.put("Authorization", token));
        headers.put(FederationHttp.REQUESTING_NODE, self());
        return http.get(FederationHttp.uri(hub, "/api/v1/federation/cards", parameters), headers)
                .ifNoItem().after(config.timeout()).failWith(TimeoutException::new)
                .map(response -> {
                    int status = response.statusCode();
                    if (status == 400 && cursor != null) {
                        throw new InvalidInput("cursor", "the hub refused the cursor: "
                                + problemDetail(json, response.body()));
                    }
                    if (status >= 400 && status < 500) {
                        return hubOnly("refused", "the hub refused (" + status + "): "
                                + problemDetail(json, response.body()));
                    }
                    if (status != 200) {
                        return hubOnly("unavailable", "the hub answered " + status);
                    }
                    try {
                        FederationViews.CardPage page = json.readValue(response.body(), FederationViews.CardPage.class);
                        if (page == null || page.cards() == null || page.cards().stream().anyMatch(Objects::isNull)) {
                            return hubOnly("unavailable", "malformed answer: not a page of cards");
                        }
                        return new DatasetPage(null, page.nextCursor(), page.cards(),
                                List.of(new NodeStatus("hub", "ok", null, page.cards().size())));
                    } catch (java.io.IOException malformed) {
                        return hubOnly("unavailable", "malformed answer: not a page of cards");
                    }
                })
                .onFailure(failure -> !(failure instanceof InvalidInput)).recoverWithItem(failure -> hubOnly(
                        failure instanceof TimeoutException || failure instanceof HttpTimeoutException ? "timeout"
                                : "unavailable",
                        failure instanceof TimeoutException || failure instanceof HttpTimeoutException
                                ? "no answer within " + config.timeout() : "could not be reached: " + describe(failure)));
    }

    private static DatasetPage hubOnly(String status, String message) {
        return new DatasetPage(null, null, List.of(), List.of(new NodeStatus("hub", status, message, 0)));
    }

    private CircuitBreaker breaker(String node) {
        var settings = config.breaker();
        return CircuitBreaker.of("federation-" + node, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window()).minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRate())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false).build());
    }

    /** A transport failure in a few words, without a stack trace. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while (true) {
            // the JDK client reports a refused connection as a ConnectException or a ClosedChannelException
            if (cause instanceof ConnectException || cause instanceof java.nio.channels.ClosedChannelException) {
                return "connection refused";
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The {@code detail} (else {@code title}) of a problem+json body, or a note that it had none. */
    static String problemDetail(ObjectMapper json, String body) {
        try {
            JsonNode problem = json.readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
            if (problem != null && problem.hasNonNull("title")) {
                return problem.get("title").asText();
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            // below
        }
        return "(no problem detail)";
    }

    /** For tests: the breaker state of a node. */
    public Optional<String> breakerState(String node) {
        return Optional.ofNullable(breakers.get(node)).map(breaker -> breaker.getState().name());
    }
}
