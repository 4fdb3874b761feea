/**
 * Featurisers: versioned strategies that turn a composition into a fixed-length vector (Magpie-style
 * element statistics with ionic attributes, element fractions), looked up by id and version so a model
 * records which one built it, and the element-property table they read. Pure Java on common's
 * chemistry: it must not import Quarkus, CDI, MicroProfile, gRPC or protobuf types.
 */
package org.mihub.prediction.features;
