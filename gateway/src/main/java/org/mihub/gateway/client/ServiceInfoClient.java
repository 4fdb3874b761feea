package org.mihub.gateway.client;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.common.v1.GetStatusRequest;
import org.mihub.api.common.v1.ServiceInfo;
import org.mihub.api.common.v1.ServiceStatus;
import org.mihub.api.common.v1.WhoAmIRequest;
import org.mihub.api.common.v1.WhoAmIResponse;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/** Calls each backend's ServiceInfo with the caller's own token (relayed by mihub-common). */
@ApplicationScoped
public class ServiceInfoClient {

    private final Map<Backend, ServiceInfo> stubs = new EnumMap<>(Backend.class);

    @Inject
    public ServiceInfoClient(@GrpcClient("catalog") ServiceInfo catalog,
            @GrpcClient("prediction") ServiceInfo prediction,
            @GrpcClient("planning") ServiceInfo planning) {
        stubs.put(Backend.CATALOG, catalog);
        stubs.put(Backend.PREDICTION, prediction);
        stubs.put(Backend.PLANNING, planning);
    }

    public Uni<WhoAmIResponse> whoAmI(Backend backend) {
        return stubs.get(backend).whoAmI(WhoAmIRequest.getDefaultInstance());
    }

    public Uni<ServiceStatus> status(Backend backend) {
        return stubs.get(backend).getStatus(GetStatusRequest.getDefaultInstance());
    }
}
