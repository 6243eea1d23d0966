package io.shmring.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * What a JVM running Chronicle Queue needs on Java 17+: its exports and opens (without
 * {@code sun.nio.ch} it maps queue files read-only), and its analytics and disk-space monitor off.
 * The shaded harness jar carries the same exports and opens as manifest entries.
 */
final class ChronicleFlags
{
    /** Module flags, in {@code --add-exports=...} form. */
    static final List<String> MODULE_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED");

    /** System properties, set in children by flag and in the harness before Chronicle loads. */
    static final List<String> PROPERTIES = List.of(
        "chronicle.analytics.disable=true",
        "chronicle.disk.monitor.disable=true");

    private ChronicleFlags()
    {
    }

    /**
     * @return the module flags and the properties as {@code -D} flags.
     */
    static List<String> jvmFlags()
    {
        final List<String> flags = new ArrayList<>(MODULE_FLAGS);
        for (final String property : PROPERTIES)
        {
            flags.add("-D" + property);
        }
        return flags;
    }

    /**
     * Set the properties in this JVM; call before any Chronicle class loads.
     */
    static void applyProperties()
    {
        for (final String property : PROPERTIES)
        {
            final int equals = property.indexOf('=');
            System.setProperty(property.substring(0, equals), property.substring(equals + 1));
        }
    }
}
