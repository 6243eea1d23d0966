package io.shmring.sync.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registration's decision against stand-ins for the kernel (each way membarrier can be unavailable), and the real
 * registration of this JVM.
 */
class MembarrierTest
{
    private static final long ALL_COMMANDS = 0x3ff;

    @Test
    void shouldRegisterWhenTheKernelListsBothGlobalExpeditedCommands()
    {
        final List<Integer> calls = new ArrayList<>();
        assertNull(Membarrier.decide(command ->
        {
            calls.add(command);
            return command == Membarrier.CMD_QUERY ? ALL_COMMANDS : 0;
        }));
        assertEquals(List.of(Membarrier.CMD_QUERY, Membarrier.CMD_REGISTER_GLOBAL_EXPEDITED), calls);
    }

    @Test
    void shouldStayUnregisteredWhenTheSystemCallIsMissingOrFiltered()
    {
        // ENOSYS: a kernel without membarrier, or a seccomp filter answering ENOSYS; EPERM: a filter refusing it
        assertReason("MEMBARRIER_CMD_QUERY failed: errno=38 (ENOSYS)", command -> -Errno.ENOSYS);
        assertReason("MEMBARRIER_CMD_QUERY failed: errno=1 (EPERM)", command -> -Errno.EPERM);
    }

    @Test
    void shouldStayUnregisteredWhenTheQueryLacksACommand()
    {
        // a 4.14 kernel lists GLOBAL and the private expedited commands only (0x19)
        assertReason("the kernel lacks the global expedited commands: MEMBARRIER_CMD_QUERY mask=0x19",
            command -> command == Membarrier.CMD_QUERY ? 0x19 : 0);
        assertReason("the kernel lacks the global expedited commands: MEMBARRIER_CMD_QUERY mask=0x3fb",
            command -> command == Membarrier.CMD_QUERY ? ALL_COMMANDS & ~Membarrier.CMD_REGISTER_GLOBAL_EXPEDITED : 0);
    }

    @Test
    void shouldStayUnregisteredWhenTheRegistrationFails()
    {
        assertReason("MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED failed: result=-22 (EINVAL)",
            command -> command == Membarrier.CMD_QUERY ? ALL_COMMANDS : -Errno.EINVAL);
        assertReason("MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED failed: result=-12 (ENOMEM)",
            command -> command == Membarrier.CMD_QUERY ? ALL_COMMANDS : -Errno.ENOMEM);
    }

    @Test
    void shouldIssueTheBarrierExactlyWhenThisProcessRegistered()
    {
        // on this machine (Linux >= 4.16, no filter) both are true; where membarrier is unavailable both are false
        final boolean registered = Membarrier.isRegistered();
        assertEquals(registered, Membarrier.unavailableReason() == null, String.valueOf(Membarrier.unavailableReason()));
        assertEquals(registered, Membarrier.barrier(), "a registered process's global expedited barrier must succeed");
        assertEquals(registered, Membarrier.barrier(), "and again");
    }

    private static void assertReason(final String expected, final Membarrier.Call kernel)
    {
        final String reason = Membarrier.decide(kernel);
        assertEquals(expected, reason);
        assertTrue(!reason.isEmpty());
    }
}
