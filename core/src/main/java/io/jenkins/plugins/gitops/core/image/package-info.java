/**
 * Container image references: parsing and formatting by the distribution reference grammar
 * {@code [registry[:port]/]path[:tag][@digest]}, and the normalised identity used to decide whether two
 * references name the same image.
 */
package io.jenkins.plugins.gitops.core.image;
