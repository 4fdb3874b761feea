package org.mihub.gateway.client;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mihub.api.common.v1.GetStatusRequest;
import org.mihub.api.common.v1.MutinyServiceInfoGrpc.MutinyServiceInfoStub;
import org.mihub.api.common.v1.ServiceStatus;
import org.mihub.api.common.v1.WhoAmIRequest;
import org.mihub.api.common.v1.WhoAmIResponse;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/**
 * Calls each backend's ServiceInfo with the caller's own token (relayed by mihub-common) and a
 * deadline that starts with each call.
 */
@ApplicationScoped
public class ServiceInfoClient {

    private final Map<Backend, MutinyServiceInfoStub> stubs = new EnumMap<>(Backend.class);
    private final long deadlineMillis;

    @Inject
    public ServiceInfoClient(@GrpcClient("catalog") MutinyServiceInfoStub catalog,
            @GrpcClient("prediction") MutinyServiceInfoStub prediction,
            @GrpcClient("planning") MutinyServiceInfoStub planning,
            @ConfigProperty(name = "mihub.gateway.backend-deadline") Duration deadline) {
        stubs.put(Backend.CATALOG, catalog);
        stubs.put(Backend.PREDICTION, prediction);
        stubs.put(Backend.PLANNING, planning);
        this.deadlineMillis = deadline.toMillis();
    }

    private MutinyServiceInfoStub stub(Backend backend) {
        return stubs.get(backend).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    public Uni<WhoAmIResponse> whoAmI(Backend backend) {
        return stub(backend).whoAmI(WhoAmIRequest.getDefaultInstance());
    }

    public Uni<ServiceStatus> status(Backend backend) {
        return stub(backend).getStatus(GetStatusRequest.getDefaultInstance());
    }
}
