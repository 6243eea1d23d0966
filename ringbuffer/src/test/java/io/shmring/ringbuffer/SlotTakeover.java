package io.shmring.ringbuffer;

/**
 * A registration stopped between its judgement of an MPSC producer slot and its takeover (docs/LAYOUT.md 5.2, between
 * steps 2 and 3): for tests of what the judged holder, still running, may do meanwhile. Test code only.
 */
public final class SlotTakeover
{
    private final ProducerTable table;
    private final int slot;
    private final long judgedOwner;
    private final long judgedEnd;

    private SlotTakeover(final ProducerTable table, final int slot, final long judgedOwner, final long judgedEnd)
    {
        this.table = table;
        this.slot = slot;
        this.judgedOwner = judgedOwner;
        this.judgedEnd = judgedEnd;
    }

    /**
     * Read the slot's owner word and reservation end as a registration judging its holder dead reads them.
     *
     * @param file an MPSC ring.
     * @param slot the slot.
     * @return the stopped registration.
     */
    public static SlotTakeover judge(final RingFile file, final int slot)
    {
        final ProducerTable table = new ProducerTable(file);
        return new SlotTakeover(table, slot, table.ownerWord(slot), table.reservationEnd(slot));
    }

    /**
     * Resume: take the record over and reset the reservation, as the registration does.
     *
     * @return true if this process now holds the slot.
     */
    public boolean takeOver()
    {
        return table.takeSlot(slot, judgedOwner, judgedEnd) != null;
    }
}
