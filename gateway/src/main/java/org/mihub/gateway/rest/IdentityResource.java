package org.mihub.gateway.rest;

import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.common.identity.Caller;
import org.mihub.common.identity.CallerFactory;
import org.mihub.gateway.client.Backend;
import org.mihub.gateway.client.ServiceInfoClient;
import org.mihub.gateway.view.BackendCallerView;
import org.mihub.gateway.view.CallerView;
import org.mihub.gateway.view.MeView;
import org.mihub.gateway.view.StatusView;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Who the caller is and how the suite is, as every backend sees it, fetched over gRPC. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "identity", description = "The caller as each component sees it, and the backends' readiness")
@SecurityRequirement(name = "SecurityScheme")
public class IdentityResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    ServiceInfoClient serviceInfo;

    @GET
    @Path("/me")
    @Operation(operationId = "getMe", summary = "The caller as the gateway and each backend see it",
            description = "Each backend validates the relayed token itself; all entries agree for a valid token.")
    public Uni<MeView> me() {
        var caller = CallerFactory.fromIdentity(identity)
                .orElseThrow(() -> new ForbiddenException("the access token carries no organisation ('org' claim)"));
        List<Uni<BackendCallerView>> calls = Arrays.stream(Backend.values()).map(serviceInfo::whoAmI).toList();
        return Uni.join().all(calls).andFailFast().map(backends -> new MeView(view(caller), backends));
    }

    @GET
    @Path("/status")
    @Operation(operationId = "getStatus", summary = "Each backend's readiness (its database, the services it calls) as seen from the gateway")
    public Uni<StatusView> status() {
        List<Uni<StatusView.BackendStatus>> calls = Arrays.stream(Backend.values()).map(serviceInfo::status).toList();
        return Uni.join().all(calls).andFailFast()
                .map(backends -> new StatusView(backends.stream().allMatch(StatusView.BackendStatus::ready), backends));
    }

    private static CallerView view(Caller caller) {
        return new CallerView(caller.subject(), caller.org(), caller.sortedRoles(), caller.username(),
                caller.clientId());
    }
}
