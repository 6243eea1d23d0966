package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle-CPU table's pieces that need no child: reading utime + stime from a {@code /proc/PID/stat} line whose
 * command name holds spaces and parentheses, refusing a line that is not one, the clock-tick rate, a thread's
 * voluntary context switches, perf's count of system calls, and which transports it measures.
 */
class IdleCpuTest
{
    @Test
    void shouldAddUserAndSystemTicksAfterACommandNameWithSpacesAndParentheses()
    {
        final String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 999 0 0";
        assertEquals(1234 + 567, ProcCounters.cpuTicks(stat));
    }

    @Test
    void shouldRejectALineWithTooFewFieldsNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ProcCounters.cpuTicks("1 (x) S 1 2"));
        assertTrue(ex.getMessage().contains("stat=1 (x) S 1 2"), ex.getMessage());
    }

    @Test
    void shouldReadAPositiveClockTickRate()
    {
        assertTrue(ProcCounters.clockTicksPerSecond() > 0);
    }

    @Test
    void shouldReadVoluntaryContextSwitchesFromAThreadStatus()
    {
        final String status = "Name:\tjava\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t4321\n" +
            "nonvoluntary_ctxt_switches:\t17\n";
        assertEquals(4321, ProcCounters.voluntarySwitches(status));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ProcCounters.voluntarySwitches("Name:\tjava\n"));
        assertTrue(ex.getMessage().contains("Name:"), ex.getMessage());
    }

    @Test
    void shouldCountOurOwnThreadsSwitches()
    {
        assertTrue(ProcCounters.voluntarySwitches(ProcessHandle.current().pid()) >= 0);
    }

    @Test
    void shouldParsePerfsCountOfSystemCallsOrSayUnknown()
    {
        assertEquals(1234, SyscallCounter.parse("1234,,raw_syscalls:sys_enter,8000000000,100.00,,\n"));
        assertEquals(-1, SyscallCounter.parse("<not supported>,,raw_syscalls:sys_enter,0,100.00,,\n"));
        assertEquals(-1, SyscallCounter.parse("event syntax error: 'raw_syscalls:sys_enter'\n"));
    }

    @Test
    void shouldMeasureTheBlockingShmringSpscTransportsOnly()
    {
        assertTrue(IdleCpu.measures(Peers.byName("shmring-spsc-adaptive")));
        assertTrue(IdleCpu.measures(Peers.byName("shmring-spsc-sleep")));
        assertTrue(IdleCpu.measures(Peers.byName("shmring-spsc-futex")));
        assertFalse(IdleCpu.measures(Peers.byName("shmring-spsc")));
        assertFalse(IdleCpu.measures(Peers.byName("shmring-mpsc")));
        assertFalse(IdleCpu.measures(Peers.byName(CPingPong.FUTEX)));
    }
}
