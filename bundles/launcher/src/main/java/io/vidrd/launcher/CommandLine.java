package io.vidrd.launcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: {@code vidrd COMMAND [positional...] [--option value | --option=value
 * | --flag]}. Which options exist depends on the command; anything else is a usage error.
 */
final class CommandLine {

    private final String command;
    private final List<String> positional;
    private final Map<String, String> options;

    private CommandLine(String command, List<String> positional, Map<String, String> options) {
        this.command = command;
        this.positional = positional;
        this.options = options;
    }

    /**
     * @param args the raw arguments
     * @param valueOptions options that take a value, per command ({@code "*"} applies to all)
     * @param flags options without a value, per command ({@code "*"} applies to all)
     * @return the parsed line
     * @throws UsageException for a missing command, an unknown option or a missing value
     */
    static CommandLine parse(String[] args, Map<String, Set<String>> valueOptions, Map<String, Set<String>> flags)
            throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        String command = args[0];
        if (!valueOptions.containsKey(command) && !flags.containsKey(command)) {
            throw new UsageException("unknown command '" + command + "'");
        }
        Set<String> values = union(valueOptions, command);
        Set<String> flagSet = union(flags, command);
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i].equals("-o") ? "--output" : args[i];
            if (a.equals("--")) {
                positional.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                    throw new UsageException("unknown option '" + a + "' for '" + command + "'");
                }
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flagSet.contains(name)) {
                if (value != null) {
                    throw new UsageException("option '--" + name + "' takes no value");
                }
                options.put(name, "true");
            } else if (values.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option '--" + name + "' needs a value");
                    }
                    value = args[++i];
                }
                options.put(name, value);
            } else {
                throw new UsageException("unknown option '--" + name + "' for '" + command + "'");
            }
        }
        return new CommandLine(command, Collections.unmodifiableList(positional), Collections.unmodifiableMap(options));
    }

    private static boolean isNumber(String s) {
        return s.matches("-\\d+(\\.\\d+)?");
    }

    private static Set<String> union(Map<String, Set<String>> byCommand, String command) {
        Set<String> all = new java.util.HashSet<>(byCommand.getOrDefault("*", Set.of()));
        all.addAll(byCommand.getOrDefault(command, Set.of()));
        return all;
    }

    String command() {
        return command;
    }

    List<String> positional() {
        return positional;
    }

    Map<String, String> options() {
        return options;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }
}
