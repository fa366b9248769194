/** {@code capstan up}: the whole system in one process, and the progress it prints. */
package dev.capstan.cli.up;
