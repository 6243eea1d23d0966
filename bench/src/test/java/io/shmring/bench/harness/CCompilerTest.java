package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finding the C compiler and building the C floor: a named compiler that does not exist is not found (the harness then
 * skips the floor with its note), a compiler that fails is reported with its exit code, and the system's compiler
 * builds an executable from the jar's source.
 */
class CCompilerTest
{
    @TempDir
    Path temp;

    @Test
    void shouldFindNoCompilerAtAPathThatDoesNotExist()
    {
        final Path missing = temp.resolve("no-such-cc");
        assertEquals(Optional.empty(), CCompiler.find(missing.toString()));
        assertEquals("--cc " + missing + " is not an executable", CCompiler.lookedFor(missing.toString()));
    }

    @Test
    void shouldFindNoCompilerByANameNotOnPath()
    {
        assertEquals(Optional.empty(), CCompiler.find("shmring-no-such-compiler"));
    }

    @Test
    void shouldReportACompilerThatFailsWithItsExitCode()
    {
        final Optional<CCompiler> failing = CCompiler.find("false");
        assumeTrue(failing.isPresent(), "no 'false' on PATH");
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> failing.get().build(temp));
        assertTrue(ex.getMessage().startsWith("C compiler failed with exit code 1"), ex.getMessage());
        assertFalse(Files.exists(temp.resolve("pingpong")));
    }

    @Test
    void shouldBuildAnExecutableFromTheJarsSource() throws Exception
    {
        final Optional<CCompiler> compiler = CCompiler.find(null);
        assumeTrue(compiler.isPresent(), "no C compiler: " + CCompiler.lookedFor(null));
        final Path program = compiler.get().build(temp);
        assertTrue(Files.isExecutable(program), program.toString());
        assertTrue(Files.readString(temp.resolve(CCompiler.SOURCE)).contains("FUTEX_WAIT"), "the source was written beside it");
    }
}
