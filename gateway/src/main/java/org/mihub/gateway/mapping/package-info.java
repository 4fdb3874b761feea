/**
 * The planning API's JSON: campaign and simulation bodies and answers are the protobuf JSON mapping
 * of the planning contract ({@code PlanningJson}). Every other mapping between views and the
 * contracts lives in {@code client}. It depends only on {@code error}.
 */
package org.mihub.gateway.mapping;
