/**
 * Between the prediction contract and the service's own types: training requests and hyper-parameters
 * checked field by field against the server's limits, models, jobs and predictions back to the wire.
 * It must run no SQL, make no outbound calls and hold no access rules.
 */
package org.mihub.prediction.mapping;
