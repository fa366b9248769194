/** Benchmarks that print {@code BENCH <metric> <value> <unit>} lines; each is a self-contained class with a main. */
package dev.capstan.bench;
