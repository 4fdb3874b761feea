package org.mihub.gateway.client;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.common.v1.GetStatusRequest;
import org.mihub.api.common.v1.MutinyServiceInfoGrpc.MutinyServiceInfoStub;
import org.mihub.api.common.v1.WhoAmIRequest;
import org.mihub.gateway.config.BackendsConfig;
import org.mihub.gateway.view.BackendCallerView;
import org.mihub.gateway.view.StatusView;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/**
 * Calls each backend's ServiceInfo with the caller's own token and a deadline that starts with
 * each call, through the backend's {@link BackendGuard}. A backend that cannot answer is reported as
 * such (its status code, never its internals), not as a failure.
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

    /** The caller as the backend sees it, or why the gateway could not ask. */
    public Uni<BackendCallerView> whoAmI(Backend backend) {
        return guards.of(backend).read(stub(backend).whoAmI(WhoAmIRequest.getDefaultInstance()))
                .map(reply -> new BackendCallerView(reply.getService(), true, ServiceInfoMapper.caller(
                        reply.getCaller()), null))
                .onFailure().recoverWithItem(failure -> new BackendCallerView(backend.serviceName(), false, null,
                        ServiceInfoMapper.error(failure)));
    }

    /** The backend's readiness and its checks, or, when it cannot answer, that it is not reachable and why. */
    public Uni<StatusView.BackendStatus> status(Backend backend) {
        return guards.of(backend).read(stub(backend).getStatus(GetStatusRequest.getDefaultInstance()))
                .map(ServiceInfoMapper::status)
                .onFailure().recoverWithItem(failure -> new StatusView.BackendStatus(backend.serviceName(), false,
                        false, List.of(), ServiceInfoMapper.error(failure)));
    }
}
