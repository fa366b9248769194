/**
 * Benchmark cores: self-contained classes that measure one thing and print {@code BENCH <metric> <value> <unit>}
 * lines; the {@code bench/run} harness registers them.
 */
package dev.capstan.bench;
