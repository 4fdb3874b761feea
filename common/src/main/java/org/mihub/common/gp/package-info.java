/**
 * The Gaussian process regression that prediction's small-data model and planning's surrogate share:
 * the ARD Matérn 5/2 process, its hyper-parameters by marginal likelihood with a box-constrained
 * L-BFGS, the Cholesky steps and the output power transform. Pure numerical Java on EJML: it must not
 * import Quarkus, CDI, MicroProfile, gRPC or protobuf types, nor any service's classes, so it can be
 * unit-tested and benchmarked alone.
 */
package org.mihub.common.gp;
