/**
 * Implementation detail shared by the runtimes (finding host binaries, running short commands).
 * Not an API: may change without notice.
 */
package dev.capstan.node.runtime.internal;
