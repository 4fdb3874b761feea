package org.mihub.common.health;

import java.net.URI;

import org.eclipse.microprofile.config.Config;

/**
 * Where a service this one calls answers HTTP: the host and port of its gRPC client configuration
 * ({@code quarkus.grpc.clients.<name>.host/port}, Quarkus' defaults localhost and 9000), since gRPC
 * and HTTP share the port. For probing a neighbour's health endpoints.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** {@code path} (e.g. {@code /q/health/ready}) on the service behind gRPC client {@code name}. */
    public static URI of(Config config, String name, String path) {
        String host = config.getOptionalValue("quarkus.grpc.clients." + name + ".host", String.class)
                .orElse("localhost");
        int port = config.getOptionalValue("quarkus.grpc.clients." + name + ".port", Integer.class).orElse(9000);
        return URI.create("http://" + host + ":" + port + path);
    }
}
