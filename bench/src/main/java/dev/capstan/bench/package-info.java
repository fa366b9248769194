/**
 * Capstan's benchmarks: {@code bench/run NAME [--key value ...]} runs one and prints {@code BENCH metric value
 * unit} lines and a one-line summary on stdout, progress on stderr. Speed and memory are measured here, never
 * by timed assertions in tests.
 */
package dev.capstan.bench;
