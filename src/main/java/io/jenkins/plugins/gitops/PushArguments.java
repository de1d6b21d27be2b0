package io.jenkins.plugins.gitops;

/** The arguments {@code gitopsPush} and the "Push GitOps repository changes" build step share. */
interface PushArguments {

    String getDir();

    String getRepo();

    String getCredentialsId();

    String getBranch();

    String getMessage();

    String getAuthorName();

    String getAuthorEmail();

    int getAttempts();
}
