/**
 * {@code capstan plan}: what a change between two commits would do, computed without touching a cluster.
 * Pure: pairs and diffs compiled objects, collects policy verdicts, simulates placement; never imports apply code.
 */
package dev.capstan.gitsync.plan;
