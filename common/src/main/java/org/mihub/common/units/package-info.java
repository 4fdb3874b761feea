/**
 * Unit symbols (UCUM) and conversions between them, by the JSR-385 reference implementation: parsing
 * with clear errors and converters that refuse incompatible dimensions. No service writes conversion
 * factors by hand. It must not depend on Quarkus, CDI, gRPC or protobuf types.
 */
package org.mihub.common.units;
