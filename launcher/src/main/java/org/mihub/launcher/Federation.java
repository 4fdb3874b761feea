package org.mihub.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A whole federation on one machine: one NATS server with JetStream (the hub's), one Keycloak with
 * the consortium realm and a local realm per institution ({@link FederationRealms}), the hub's suite
 * and two institution nodes ({@code acme}, {@code kansai-u}), each a complete suite with its own
 * processes and its own PostgreSQL. Ports follow the base port (default 8100): the hub's gateway on
 * base, acme's on base + 100, kansai-u's on base + 200 (each suite's services on the next three ports,
 * its PostgreSQL on gateway + 352), Keycloak on base + 90, NATS on base + 97 (monitoring base + 98).
 */
public final class Federation implements AutoCloseable {

    private static final Duration KEYCLOAK_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration NATS_TIMEOUT = Duration.ofSeconds(30);

    /**
     * One suite of the federation.
     *
     * @param node     its node id (its NATS user and its service account's name follow it)
     * @param org      the organisation it is the home of
     * @param basePort its gateway's port
     * @param hub      whether it keeps the federation directory
     */
    public record Member(String node, String org, int basePort, boolean hub) {

        public int gatewayPort() {
            return basePort;
        }

        public String gatewayUrl() {
            return "http://" + StackConfig.HOST + ":" + basePort;
        }
    }

    /** Where the federation runs: the project, its state folder (one sub-folder per suite) and the base port. */
    public record Layout(Path home, Path stateDir, int basePort) {

        public Member hub() {
            return new Member("hub", "hub", basePort, true);
        }

        public List<Member> institutions() {
            return List.of(new Member("acme", "acme", basePort + 100, false),
                    new Member("kansai-u", "kansai-u", basePort + 200, false));
        }

        public List<Member> members() {
            List<Member> all = new ArrayList<>();
            all.add(hub());
            all.addAll(institutions());
            return all;
        }

        public Member member(String node) {
            return members().stream().filter(member -> member.node().equals(node)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no node named '" + node + "'; one of "
                            + String.join(", ", members().stream().map(Member::node).toList())));
        }

        /** The config of the federation's shared parts: Keycloak on base + 90, logs in the state folder. */
        public StackConfig shared() {
            return new StackConfig(home, stateDir, basePort + 80);
        }

        public StackConfig suite(Member member) {
            return new StackConfig(home, stateDir.resolve(member.node()), member.basePort());
        }

        public int natsPort() {
            return basePort + 97;
        }

        public int natsMonitorPort() {
            return basePort + 98;
        }

        public String natsUrl() {
            return "nats://" + StackConfig.HOST + ":" + natsPort();
        }

        /** The issuer of a realm ({@link FederationRealms#CONSORTIUM} or a node id) of the federation's Keycloak. */
        public String issuer(String realm) {
            return shared().issuer(realm);
        }

        /** The realm a member's staff sign in at: the hub's is the consortium realm, a node's its own. */
        public String localRealm(Member member) {
            return member.hub() ? FederationRealms.CONSORTIUM : member.node();
        }
    }

    private final Layout layout;
    private ManagedProcess nats;
    private ManagedProcess keycloak;
    private final Map<String, Stack> suites = new LinkedHashMap<>();

    private Federation(Layout layout) {
        this.layout = layout;
    }

    public Layout layout() {
        return layout;
    }

    /** The running suite of a node. */
    public Stack suite(String node) {
        Stack stack = suites.get(node);
        if (stack == null) {
            throw new IllegalArgumentException("no running suite for node " + node);
        }
        return stack;
    }

    /** Starts NATS, Keycloak and every suite (the hub first); on failure stops what did start and rethrows. */
    public static Federation start(Layout layout, Consumer<String> progress) throws Exception {
        Federation federation = new Federation(layout);
        try {
            federation.startAll(progress);
            return federation;
        } catch (Exception | Error e) {
            federation.close();
            throw e;
        }
    }

    private void startAll(Consumer<String> progress) throws Exception {
        StackConfig shared = layout.shared();
        Files.createDirectories(shared.logs());
        progress.accept("starting NATS (JetStream) on port " + layout.natsPort());
        nats = Nats.start(shared, layout.natsPort(), layout.natsMonitorPort(), layout.hub().node(),
                layout.institutions().stream().map(Member::node).toList());
        progress.accept("starting Keycloak on port " + shared.keycloakPort() + " (realms consortium, "
                + String.join(", ", layout.institutions().stream().map(Member::node).toList()) + ")");
        keycloak = Keycloak.start(shared, FederationRealms.build(layout.home(), layout.hub(), layout.institutions()),
                FederationRealms.CONSORTIUM);
        nats.awaitReady(NATS_TIMEOUT);
        keycloak.awaitReady(KEYCLOAK_TIMEOUT);
        progress.accept("Keycloak ready at " + layout.issuer(FederationRealms.CONSORTIUM));
        for (Member member : layout.members()) {
            progress.accept("starting node " + member.node() + " (gateway port " + member.gatewayPort() + ")");
            suites.put(member.node(), startSuite(member, progress));
        }
    }

    private Stack startSuite(Member member, Consumer<String> progress) throws Exception {
        return Stack.start(layout.suite(member), new Stack.NodeSettings(layout.issuer(layout.localRealm(member)),
                options(member)), message -> progress.accept(member.node() + ": " + message));
    }

    /** Stops a node's whole suite (its database too), as an institution going offline would. */
    public void stopNode(String node) {
        Stack stack = suites.remove(node);
        if (stack != null) {
            stack.close();
        }
    }

    /** Starts a stopped node's suite again, on its ports and data. */
    public void startNode(String node, Consumer<String> progress) throws Exception {
        if (!suites.containsKey(node)) {
            suites.put(node, startSuite(layout.member(node), progress));
        }
    }

    /** Stops the NATS server (the suites keep running), e.g. to see that nothing is lost. */
    public void stopNats() {
        if (nats != null) {
            nats.close();
            nats = null;
        }
    }

    public void startNats() throws IOException, InterruptedException {
        if (nats == null) {
            nats = Nats.start(layout.shared(), layout.natsPort(), layout.natsMonitorPort(), layout.hub().node(),
                    layout.institutions().stream().map(Member::node).toList());
            nats.awaitReady(NATS_TIMEOUT);
        }
    }

    /**
     * Each service's federation options: the node id; the further token issuers and which
     * organisations each may assert (a node's own organisation only by its local realm, the
     * consortium realm for every other member organisation); the catalog's NATS user; the gateway's
     * hub, its own public URL and its service account.
     */
    Map<Service, List<String>> options(Member member) {
        String consortium = layout.issuer(FederationRealms.CONSORTIUM);
        List<String> common = new ArrayList<>(List.of("-Dmihub.federation.node=" + member.node()));
        if (!member.hub()) {
            // a named tenant inherits none of the default tenant's settings: audience and roles as for it
            common.add("-Dquarkus.oidc.consortium.auth-server-url=" + consortium);
            common.add("-Dquarkus.oidc.consortium.token.audience=mihub");
            common.add("-Dquarkus.oidc.consortium.roles.role-claim-path=realm_access/roles");
            common.add("-Dmihub.auth.trust.Default=" + member.org());
            common.add("-Dmihub.auth.trust.consortium=*");
        }
        Map<Service, List<String>> options = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            options.put(service, new ArrayList<>(common));
        }
        options.get(Service.CATALOG).addAll(List.of(
                "-Dmihub.federation.hub=" + member.hub(),
                "-Dmihub.federation.nats.url=" + layout.natsUrl(),
                "-Dmihub.federation.nats.user=" + member.node(),
                "-Dmihub.federation.nats.password=" + Nats.demoPassword(member.node())));
        options.get(Service.GATEWAY).addAll(List.of(
                "-Dmihub.federation.hub=" + member.hub(),
                "-Dmihub.federation.hub-url=" + layout.hub().gatewayUrl(),
                "-Dmihub.federation.public-url=" + member.gatewayUrl(),
                "-Dmihub.federation.organisations=" + member.org(),
                "-Dquarkus.oidc-client.federation.auth-server-url=" + consortium,
                "-Dquarkus.oidc-client.federation.client-id=" + FederationRealms.nodeClientId(member.node()),
                "-Dquarkus.oidc-client.federation.credentials.secret=" + FederationRealms.nodeClientSecret(member.node())));
        // three suites share the machine: the prediction service's demo training sets fit in 1 GiB
        options.get(Service.PREDICTION).add("-Xmx1g");
        return options;
    }

    /** The demo datasets of each suite: a mix of PRIVATE, SHARED, CONSORTIUM and PUBLIC. */
    static Map<String, List<DemoData.Spec>> demoDatasets() {
        Map<String, List<DemoData.Spec>> demo = new LinkedHashMap<>();
        demo.put("hub", List.of(new DemoData.Spec("hub", "Hub: reference band gaps (public)", "public", List.of(),
                "Textbook band gaps the hub publishes for everyone.", 4, 0)));
        demo.put("acme", List.of(
                new DemoData.Spec("acme", "acme: band gaps for the consortium", "consortium", List.of(),
                        "acme's measurements, visible to every member organisation.", 2, 0),
                new DemoData.Spec("acme", "acme: oxides shared with kansai-u", "shared", List.of("kansai-u"),
                        "Shared with the joint project partner only.", 3, 1),
                new DemoData.Spec("acme", "acme: private screening", "private", List.of(),
                        "acme's own; never leaves acme's node.", 3, 2)));
        demo.put("kansai-u", List.of(
                new DemoData.Spec("kansai-u", "kansai-u: open band gaps", "public", List.of(),
                        "Published with the group's paper.", 2, 1),
                new DemoData.Spec("kansai-u", "kansai-u: consortium thin films", "consortium", List.of(),
                        "For the consortium's members.", 3, 0),
                new DemoData.Spec("kansai-u", "kansai-u: private lab notebook", "private", List.of(),
                        "Unpublished; stays at kansai-u.", 4, 3)));
        return demo;
    }

    /** Loads every suite's demo datasets as its curator (hub: carol, acme: alice, kansai-u: frank), signed in locally. */
    public Map<String, List<String>> loadDemoData() throws IOException, InterruptedException {
        Map<String, String> curators = Map.of("hub", "carol", "acme", "alice", "kansai-u", "frank");
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (Map.Entry<String, List<DemoData.Spec>> node : demoDatasets().entrySet()) {
            Member member = layout.member(node.getKey());
            String token = Tokens.passwordToken(layout.issuer(layout.localRealm(member)), curators.get(member.node()));
            List<String> created = new ArrayList<>();
            for (DemoData.Spec spec : node.getValue()) {
                created.add(DemoData.load(layout.home(), member.gatewayUrl(), token, spec));
            }
            ids.put(member.node(), created);
        }
        return ids;
    }

    /** What runs, for 'federation status': one line per process (name, pid, port, log). */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (nats != null) {
            lines.add(String.format("%-20s %-8d %-6s %s", "nats", nats.pid(), layout.natsPort(), nats.log()));
        }
        if (keycloak != null) {
            lines.add(String.format("%-20s %-8d %-6s %s", "keycloak", keycloak.pid(), layout.shared().keycloakPort(),
                    keycloak.log()));
        }
        for (Map.Entry<String, Stack> suite : suites.entrySet()) {
            for (String line : suite.getValue().describe()) {
                lines.add(suite.getKey() + "/" + line);
            }
        }
        return lines;
    }

    @Override
    public void close() {
        List<String> nodes = new ArrayList<>(suites.keySet());
        for (int i = nodes.size() - 1; i >= 0; i--) {
            suites.remove(nodes.get(i)).close();
        }
        if (keycloak != null) {
            keycloak.close();
            keycloak = null;
        }
        stopNats();
    }
}
