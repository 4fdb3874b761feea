package org.mihub.gateway.client;

import org.mihub.api.common.v1.Caller;
import org.mihub.api.common.v1.ServiceStatus;
import org.mihub.gateway.view.CallerView;
import org.mihub.gateway.view.StatusView;

import io.grpc.Status;

/** Protobuf ServiceInfo messages to the gateway's views. */
final class ServiceInfoMapper {

    private ServiceInfoMapper() {
    }

    static CallerView caller(Caller caller) {
        return new CallerView(caller.getSubject(), caller.getOrg(), caller.getRolesList(), caller.getUsername(),
                caller.getClientId());
    }

    static StatusView.BackendStatus status(ServiceStatus status) {
        return new StatusView.BackendStatus(status.getService(), true, status.getReady(),
                status.getChecksList().stream()
                        .map(check -> new StatusView.Check(check.getName(), check.getUp(), check.getDetail()))
                        .toList(),
                null);
    }

    /** The status code of a failed backend call ("UNAVAILABLE", "DEADLINE_EXCEEDED"...), without internals. */
    static String error(Throwable failure) {
        if (failure instanceof BackendUnavailableException) {
            return "UNAVAILABLE (circuit open)";
        }
        return failure instanceof BackendFailure backend ? backend.code() : Status.fromThrowable(failure).getCode().name();
    }
}
