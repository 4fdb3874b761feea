/**
 * The catalog's domain: datasets and their sharing and embargo rules, material search and reads,
 * export, OPTIMADE structure queries, the property vocabulary and usage accounting, every operation
 * checked against the caller's organisation and roles. It must not import protobuf or gRPC types (that
 * is {@code mapping}'s work) nor Quarkus gRPC.
 */
package org.mihub.catalog.service;
