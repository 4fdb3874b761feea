package org.mihub.common.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A {@link NatsServer} for {@code @QuarkusTest}s of the federation: started before the application, with
 * the node users of init argument {@code nodes} (comma-separated, default {@code acme,kansai-u}); the
 * application connects as init argument {@code user} (default {@code hub}). It points
 * {@code mihub.federation.nats.*} at the server and sets {@code mihub.federation.node} and
 * {@code mihub.federation.hub} from init arguments {@code node} and {@code hub} (default false);
 * {@link #server()} lets a test stop and start it.
 *
 * <p>Use with {@code @WithTestResource(value = NatsResource.class, initArgs = @ResourceArg(name = "user",
 * value = "hub"))}.
 */
public class NatsResource implements QuarkusTestResourceLifecycleManager {

    private static volatile NatsServer server;
    private List<String> nodes = List.of("acme", "kansai-u");
    private String user = "hub";
    private String node;
    private String hub = "false";

    /** The running test's server. */
    public static NatsServer server() {
        return server;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey("nodes")) {
            nodes = Arrays.stream(initArgs.get("nodes").split(",")).map(String::strip).toList();
        }
        user = initArgs.getOrDefault("user", user);
        node = initArgs.get("node");
        hub = initArgs.getOrDefault("hub", hub);
    }

    @Override
    public Map<String, String> start() {
        server = new NatsServer(nodes).start();
        Map<String, String> config = new java.util.HashMap<>(Map.of("mihub.federation.nats.url", server.url(),
                "mihub.federation.nats.user", user, "mihub.federation.nats.password", NatsServer.password(user),
                "mihub.federation.hub", hub));
        if (node != null) {
            config.put("mihub.federation.node", node);
        }
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
