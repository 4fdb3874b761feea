/**
 * Between the planning contract and the planner's domain: campaign specs checked field by field into a
 * {@code Plan} (every problem with its path), campaigns, proposals and simulation reports back to the
 * wire, catalog materials as prior observations, and the stored protobuf documents. It must hold no
 * SQL and make no outbound calls.
 */
package org.mihub.planning.mapping;
