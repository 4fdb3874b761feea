/**
 * The gRPC plumbing every backend shares: {@link org.mihub.common.grpc.Work} runs blocking domain work
 * of a call on a worker thread and maps its refusals through {@code GrpcErrors}, and {@link
 * org.mihub.common.grpc.ServiceInfoGrpcService} answers {@code WhoAmI} and {@code GetStatus} in every
 * service, and {@code JobMessages} writes a job's attempts as every service sends them. It adapts Quarkus gRPC to domain code and holds no domain rules; it must not depend on any
 * service module.
 */
package org.mihub.common.grpc;
