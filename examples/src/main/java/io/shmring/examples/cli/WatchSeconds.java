package io.shmring.examples.cli;

import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Map;
import java.util.Stack;

/**
 * {@code --watch [SECONDS]}: the optional value is taken only if the next argument is a number, so
 * {@code stat --watch /dev/shm/md} watches that ring every second instead of reading its path as the seconds.
 */
final class WatchSeconds implements IParameterPreprocessor
{
    @Override
    public boolean preprocess(final Stack<String> args, final CommandSpec commandSpec, final ArgSpec argSpec,
        final Map<String, Object> info)
    {
        if ("=".equals(info.get("separator")))
        {
            return false; // --watch=VALUE: the value was given explicitly; let picocli convert (and refuse) it
        }
        if (args.isEmpty() || !isNumber(args.peek()))
        {
            argSpec.setValue(Double.valueOf(((OptionSpec)argSpec).fallbackValue())); // no value: the default period
            return true;
        }
        return false; // a number follows: picocli takes it as the value
    }

    private static boolean isNumber(final String text)
    {
        try
        {
            Double.parseDouble(text);
            return true;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }
}
