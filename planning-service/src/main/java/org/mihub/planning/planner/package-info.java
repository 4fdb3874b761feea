/**
 * The one propose step: {@code BatchPlanner} fits the surrogate to what was observed (Gaussian
 * processes, or prediction models with a process on their residuals), scores the candidates by the
 * acquisition and picks a batch, for campaigns and for both digital twins alike; {@code WarmStarts}
 * is how a simulation refits its processes cheaply between random restarts. Pure computation on the
 * planner's domain types ({@code acquisition}, {@code service.Plan}): it must not import Quarkus,
 * CDI, gRPC, protobuf or the database, and it calls no other service; the caller gives it the
 * candidates encoded and the models' predictions already asked.
 */
package org.mihub.planning.planner;
