package io.jenkins.plugins.gitops;

/** The arguments {@code gitopsSetImage} and the "Set image in GitOps repository" build step share. */
interface SetImageArguments {

    String getImage();

    String getTag();

    String getDigest();

    String getNewName();

    String getRepo();

    String getCredentialsId();

    String getBranch();

    int getDepth();

    String getDir();

    String getPath();

    String getKind();

    String getKey();

    String getHelmKey();

    String getArgocdSource();

    /** {@code git} (default) or {@code argocd}: override the Application's kustomize image or Helm parameters instead. */
    String getWriteBack();

    /** For the {@code argocd} write-back: the application and where it is reached (as for {@code gitopsSync}). */
    String getApp();

    String getServer();

    String getKubeconfigCredentialsId();

    boolean isKubernetes();

    String getNamespace();
}
