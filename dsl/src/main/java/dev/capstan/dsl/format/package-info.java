/**
 * {@code capstan fmt}: one canonical layout for {@code .cap} files ({@link dev.capstan.dsl.format.Formatter}).
 * Idempotent, keeps every comment, and refuses files with syntax errors.
 */
package dev.capstan.dsl.format;
