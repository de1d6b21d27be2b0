package io.jenkins.plugins.gitops.core.manifest;

/** Which shape of file an edit looks for images in. */
public enum TargetKind {
    /**
     * Recognise each file by its name and content: kustomizations, workloads, Argo CD Applications,
     * {@code .argocd-source*.yaml} files and Helm values files ({@code *values*.yaml}). Only existing
     * references are updated; nothing is added.
     */
    AUTO,
    /**
     * Kustomization files only, with {@code kustomize edit set image} semantics: an {@code images:} entry is
     * added (and the {@code images:} key created) when no entry names the image.
     */
    KUSTOMIZATION,
    /** Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and Pod container images. */
    WORKLOAD,
    /** Helm values files: the request's Helm key paths, or the common image shapes by default. */
    HELM_VALUES,
    /** Argo CD Application (and ApplicationSet template) {@code kustomize.images} and {@code helm.parameters}. */
    APPLICATION,
    /** The Image Updater write-back file {@code .argocd-source-<app>.yaml}: created when missing, upserted when present. */
    ARGOCD_SOURCE,
    /** Any YAML or JSON file: only the scalars at the request's explicit key paths. */
    KEY_PATH
}
