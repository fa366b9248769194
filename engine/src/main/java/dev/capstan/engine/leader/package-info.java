/**
 * Leader election without Hazelcast's CP subsystem (Enterprise-only): the oldest member leads, and each new
 * leader bumps a fencing term that the store checks on every write of the leader's store view.
 */
package dev.capstan.engine.leader;
