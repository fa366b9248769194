/**
 * {@code capstan export}: compiled objects as Kubernetes manifests ({@link dev.capstan.dsl.export.Manifests}):
 * multi-document YAML or one JSON {@code List}, without status or server-set metadata.
 */
package dev.capstan.dsl.export;
