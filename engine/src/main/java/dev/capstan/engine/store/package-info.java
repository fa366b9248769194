/**
 * The state store: {@link dev.capstan.engine.store.StateStore} and its Hazelcast implementation
 * ({@link dev.capstan.engine.store.HazelcastStateStore}). Writes are compare-and-set on resourceVersion.
 */
package dev.capstan.engine.store;
