/**
 * A client of the OCI Distribution API as registries really behave ({@link
 * io.jenkins.plugins.gitops.core.registry.RegistryClient}): the authentication challenge, Bearer tokens, Basic and
 * anonymous access, tag lists, manifests and image configurations. Plain Java on the JDK's {@code HttpClient}, so that
 * the Jenkins plugin uses it as the command line does.
 */
package io.jenkins.plugins.gitops.core.registry;
