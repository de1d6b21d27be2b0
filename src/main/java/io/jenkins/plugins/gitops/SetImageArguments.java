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
}
