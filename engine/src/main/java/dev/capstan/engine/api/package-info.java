/**
 * Capstan's API server: Kubernetes-shaped HTTP/JSON over the {@link dev.capstan.engine.store.StateStore}
 * (discovery, list/get/watch/create/update/delete, server-side tables, pod logs), so that kubectl works.
 * Public here: {@link dev.capstan.engine.api.ApiServer} and its hooks; everything else is internal.
 */
package dev.capstan.engine.api;
