package io.jenkins.plugins.gitops.core.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the tool in-process as {@link Main#main} does, with a given environment (none by default), capturing its output. */
final class Gitops {

    private Gitops() {}

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new Environment(environment), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    record Result(int exit, String out, String err) {

        /** The first line on stderr, where a failure is named. */
        String errLine() {
            return err.lines().findFirst().orElse("");
        }

        /** The last line on stderr, where a failed command names why it stopped. */
        String lastErrLine() {
            return err.lines().reduce((first, second) -> second).orElse("");
        }
    }
}
