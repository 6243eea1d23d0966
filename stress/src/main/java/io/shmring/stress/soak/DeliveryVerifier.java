package io.shmring.stress.soak;

import io.shmring.core.MessageHandler;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.shmring.stress.soak.CommitLogDescriptor.STATE_FREE;
import static io.shmring.stress.soak.CommitLogDescriptor.STATE_STOPPED;

/**
 * The consumer's proof that every committed message arrived exactly once and in order, per incarnation.
 * <p>
 * While messages arrive, each must carry a valid checksum, the soak's type id, an incarnation the
 * controller started and that incarnation's producer index, and exactly the next sequence of its
 * incarnation ({@code 0, 1, 2, ...}). A sequence below the next is a <em>duplicate</em>; one above it is a
 * <em>gap</em>, whose skipped sequences count as lost (and the count resumes after it).
 * <p>
 * At the end, once every producer JVM has exited, let {@code R} be the messages received in order from an
 * incarnation and {@code C} the count it recorded in the {@link CommitLog}. A producer records
 * {@code C = s + 1} after the commit of sequence {@code s} returns and before it claims {@code s + 1}, and a
 * commit that succeeded can never be taken back by the consumer's recovery (both CAS the same header). So:
 * <ul>
 * <li>an incarnation that stopped cleanly recorded everything it committed: {@code R == C};</li>
 * <li>a killed incarnation committed sequences {@code 0..C-1} for sure, and maybe {@code C} too (the kill
 *     may land between that commit and its record), but never {@code C + 1}: {@code C <= R <= C + 1}. An
 *     {@code R == C + 1} is reported as an <em>unrecorded commit</em>, not a fault.</li>
 * </ul>
 * {@code R < C} is a loss of {@code C - R} messages; {@code R} above the bound is {@code R - bound}
 * <em>unaccounted</em> messages (delivered but never committed, e.g. a recovered claim leaking through).
 * Any duplicate, gap, loss, unaccounted message, bad checksum or foreign message is a violation.
 */
public final class DeliveryVerifier implements MessageHandler
{
    private static final int UNSEEN = -1;

    private final CommitLog log;
    private final long[] received;
    private final int[] producerOf;
    private long messages;
    private long duplicated;
    private long gapLost;
    private long gaps;
    private long corrupt;
    private long foreign;

    /**
     * @param log the run's commit log, which says which incarnations exist and what they committed.
     */
    public DeliveryVerifier(final CommitLog log)
    {
        this.log = log;
        this.received = new long[log.maxIncarnations()];
        this.producerOf = new int[log.maxIncarnations()];
        Arrays.fill(producerOf, UNSEEN);
    }

    @Override
    public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        messages++;
        if (typeId != SoakMessage.TYPE_ID || !SoakMessage.isChecksumValid(buffer, offset, length))
        {
            corrupt++;
            return;
        }
        final int incarnation = buffer.getInt(offset + SoakMessage.INCARNATION_OFFSET);
        final int producer = buffer.getInt(offset + SoakMessage.PRODUCER_OFFSET);
        if (!isFromStartedIncarnation(incarnation, producer))
        {
            foreign++;
            return;
        }
        final long sequence = buffer.getLong(offset + SoakMessage.SEQUENCE_OFFSET);
        final long next = received[incarnation];
        if (sequence < next)
        {
            duplicated++;
        }
        else
        {
            if (sequence > next)
            {
                gaps++;
                gapLost += sequence - next;
            }
            received[incarnation] = sequence + 1;
        }
    }

    /**
     * @return messages delivered so far, good or bad.
     */
    public long messages()
    {
        return messages;
    }

    /**
     * @return violations seen while messages arrived (the end check adds losses and unaccounted messages).
     */
    public long streamViolations()
    {
        return duplicated + gaps + corrupt + foreign;
    }

    /**
     * Apply the end rule to every incarnation the controller started. Call once every producer JVM has
     * exited and the ring is drained.
     *
     * @return the verdict.
     */
    public Verdict finish()
    {
        final int incarnations = log.incarnationsStarted();
        final List<IncarnationTotal> totals = new ArrayList<>(incarnations);
        long killed = 0;
        long unrecorded = 0;
        long lost = gapLost;
        long unaccounted = 0;
        for (int i = 0; i < incarnations; i++)
        {
            final int state = log.state(i);
            final long recorded = log.committed(i);
            final long got = received[i];
            final boolean stopped = state == STATE_STOPPED;
            final long bound = stopped ? recorded : recorded + 1;
            if (!stopped)
            {
                killed++;
                if (got == recorded + 1)
                {
                    unrecorded++;
                }
            }
            if (got < recorded)
            {
                lost += recorded - got;
            }
            else if (got > bound)
            {
                unaccounted += got - bound;
            }
            totals.add(new IncarnationTotal(i, log.producer(i), state, recorded, got));
        }
        return new Verdict(messages, incarnations, killed, incarnations - killed, unrecorded, lost, duplicated, gaps,
            corrupt, foreign, unaccounted, totals);
    }

    private boolean isFromStartedIncarnation(final int incarnation, final int producer)
    {
        if (incarnation < 0 || incarnation >= producerOf.length)
        {
            return false;
        }
        if (producerOf[incarnation] == UNSEEN)
        {
            if (incarnation >= log.incarnationsStarted() || log.state(incarnation) == STATE_FREE)
            {
                return false;
            }
            producerOf[incarnation] = log.producer(incarnation);
        }
        return producerOf[incarnation] == producer;
    }

    /**
     * What one incarnation recorded and what arrived from it.
     *
     * @param incarnation its number.
     * @param producer    its producer index.
     * @param state       its final {@code STATE_*} in the log.
     * @param recorded    messages it recorded as committed.
     * @param received    messages received in order from it.
     */
    public record IncarnationTotal(int incarnation, int producer, int state, long recorded, long received)
    {
        /**
         * @return the line the consumer prints for it.
         */
        public String line()
        {
            return "SOAK-INCARNATION incarnation=" + incarnation + " producer=" + producer +
                " end=" + (state == STATE_STOPPED ? "stopped" : "killed") + " recorded=" + recorded + " received=" + received;
        }
    }

    /**
     * The consumer's verdict over a whole run.
     *
     * @param messages          messages delivered.
     * @param incarnations      incarnations the controller started.
     * @param killed            incarnations that did not stop cleanly.
     * @param stopped           incarnations that stopped cleanly.
     * @param unrecordedCommits killed incarnations whose last delivered message was committed but not recorded.
     * @param lost              committed messages never delivered (gaps included).
     * @param duplicated        messages delivered again.
     * @param gaps              times a sequence jumped ahead.
     * @param corrupt           messages with a bad checksum or type id.
     * @param foreign           messages from an incarnation not started, or with the wrong producer index.
     * @param unaccounted       messages delivered beyond what their incarnation can have committed.
     * @param incarnationTotals per incarnation, in order.
     */
    public record Verdict(
        long messages,
        long incarnations,
        long killed,
        long stopped,
        long unrecordedCommits,
        long lost,
        long duplicated,
        long gaps,
        long corrupt,
        long foreign,
        long unaccounted,
        List<IncarnationTotal> incarnationTotals)
    {
        /**
         * @return the sum of the fault counts (a gap counts as a gap and again as the messages it lost); 0 means
         *         exactly-once, in-order delivery of everything committed.
         */
        public long violations()
        {
            return lost + duplicated + gaps + corrupt + foreign + unaccounted;
        }

        /**
         * @param recoveries claims the consumer recovered.
         * @return the one summary line the consumer prints (key=value pairs).
         */
        public String line(final long recoveries)
        {
            return "SOAK-VERDICT messages=" + messages + " incarnations=" + incarnations + " killed=" + killed +
                " stopped=" + stopped + " unrecordedCommits=" + unrecordedCommits + " recoveries=" + recoveries +
                " lost=" + lost + " duplicated=" + duplicated + " gaps=" + gaps + " corrupt=" + corrupt +
                " foreign=" + foreign + " unaccounted=" + unaccounted + " violations=" + violations();
        }
    }
}
