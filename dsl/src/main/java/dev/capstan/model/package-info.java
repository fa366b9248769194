/**
 * Capstan's objects, in Kubernetes' JSON shape (a subset of fields), so that kubectl and
 * {@code capstan export} read them without a second format. Records are immutable; change them with
 * their {@code with*} methods. Serialize with {@link dev.capstan.model.Json}.
 */
package dev.capstan.model;
