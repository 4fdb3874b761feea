/**
 * The shapes the gateway speaks, shared by the REST layer and the clients: JSON views of datasets,
 * materials, models, jobs, usage and the caller, the input views of request bodies and searches, and
 * OPTIMADE structures entries and fields. Plain records with Jackson annotations only; no contract,
 * protobuf or gRPC type, and no other gateway package.
 */
package org.mihub.gateway.view;
