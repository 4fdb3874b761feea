package org.mihub.gateway.client;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.RequestScoped;

import io.grpc.Metadata;

/**
 * The node that asks on the caller's behalf, as a request's {@code X-Mihub-Requesting-Node} header
 * names it (another gateway's federated search): relayed to the backends as gRPC metadata
 * {@code mihub-requesting-node}, so the owner's access log keeps it. A value that is not a node id
 * ({@code [a-z0-9-]{1,40}}) is ignored.
 */
@RequestScoped
public class RequestingNode {

    /** The metadata key the catalog reads. */
    public static final Metadata.Key<String> METADATA = Metadata.Key.of("mihub-requesting-node",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Pattern NODE = Pattern.compile("[a-z0-9-]{1,40}");

    private String node;

    /** Keeps the header's value when it is a node id. */
    public void set(String header) {
        node = header != null && NODE.matcher(header).matches() ? header : null;
    }

    public Optional<String> get() {
        return Optional.ofNullable(node);
    }
}
