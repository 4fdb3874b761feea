/**
 * The digital twin: a planning strategy run against a recorded pool whose known values answer every
 * proposal, for one objective or a Pareto pair, over many seeds, with the figures a user compares
 * strategies by. Pure computation on the planner's domain types: it must not import Quarkus, CDI,
 * gRPC, protobuf or the database; {@code service} runs it as a job.
 */
package org.mihub.planning.simulation;
