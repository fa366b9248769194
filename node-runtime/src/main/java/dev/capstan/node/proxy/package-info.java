/**
 * The service proxy: a Netty L4 (TCP) proxy that binds each Service's virtual address and port and forwards
 * every connection to a ready endpoint, round-robin with failover, with back-pressure and per-service counters.
 */
package dev.capstan.node.proxy;
