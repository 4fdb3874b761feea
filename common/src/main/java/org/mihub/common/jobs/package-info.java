/**
 * Long jobs (training, simulations), run one way: {@code JobRunner} queues the work, records its
 * progress, beats its heartbeat, cancels it and ends it in a terminal state, FAILED at once on any
 * Throwable with a message the user can act on; {@code JobTable} moves the columns every service's
 * {@code job} table shares, over plain JDBC, and fails jobs whose process has gone. It must not
 * depend on Quarkus, CDI, gRPC or any service's types; a service hands it its data source.
 */
package org.mihub.common.jobs;
