/** Metrics as Prometheus text, for the API server's {@code GET /metrics}. */
package dev.capstan.engine.metrics;
