package org.mihub.gateway.mapping;

import org.mihub.api.common.v1.Caller;
import org.mihub.api.common.v1.ServiceStatus;
import org.mihub.gateway.client.BackendUnavailableException;
import org.mihub.gateway.rest.CallerView;
import org.mihub.gateway.rest.StatusView;

import io.grpc.Status;

/** Protobuf ServiceInfo messages to the gateway's JSON views. */
public final class ServiceInfoMapper {

    private ServiceInfoMapper() {
    }

    public static CallerView caller(Caller caller) {
        return new CallerView(caller.getSubject(), caller.getOrg(), caller.getRolesList(), caller.getUsername(),
                caller.getClientId());
    }

    public static CallerView caller(org.mihub.common.identity.Caller caller) {
        return new CallerView(caller.subject(), caller.org(), caller.sortedRoles(), caller.username(),
                caller.clientId());
    }

    public static StatusView.BackendStatus status(ServiceStatus status) {
        return new StatusView.BackendStatus(status.getService(), true, status.getReady(),
                status.getChecksList().stream()
                        .map(check -> new StatusView.Check(check.getName(), check.getUp(), check.getDetail()))
                        .toList(),
                null);
    }

    /** The gRPC status code of a failed backend call ("UNAVAILABLE", "DEADLINE_EXCEEDED"...), without internals. */
    public static String error(Throwable failure) {
        if (failure instanceof BackendUnavailableException) {
            return "UNAVAILABLE (circuit open)";
        }
        return Status.fromThrowable(failure).getCode().name();
    }
}
