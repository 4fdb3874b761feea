/**
 * The planner's outbound gRPC calls, always as the caller: catalog reads (catalog candidates, prior
 * data), result writes to the campaign's results dataset, and predictions of prediction-service
 * models. Protobuf types of the other services stop here; it must not hold campaign rules.
 */
package org.mihub.planning.client;
