/**
 * Benchmarks, run by hand and never as tests: catalog ingest and search at scale, the gateway's
 * overhead, the Matbench composition tasks for mihub's models, the planner next to its Python
 * peer, and the soak: minutes of mixed load at a fixed rate with each process's memory at start
 * and end. Each prints its figures and writes them to a results file. It may use any module, since it
 * measures them; no module of the suite may depend on it.
 */
package org.mihub.bench;
