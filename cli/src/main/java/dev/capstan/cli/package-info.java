/** The {@code capstan} command: one picocli subcommand per verb, and the all-in-one {@code up}. */
package dev.capstan.cli;
