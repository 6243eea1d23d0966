package io.shmring.core.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The name of a creator's temporary file, {@code .<name>.<pid>.<hex>.creating} (docs/LAYOUT.md 2.1): the form Java
 * writes, and the forms a creator's sweep (and {@code shmring clean}) takes for temporaries, which is all a peer written
 * in another language has to go by.
 */
class CreationTemporaryNameTest
{
    private static final Path RING = Path.of("/dev/shm/md.v2");

    @Test
    void shouldWriteThePidInDecimalAndOneToSixteenLowercaseHexDigits()
    {
        final Pattern written = Pattern.compile(Pattern.quote(".md.v2." + ProcessHandle.current().pid() + ".") +
            "[0-9a-f]{1,16}" + Pattern.quote(".creating"));
        for (int i = 0; i < 1000; i++)
        {
            final Path temporary = CreationTemporaries.temporaryFor(RING);
            assertEquals(RING.getParent(), temporary.getParent(), "same directory");
            final String name = temporary.getFileName().toString();
            assertTrue(written.matcher(name).matches(), name);
            assertTrue(CreationTemporaries.isTemporary(temporary, "md.v2"), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { ".md.v2.4242.0.creating", ".md.v2.4242.7fffffffffffffff.creating", ".md.v2.4242.DEADbeef.creating",
        ".md.v2.1.a.creating", ".md.v2.123456789012345678.a.creating" })
    void shouldTakeDecimalPidAndAsciiHexOfEitherCaseForATemporary(final String name)
    {
        assertTrue(CreationTemporaries.isTemporary(RING.resolveSibling(name), "md.v2"), name);
        assertTrue(CreationTemporaries.isTemporary(RING.resolveSibling(name), null), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ".md.v2.4242.zzzzqq.creating", // "random" that is not hex
        ".md.v2.4242.\u0663\u0663.creating", // Arabic-Indic digits: hex to Character.digit, not to the protocol
        ".md.v2.4242.\uff21\uff22.creating", // full-width A and B
        ".md.v2.4242.0123456789abcdef0.creating", // 17 hex digits
        ".md.v2.4242..creating", // no hex at all
        ".md.v2.0.ab.creating", // pid 0
        ".md.v2.-4242.ab.creating", // a sign
        ".md.v2.1234567890123456789.ab.creating", // 19 pid digits
        ".md.v2.\u0664\u0662.ab.creating", // a pid in other digits
        "md.v2.4242.ab.creating", // no leading dot
        ".md.v2.4242.ab.creatin" })
    void shouldRefuseEveryOtherNameAsATemporary(final String name)
    {
        assertFalse(CreationTemporaries.isTemporary(RING.resolveSibling(name), null), name);
    }

    @Test
    void shouldMatchOnlyTheTargetNameGivenParsingFromTheRight()
    {
        final Path temporary = RING.resolveSibling(".md.v2.4242.ab.creating");
        assertTrue(CreationTemporaries.isTemporary(temporary, "md.v2"), "a name with dots is taken whole");
        assertFalse(CreationTemporaries.isTemporary(temporary, "md"), "another ring's name");
        assertFalse(CreationTemporaries.isTemporary(temporary, "v2"), "another ring's name");
    }
}
