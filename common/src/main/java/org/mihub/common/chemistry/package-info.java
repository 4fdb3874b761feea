/**
 * Chemical formulas and compositions: the formula parser with its positioned errors, the immutable
 * composition with its reduced and atomic-fraction forms, and the element table read from the
 * generated resource. Pure Java on the JDK alone: it must not import Quarkus, CDI, MicroProfile, gRPC
 * or protobuf types, so that every service, the gateway and the benchmarks parse formulas the same way
 * and it can be tested alone.
 */
package org.mihub.common.chemistry;
