package io.shmring.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * What one child does at one message size, in this order: echo {@code rttWarmup + rttCount} pings, then,
 * on the parent's go, stream {@code onewayWarmup + onewayCount} messages. Parent and child run the same
 * plan, so each knows where warm-up ends.
 *
 * @param size         payload bytes.
 * @param rttWarmup    round trips before measuring.
 * @param rttCount     round trips measured.
 * @param onewayWarmup one-way messages before measuring.
 * @param onewayCount  one-way messages measured.
 */
record SizePlan(int size, int rttWarmup, int rttCount, int onewayWarmup, int onewayCount)
{
    /**
     * Checks every value.
     */
    SizePlan
    {
        MessageLayout.checkSize(size);
        if (rttWarmup < 0 || rttCount < 1 || onewayWarmup < 0 || onewayCount < 1)
        {
            throw new IllegalArgumentException("counts must be >= 1 and warm-ups >= 0: rttWarmup=" + rttWarmup +
                " rttCount=" + rttCount + " onewayWarmup=" + onewayWarmup + " onewayCount=" + onewayCount);
        }
    }

    /**
     * @param plans plans for several sizes.
     * @return them as one command-line argument.
     */
    static String encode(final List<SizePlan> plans)
    {
        final StringBuilder text = new StringBuilder();
        for (final SizePlan plan : plans)
        {
            text.append(text.length() == 0 ? "" : ",").append(plan.size).append(':').append(plan.rttWarmup).append(':')
                .append(plan.rttCount).append(':').append(plan.onewayWarmup).append(':').append(plan.onewayCount);
        }
        return text.toString();
    }

    /**
     * @param text what {@link #encode} made.
     * @return the plans.
     * @throws IllegalArgumentException naming the bad text.
     */
    static List<SizePlan> decode(final String text)
    {
        final List<SizePlan> plans = new ArrayList<>();
        for (final String item : text.split(","))
        {
            final String[] fields = item.split(":");
            if (fields.length != 5)
            {
                throw new IllegalArgumentException("a size plan is size:rttWarmup:rttCount:onewayWarmup:onewayCount: plan=" + item);
            }
            plans.add(new SizePlan(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
                Integer.parseInt(fields[3]), Integer.parseInt(fields[4])));
        }
        return plans;
    }
}
