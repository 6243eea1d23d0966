package io.shmring.core.contract;

import io.shmring.core.MessageHandler;
import org.agrona.DirectBuffer;

/**
 * Checks the messages of a {@link Scenario} as they arrive: order, type id, length and every payload
 * byte. The first mismatch is kept; later messages are counted only.
 */
public final class ScenarioReceiver implements MessageHandler
{
    private final Scenario scenario;
    private final boolean checkPayload;
    private int next;
    private int received;
    private String failure;

    /**
     * @param scenario what is expected.
     */
    public ScenarioReceiver(final Scenario scenario)
    {
        this.scenario = scenario;
        this.checkPayload = scenario != Scenario.THROUGHPUT_64;
    }

    @Override
    public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
    {
        received++;
        if (failure != null)
        {
            return;
        }
        while (next < scenario.count() && !scenario.committed(next))
        {
            next++;
        }
        final int i = next++;
        if (i >= scenario.count())
        {
            failure = "more messages than sent: received=" + received;
            return;
        }
        if (typeId != scenario.typeId(i) || length != scenario.length(i))
        {
            failure = "message " + i + ": typeId=" + typeId + " length=" + length +
                " expected typeId=" + scenario.typeId(i) + " length=" + scenario.length(i);
            return;
        }
        if (checkPayload)
        {
            for (int k = 0; k < length; k++)
            {
                if (buffer.getByte(offset + k) != Scenario.payloadByte(i, k))
                {
                    failure = "message " + i + ": payload byte " + k + " is " + buffer.getByte(offset + k) +
                        " expected " + Scenario.payloadByte(i, k);
                    return;
                }
            }
        }
    }

    /**
     * @return messages received.
     */
    public int received()
    {
        return received;
    }

    /**
     * @return the first mismatch, or null.
     */
    public String failure()
    {
        return failure;
    }
}
