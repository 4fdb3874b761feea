/**
 * OPTIMADE provider prefixes: mihub's own {@code _mihub_} names and how the prefix of a field or
 * parameter is read, shared by the catalog's filters and the gateway's OPTIMADE API so both agree.
 * Plain Java with no dependencies: it must not import Quarkus, gRPC or protobuf types.
 */
package org.mihub.common.optimade;
