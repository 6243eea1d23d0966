package io.shmring.ringbuffer;

/**
 * An MPSC producer's close stopped between the release of its slot and its end-of-stream step (docs/LAYOUT.md 5.2,
 * Release): for tests of producers leaving together. Test code only.
 */
public final class StoppedRelease
{
    private final MpscProducer producer;

    private StoppedRelease(final MpscProducer producer)
    {
        this.producer = producer;
    }

    /**
     * Release the producer's slot as its close does, and stop there.
     *
     * @param producer an open MPSC producer.
     * @return the stopped close.
     * @throws IllegalStateException if the producer no longer held its slot.
     */
    public static StoppedRelease release(final MpscProducer producer)
    {
        final ProducerTable table = new ProducerTable(producer.file());
        if (!table.record(producer.slot()).release(table.ownerWord(producer.slot())))
        {
            throw new IllegalStateException("slot " + producer.slot() + " changed hands");
        }
        return new StoppedRelease(producer);
    }

    /**
     * Resume: the producer's end-of-stream step (it ends the stream if no slot is held).
     */
    public void finish()
    {
        producer.endStreamIfLast();
    }
}
