package io.jenkins.plugins.gitops;

import hudson.EnvVars;
import hudson.model.TaskListener;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.DescribableModel;

/**
 * Build variables in a freestyle build step's arguments ({@code 1.0.${BUILD_NUMBER}}, a parameter in a repository
 * URL): every string argument of the step is expanded, through the step's data-bound model, so that an argument added
 * to a step later is expanded too without anyone listing it here.
 */
final class BuildVariables {

    private BuildVariables() {}

    /** A copy of {@code step} with {@code env} expanded in each of its string arguments. */
    static <S> S expanded(S step, EnvVars env, TaskListener listener) {
        @SuppressWarnings("unchecked")
        DescribableModel<S> model = DescribableModel.of((Class<S>) step.getClass());
        Map<String, Object> arguments = new LinkedHashMap<>();
        model.uninstantiate2(step).getArguments()
                .forEach((name, value) -> arguments.put(name, value instanceof String s ? env.expand(s) : value));
        return model.instantiate(arguments, listener);
    }
}
