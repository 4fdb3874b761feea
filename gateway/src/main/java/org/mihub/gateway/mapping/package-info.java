/**
 * Between the REST shapes (JSON views, query parameters) and the backends' protobuf contracts, and
 * materials as OPTIMADE entries; bad enum values and misplaced fields are refused here with the field
 * named. It must not call the backends itself, nor hold access rules: the backends decide.
 */
package org.mihub.gateway.mapping;
