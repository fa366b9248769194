/**
 * Git to cluster: {@link dev.capstan.gitsync.GitWatcher} follows a branch and a path, compiles each new
 * commit and hands it to {@link dev.capstan.gitsync.RevisionApplier}, which applies it whole or records
 * it as rejected while the last good revision keeps running.
 */
package dev.capstan.gitsync;
