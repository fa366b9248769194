/** The HTTP client of Capstan's API server, for node agents and the {@code capstan} command. */
package dev.capstan.engine.client;
