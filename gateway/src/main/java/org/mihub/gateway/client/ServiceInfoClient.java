package org.mihub.gateway.client;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.common.v1.GetStatusRequest;
import org.mihub.api.common.v1.MutinyServiceInfoGrpc.MutinyServiceInfoStub;
import org.mihub.api.common.v1.ServiceStatus;
import org.mihub.api.common.v1.WhoAmIRequest;
import org.mihub.api.common.v1.WhoAmIResponse;
import org.mihub.gateway.config.BackendsConfig;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/**
 * Calls each backend's ServiceInfo with the caller's own token and a deadline that starts with
 * each call, through the backend's {@link BackendGuard}.
 */
@ApplicationScoped
public class ServiceInfoClient {

    private final Map<Backend, MutinyServiceInfoStub> stubs = new EnumMap<>(Backend.class);
    private final Duration deadline;
    private final BackendGuards guards;

    @Inject
    public ServiceInfoClient(@GrpcClient("catalog") MutinyServiceInfoStub catalog,
            @GrpcClient("prediction") MutinyServiceInfoStub prediction,
            @GrpcClient("planning") MutinyServiceInfoStub planning,
            BackendsConfig config, BackendGuards guards) {
        stubs.put(Backend.CATALOG, catalog);
        stubs.put(Backend.PREDICTION, prediction);
        stubs.put(Backend.PLANNING, planning);
        this.deadline = config.backendDeadline();
        this.guards = guards;
    }

    private MutinyServiceInfoStub stub(Backend backend) {
        return guards.bind(stubs.get(backend), deadline);
    }

    public Uni<WhoAmIResponse> whoAmI(Backend backend) {
        return guards.of(backend).read(stub(backend).whoAmI(WhoAmIRequest.getDefaultInstance()));
    }

    public Uni<ServiceStatus> status(Backend backend) {
        return guards.of(backend).read(stub(backend).getStatus(GetStatusRequest.getDefaultInstance()));
    }
}
