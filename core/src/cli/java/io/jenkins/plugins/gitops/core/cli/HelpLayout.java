package io.jenkins.plugins.gitops.core.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The help text of every command, laid out so that a line breaks only between words: an image name, a key path, a URL
 * or an option stays whole (picocli's own layout breaks after a '.' or a ':'). The command list gives one line per
 * command, and examples keep their lines as written.
 */
final class HelpLayout {

    /** Where option descriptions start, as in picocli's layout. */
    private static final int DESCRIPTION_COLUMN = 29;

    private HelpLayout() {}

    /** Applies the layout to {@code commandLine} and every subcommand. */
    static void apply(CommandLine commandLine) {
        Map<String, CommandLine.IHelpSectionRenderer> sections = commandLine.getHelpSectionMap();
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS, HelpLayout::synopsis);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, HelpLayout::description);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, help -> argumentList(help, help.commandSpec().positionalParameters()));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> argumentList(help, options(help.commandSpec())));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST, HelpLayout::exitCodes);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commands);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
        // a subcommand's header is its line in the command list; its own help starts with the usage line
        List<String> keys = new ArrayList<>(commandLine.getHelpSectionKeys());
        if (commandLine.getParent() != null) {
            keys.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
            keys.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER);
        }
        commandLine.setHelpSectionKeys(keys);
        commandLine.getSubcommands().values().forEach(HelpLayout::apply);
    }

    /** {@code Usage: gitops sync [APP] [OPTIONS]}: the arguments and the required options; the rest are listed below. */
    private static String synopsis(Help help) {
        CommandSpec spec = help.commandSpec();
        StringBuilder line = new StringBuilder(spec.qualifiedName());
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            line.append(positional.arity().min() > 0 ? " " + positional.paramLabel() : " [" + positional.paramLabel() + "]");
        }
        for (OptionSpec option : spec.options()) {
            if (option.required()) {
                line.append(' ').append(option.longestName()).append(' ').append(option.paramLabel());
            }
        }
        line.append(spec.subcommands().isEmpty() ? " [OPTIONS]" : " [OPTIONS] COMMAND");
        return wrap(line.toString(), width(help), 8, "Usage: ".length()) + "\n";
    }

    private static String description(Help help) {
        StringBuilder text = new StringBuilder();
        for (String paragraph : help.commandSpec().usageMessage().description()) {
            text.append(wrap(paragraph, width(help), 0, 0)).append('\n');
        }
        return text.toString();
    }

    private static List<OptionSpec> options(CommandSpec spec) {
        List<OptionSpec> options = new ArrayList<>();
        List<OptionSpec> standard = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                (option.usageHelp() || option.versionHelp() ? standard : options).add(option);
            }
        }
        options.addAll(standard);
        return options;
    }

    /** One entry per argument: its names, then its description from column 29, on the next line when the names are long. */
    private static String argumentList(Help help, List<? extends ArgSpec> arguments) {
        StringBuilder text = new StringBuilder();
        for (ArgSpec argument : arguments) {
            if (argument.hidden()) {
                continue;
            }
            String names = "  " + names(argument);
            String description = String.join(" ", argument.description());
            if (names.length() > DESCRIPTION_COLUMN - 2) {
                text.append(names).append('\n').append(" ".repeat(DESCRIPTION_COLUMN));
            } else {
                text.append(names).append(" ".repeat(DESCRIPTION_COLUMN - names.length()));
            }
            text.append(wrap(description, width(help), DESCRIPTION_COLUMN + 2, DESCRIPTION_COLUMN)).append('\n');
        }
        return text.toString();
    }

    private static String names(ArgSpec argument) {
        if (argument instanceof PositionalParamSpec positional) {
            return "    " + (positional.arity().min() > 0 ? positional.paramLabel() : "[" + positional.paramLabel() + "]");
        }
        OptionSpec option = (OptionSpec) argument;
        List<String> shortNames = new ArrayList<>();
        List<String> longNames = new ArrayList<>();
        for (String name : option.names()) {
            (name.startsWith("--") ? longNames : shortNames).add(name);
        }
        String all = String.join(", ", shortNames.isEmpty() ? longNames : concat(shortNames, longNames));
        String value = option.typeInfo().isBoolean() ? "" : "=" + option.paramLabel();
        return (shortNames.isEmpty() ? "    " : "") + all + value;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String exitCodes(Help help) {
        StringBuilder text = new StringBuilder();
        help.commandSpec().usageMessage().exitCodeList().forEach((code, meaning) -> {
            String start = "  " + code.strip();
            text.append(start).append(" ".repeat(Math.max(1, 6 - start.length())))
                    .append(wrap(meaning, width(help), 8, 6)).append('\n');
        });
        return text.toString();
    }

    /** One line per command: its name and its header. */
    private static String commands(Help help) {
        Map<String, Help> subcommands = help.subcommands();
        int nameWidth = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
        return subcommands.entrySet().stream()
                .map(entry -> "  " + entry.getKey() + " ".repeat(nameWidth - entry.getKey().length() + 2)
                        + firstLine(entry.getValue().commandSpec()))
                .collect(Collectors.joining("\n", "", subcommands.isEmpty() ? "" : "\n"));
    }

    private static String firstLine(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] description = spec.usageMessage().description();
        return header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
    }

    /** Examples as written: a command line is never re-wrapped. */
    private static String footer(Help help) {
        String[] footer = help.commandSpec().usageMessage().footer();
        return footer.length == 0 ? "" : String.join("\n", footer) + "\n";
    }

    private static int width(Help help) {
        return help.commandSpec().usageMessage().width();
    }

    /**
     * Fills words into lines of at most {@code width} characters, breaking only at spaces; a word longer than a line
     * gets a line of its own. Spaces inside a line stay as written ({@code file:line  kind}).
     *
     * @param indent the column where continuation lines start
     * @param start the column where the first line starts (the caller has printed up to it)
     */
    static String wrap(String text, int width, int indent, int start) {
        StringBuilder out = new StringBuilder();
        int column = start;
        boolean lineHasWord = false;
        for (String word : text.strip().split(" ")) {
            if (word.isEmpty()) { // a second space in a row
                if (lineHasWord) {
                    out.append(' ');
                    column++;
                }
                continue;
            }
            if (lineHasWord && column + 1 + word.length() > width) {
                out.append('\n').append(" ".repeat(indent));
                column = indent;
                lineHasWord = false;
            }
            if (lineHasWord) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
            lineHasWord = true;
        }
        return out.toString();
    }
}
