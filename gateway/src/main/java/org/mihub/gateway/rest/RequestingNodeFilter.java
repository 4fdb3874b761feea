package org.mihub.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.mihub.gateway.client.FederationHttp;
import org.mihub.gateway.client.RequestingNode;

/** Reads {@code X-Mihub-Requesting-Node} into the request's {@link RequestingNode}. */
public class RequestingNodeFilter {

    @Inject
    RequestingNode requestingNode;

    @ServerRequestFilter
    public void read(ContainerRequestContext request) {
        String header = request.getHeaderString(FederationHttp.REQUESTING_NODE);
        if (header != null) {
            requestingNode.set(header);
        }
    }
}
