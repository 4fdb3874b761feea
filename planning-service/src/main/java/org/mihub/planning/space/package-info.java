/**
 * Design spaces and their points: explicit candidates, composition grids and sampled simplices within
 * element bounds, process parameters, linear, count and excluded-element constraints, the encoding
 * into the unit cube and the violation of each rule. Pure Java on the JDK alone: it must not import
 * Quarkus, CDI, MicroProfile, gRPC or protobuf types.
 */
package org.mihub.planning.space;
