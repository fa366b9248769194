/**
 * The state store: {@link dev.capstan.engine.store.StateStore} and its Hazelcast implementation.
 * Writes are compare-and-set on resourceVersion.
 */
package dev.capstan.engine.store;
