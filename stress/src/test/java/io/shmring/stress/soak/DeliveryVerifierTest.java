package io.shmring.stress.soak;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The soak's verdict must be able to fail: each fault the rule names is shown to be counted, and the
 * one allowance (a killed incarnation's unrecorded last commit) is shown to be exactly one message wide.
 */
class DeliveryVerifierTest
{
    private static final int PRODUCER = 2;
    private static final int FILLER = 13;

    private final UnsafeBuffer message = new UnsafeBuffer(new byte[SoakMessage.HEADER_LENGTH + 64]);
    private CommitLog log;
    private DeliveryVerifier verifier;
    private int incarnation;

    @BeforeEach
    void setUp()
    {
        log = CommitLog.allocateDirect(8);
        verifier = new DeliveryVerifier(log);
        incarnation = log.startIncarnation(PRODUCER);
        log.markRegistered(incarnation, 1234);
    }

    @Test
    void shouldPassStoppedIncarnationWhoseRecordMatchesWhatArrived()
    {
        deliver(0, 1, 2);
        stop(3);
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        assertEquals(0, verdict.violations(), verdict.line(0));
        assertEquals(3, verdict.messages());
        assertEquals(1, verdict.stopped());
        assertEquals(0, verdict.killed());
    }

    @Test
    void shouldAllowKilledIncarnationOneCommittedButUnrecordedMessage()
    {
        deliver(0, 1, 2);
        log.recordCommitted(incarnation, 2);
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        assertEquals(0, verdict.violations(), verdict.line(0));
        assertEquals(1, verdict.killed());
        assertEquals(1, verdict.unrecordedCommits());
    }

    @Test
    void shouldCountMessagesBeyondTheUnrecordedOneAsUnaccounted()
    {
        deliver(0, 1, 2, 3);
        log.recordCommitted(incarnation, 2);
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        assertEquals(1, verdict.unaccounted(), verdict.line(0));
        assertEquals(1, verdict.violations());
    }

    @Test
    void shouldGiveStoppedIncarnationNoUnrecordedAllowance()
    {
        deliver(0, 1, 2);
        stop(2);
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        assertEquals(1, verdict.unaccounted(), verdict.line(0));
    }

    @Test
    void shouldCountRecordedButUndeliveredMessagesAsLost()
    {
        deliver(0, 1);
        log.recordCommitted(incarnation, 5);
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        assertEquals(3, verdict.lost(), verdict.line(0));
    }

    @Test
    void shouldCountRepeatedSequenceAsDuplicate()
    {
        deliver(0, 1, 1, 2);
        stop(3);
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        assertEquals(1, verdict.duplicated(), verdict.line(0));
        assertEquals(1, verdict.violations());
    }

    @Test
    void shouldCountSkippedSequencesAsGapAndLoss()
    {
        deliver(0, 3, 4);
        stop(5);
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        assertEquals(1, verdict.gaps(), verdict.line(0));
        assertEquals(2, verdict.lost());
    }

    @Test
    void shouldCountOutOfOrderDeliveryAsViolation()
    {
        deliver(0, 2, 1);
        stop(3);
        final DeliveryVerifier.Verdict verdict = verifier.finish();
        assertEquals(1, verdict.gaps(), verdict.line(0));
        assertEquals(1, verdict.duplicated());
    }

    @Test
    void shouldCountFlippedByteAsCorrupt()
    {
        final int length = SoakMessage.write(message, 0, PRODUCER, incarnation, 0, FILLER);
        message.putByte(SoakMessage.FILLER_OFFSET + 5, (byte)(message.getByte(SoakMessage.FILLER_OFFSET + 5) ^ 1));
        verifier.onMessage(SoakMessage.TYPE_ID, message, 0, length);
        assertEquals(1, verifier.finish().corrupt());
    }

    @Test
    void shouldCountChangedSequenceAsCorrupt()
    {
        final int length = SoakMessage.write(message, 0, PRODUCER, incarnation, 0, FILLER);
        message.putLong(SoakMessage.SEQUENCE_OFFSET, 1);
        verifier.onMessage(SoakMessage.TYPE_ID, message, 0, length);
        assertEquals(1, verifier.finish().corrupt());
    }

    @Test
    void shouldCountMessageOfUnstartedIncarnationAsForeign()
    {
        final int length = SoakMessage.write(message, 0, PRODUCER, incarnation + 1, 0, FILLER);
        verifier.onMessage(SoakMessage.TYPE_ID, message, 0, length);
        assertEquals(1, verifier.finish().foreign());
    }

    @Test
    void shouldCountMessageWithAnotherProducersIndexAsForeign()
    {
        final int length = SoakMessage.write(message, 0, PRODUCER + 1, incarnation, 0, FILLER);
        verifier.onMessage(SoakMessage.TYPE_ID, message, 0, length);
        assertEquals(1, verifier.finish().foreign());
    }

    private void deliver(final long... sequences)
    {
        for (final long sequence : sequences)
        {
            final int length = SoakMessage.write(message, 0, PRODUCER, incarnation, sequence, FILLER);
            verifier.onMessage(SoakMessage.TYPE_ID, message, 0, length);
        }
    }

    private void stop(final long committed)
    {
        log.recordCommitted(incarnation, committed);
        log.markStopped(incarnation);
    }
}
