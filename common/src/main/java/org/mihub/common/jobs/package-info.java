/**
 * Liveness of long jobs in a service's own {@code job} table over plain JDBC ({@link
 * org.mihub.common.jobs.JobHeartbeat}): the running process touches its jobs, and a job whose process
 * has gone is failed as abandoned. It must not depend on Quarkus, CDI, gRPC or any service's types; a
 * service hands it its data source.
 */
package org.mihub.common.jobs;
