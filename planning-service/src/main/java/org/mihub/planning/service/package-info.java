/**
 * The planner's domain services: campaigns and the ask/tell loop, lab robot sessions, simulation jobs,
 * and the {@link org.mihub.planning.service.Plan} a validated spec becomes. It must not import
 * protobuf or gRPC types directly; the other services are reached through {@code client}.
 */
package org.mihub.planning.service;
