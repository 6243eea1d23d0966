package io.shmring.ringbuffer.vectors;

import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import io.shmring.sync.internal.WakeLineDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Names every field of a ring file's bytes for a golden vector (docs/vectors/README.md), and says which bytes a vector
 * masks: the header's creator pid, creator start time and creation time, and in each party record of the ring's kind
 * that was ever attached (owner generation not 0) the owner pid and the 40-bit values of the tagged words (heartbeat,
 * start ticks, pid namespace, boot id); a record never attached is all zero and shown as such. Frames are named by
 * walking the data from head to tail by the rules of docs/LAYOUT.md. Stateless.
 */
final class RingFileAnnotator
{
    private static final int SPSC = 1;
    private static final int PADDING = -1;
    private static final String[] TAGGED_WORDS = {"heartbeat (monotonic ms)", "start ticks", "pid namespace", "boot id"};

    private RingFileAnnotator()
    {
    }

    /**
     * @param bytes a whole ring file.
     * @return for each byte, whether a vector masks it.
     */
    static boolean[] mask(final byte[] bytes)
    {
        final boolean[] masked = new boolean[bytes.length];
        for (int i = RingDescriptor.CREATOR_PID_OFFSET; i < RingDescriptor.HEADER_FIELDS_LENGTH; i++)
        {
            masked[i] = true;
        }
        final ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (final int record : partyRecords(bytes))
        {
            if (generation(file, record) == 0)
            {
                continue; // never attached: zero, as created
            }
            for (int i = 0; i < Integer.BYTES; i++)
            {
                masked[record + PartyDescriptor.OWNER_OFFSET + i] = true;
            }
            for (int word = PartyDescriptor.HEARTBEAT_OFFSET; word < PartyDescriptor.LENGTH; word += Long.BYTES)
            {
                for (int i = 0; i < PartyDescriptor.VALUE_BITS / Byte.SIZE; i++)
                {
                    masked[record + word + i] = true;
                }
            }
        }
        return masked;
    }

    /**
     * @param bytes a whole ring file, as valid as the layout requires.
     * @return its fields, in increasing order of offset.
     */
    static List<HexVector.Annotation> annotate(final byte[] bytes)
    {
        final ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final List<HexVector.Annotation> out = new ArrayList<>();
        final int kind = file.getInt(RingDescriptor.RING_KIND_OFFSET);
        final int slots = file.getInt(RingDescriptor.PRODUCER_SLOTS_OFFSET);
        header(file, out, kind);
        control(file, out, kind);
        for (int slot = 0; kind != SPSC && slot < slots; slot++) // an SPSC ring uses no slot
        {
            final int offset = RingDescriptor.producerSlotOffset(slot);
            final String name = "slot " + slot;
            partyRecord(file, out, offset, name + " party record");
            add(out, offset + ProducerSlotDescriptor.RESERVATION_START_OFFSET, 8,
                name + " reservation start = " + file.getLong(offset + ProducerSlotDescriptor.RESERVATION_START_OFFSET));
            add(out, offset + ProducerSlotDescriptor.RESERVATION_END_OFFSET, 8,
                name + " reservation end = " + file.getLong(offset + ProducerSlotDescriptor.RESERVATION_END_OFFSET) +
                    " (0 none, -1 locked, -2 revoked)");
            counters(file, out, offset + ProducerSlotDescriptor.COUNTERS_OFFSET, name + " counters");
        }
        data(file, out, kind);
        out.sort(Comparator.comparingInt(HexVector.Annotation::offset));
        return out;
    }

    private static void header(final ByteBuffer file, final List<HexVector.Annotation> out, final int kind)
    {
        add(out, RingDescriptor.MAGIC_OFFSET, 8, "magic \"SHMRING\\0\"");
        final int version = file.getInt(RingDescriptor.LAYOUT_VERSION_OFFSET);
        add(out, RingDescriptor.LAYOUT_VERSION_OFFSET, 4, "layout version = " + version +
            (version == RingDescriptor.LAYOUT_VERSION_MEMBARRIER ? " (sleepers issue membarrier)" : ""));
        add(out, RingDescriptor.RING_KIND_OFFSET, 4, "ring kind = " + kind + (kind == SPSC ? " (SPSC)" : " (MPSC)"));
        add(out, RingDescriptor.CAPACITY_OFFSET, 4, "capacity = " + file.getInt(RingDescriptor.CAPACITY_OFFSET));
        add(out, RingDescriptor.MAX_MESSAGE_LENGTH_OFFSET, 4,
            "max message length = " + file.getInt(RingDescriptor.MAX_MESSAGE_LENGTH_OFFSET));
        add(out, RingDescriptor.PRODUCER_SLOTS_OFFSET, 4, "producer slots = " + file.getInt(RingDescriptor.PRODUCER_SLOTS_OFFSET));
        add(out, RingDescriptor.WAKE_MECHANISM_OFFSET, 4,
            "wake mechanism = " + file.getInt(RingDescriptor.WAKE_MECHANISM_OFFSET) + " (1 futex, 2 semaphore)");
        add(out, RingDescriptor.DATA_START_OFFSET, 8, "data start = " + file.getLong(RingDescriptor.DATA_START_OFFSET));
        add(out, RingDescriptor.FILE_LENGTH_OFFSET, 8, "file length = " + file.getLong(RingDescriptor.FILE_LENGTH_OFFSET));
        add(out, RingDescriptor.CREATOR_PID_OFFSET, 8, "creator pid (masked)");
        add(out, RingDescriptor.CREATOR_START_TIME_OFFSET, 8, "creator start time, epoch ms (masked)");
        add(out, RingDescriptor.CREATION_TIME_OFFSET, 8, "creation time, epoch ms (masked)");
        add(out, RingDescriptor.HEADER_FIELDS_LENGTH, RingDescriptor.HEADER_PAGE_LENGTH - RingDescriptor.HEADER_FIELDS_LENGTH,
            "header page: reserved");
    }

    private static void control(final ByteBuffer file, final List<HexVector.Annotation> out, final int kind)
    {
        add(out, RingDescriptor.TAIL_OFFSET, 8, "line 0: tail = " + file.getLong(RingDescriptor.TAIL_OFFSET));
        add(out, RingDescriptor.HEAD_CACHE_OFFSET, 8, "line 1: head cache = " + file.getLong(RingDescriptor.HEAD_CACHE_OFFSET) +
            (kind == SPSC ? " (MPSC only)" : ""));
        add(out, RingDescriptor.HEAD_OFFSET, 8, "line 2: head = " + file.getLong(RingDescriptor.HEAD_OFFSET));
        add(out, RingDescriptor.RELEASE_TARGET_OFFSET, 8, "line 2: release target = " +
            file.getLong(RingDescriptor.RELEASE_TARGET_OFFSET) + (kind == SPSC ? " (MPSC only)" : ""));
        partyRecord(file, out, RingDescriptor.CONSUMER_PARTY_OFFSET, "line 3: consumer party record");
        add(out, RingDescriptor.RECOVERED_CLAIMS_OFFSET, 8,
            "line 3: recovered claims = " + file.getLong(RingDescriptor.RECOVERED_CLAIMS_OFFSET));
        counters(file, out, RingDescriptor.CONSUMER_COUNTERS_OFFSET, "line 3: consumer counters");
        if (kind == SPSC)
        {
            partyRecord(file, out, RingDescriptor.PRODUCER_PARTY_OFFSET, "line 4: SPSC producer party record");
            counters(file, out, RingDescriptor.PRODUCER_COUNTERS_OFFSET, "line 4: SPSC producer counters");
        }
        else
        {
            add(out, RingDescriptor.PRODUCER_PARTY_OFFSET, PartyDescriptor.LENGTH, "line 4: SPSC producer party record (unused)");
        }
        wakeLine(file, out, RingDescriptor.NOT_EMPTY_WAKE_OFFSET, "line 5: not-empty wake line");
        wakeLine(file, out, RingDescriptor.NOT_FULL_WAKE_OFFSET, "line 6: not-full wake line");
        final long stream = file.getLong(RingDescriptor.STREAM_OFFSET);
        add(out, RingDescriptor.STREAM_OFFSET, 8,
            "line 7: stream word = " + stream + " (generation " + (stream >>> 1) + ((stream & 1) != 0 ? ", ended)" : ", not ended)"));
        add(out, RingDescriptor.RING_STATE_OFFSET, 4, "line 7: ring state = " + file.getInt(RingDescriptor.RING_STATE_OFFSET) +
            " (0 live)");
    }

    /** A counters record (LAYOUT 2.4): four int64 written by one end. */
    private static void counters(final ByteBuffer file, final List<HexVector.Annotation> out, final int record, final String name)
    {
        final String[] fields = {"messages", "payload bytes", "wake calls", "full-ring events"};
        for (int i = 0; i < fields.length; i++)
        {
            add(out, record + i * Long.BYTES, Long.BYTES, name + ": " + fields[i] + " = " + file.getLong(record + i * Long.BYTES));
        }
    }

    private static void wakeLine(final ByteBuffer file, final List<HexVector.Annotation> out, final int line, final String name)
    {
        add(out, line + WakeLineDescriptor.SEQUENCE_OFFSET, 4,
            name + ": sequence = " + file.getInt(line + WakeLineDescriptor.SEQUENCE_OFFSET));
        add(out, line + WakeLineDescriptor.WAITERS_OFFSET, 4,
            name + ": waiters = " + file.getInt(line + WakeLineDescriptor.WAITERS_OFFSET));
        add(out, line + WakeLineDescriptor.WAKE_PENDING_OFFSET, 4,
            name + ": wake pending = " + file.getInt(line + WakeLineDescriptor.WAKE_PENDING_OFFSET));
        add(out, line + WakeLineDescriptor.SEMAPHORE_OFFSET, WakeLineDescriptor.LENGTH - WakeLineDescriptor.SEMAPHORE_OFFSET,
            name + ": sem_t (wake mechanism 2 only)");
    }

    private static void partyRecord(final ByteBuffer file, final List<HexVector.Annotation> out, final int record, final String name)
    {
        final int generation = generation(file, record);
        if (generation == 0)
        {
            add(out, record, PartyDescriptor.LENGTH, name + ": never attached (generation 0), zero");
            return;
        }
        add(out, record + PartyDescriptor.OWNER_OFFSET, 8, name + ": owner word, pid (masked), generation " + generation);
        for (int word = 0; word < TAGGED_WORDS.length; word++)
        {
            final int offset = record + PartyDescriptor.HEARTBEAT_OFFSET + word * Long.BYTES;
            final int tag = (int)(file.getLong(offset) >>> PartyDescriptor.VALUE_BITS);
            add(out, offset, 8, name + ": " + TAGGED_WORDS[word] + ", value (masked), tag " + tag);
        }
    }

    /**
     * Frames from head to tail; the rest of the data region is named as what was consumed (stale in SPSC, zero in MPSC).
     */
    private static void data(final ByteBuffer file, final List<HexVector.Annotation> out, final int kind)
    {
        final int dataStart = (int)file.getLong(RingDescriptor.DATA_START_OFFSET);
        final int capacity = file.getInt(RingDescriptor.CAPACITY_OFFSET);
        final long head = file.getLong(RingDescriptor.HEAD_OFFSET);
        final long tail = file.getLong(RingDescriptor.TAIL_OFFSET);
        final boolean[] covered = new boolean[capacity];
        long position = head;
        while (position < tail)
        {
            final int index = (int)(position & (capacity - 1));
            final int length = file.getInt(dataStart + index);
            final int typeId = file.getInt(dataStart + index + 4);
            final int frameLength = Math.abs(length);
            final int aligned = (frameLength + 7) & -8;
            if (length == 0 || aligned > capacity - index)
            {
                throw new IllegalStateException("vector walk: no frame at position " + position + " (length " + length + ")");
            }
            final String at = " at position " + position + " (data index " + index + ")";
            final int frame = dataStart + index;
            if (typeId == PADDING && length > 0)
            {
                add(out, frame, 8, "padding frame" + at + ": length " + length + ", type id -1");
                if (length > 8)
                {
                    add(out, frame + 8, length - 8, "padding body: " + (kind == SPSC ? "stale bytes, undefined" : "any bytes"));
                }
            }
            else
            {
                add(out, frame, 8, length > 0 ?
                    "frame" + at + ": length " + length + " (payload " + (length - 8) + "), type id " + typeId :
                    "open claim" + at + ": length " + length + ", claim marker " + marker(typeId));
                if (frameLength > 8)
                {
                    add(out, frame + 8, frameLength - 8, (length > 0 ? "payload " : "payload being written ") +
                        text(file, frame + 8, frameLength - 8));
                }
                if (aligned > frameLength)
                {
                    add(out, frame + frameLength, aligned - frameLength,
                        "alignment to 8: " + (kind == SPSC ? "undefined (stale)" : "zero"));
                }
            }
            for (int i = index; i < index + aligned; i++)
            {
                covered[i] = true;
            }
            position += typeId == PADDING && length > 0 ? length : aligned;
        }
        for (int index = 0; index < capacity; )
        {
            int end = index;
            while (end < capacity && covered[end] == covered[index])
            {
                end++;
            }
            if (!covered[index])
            {
                add(out, dataStart + index, end - index, "data index " + index + ".." + (end - 1) + ", outside [head, tail): " +
                    (kind == SPSC ? "consumed, undefined (stale bytes)" : "free, zero"));
            }
            index = end;
        }
    }

    private static String marker(final int typeId)
    {
        return String.format("0x%08x (slot %d, generation %d)", typeId, typeId & 0xFFF, (typeId >>> 12) & 0x3FFFF);
    }

    private static String text(final ByteBuffer file, final int offset, final int length)
    {
        final byte[] payload = new byte[length];
        file.get(offset, payload);
        for (final byte b : payload)
        {
            if (b < 0x20 || b > 0x7E)
            {
                return "(binary)";
            }
        }
        return "\"" + new String(payload, StandardCharsets.US_ASCII) + "\"";
    }

    private static int generation(final ByteBuffer file, final int record)
    {
        return file.getInt(record + PartyDescriptor.OWNER_OFFSET + Integer.BYTES);
    }

    private static List<Integer> partyRecords(final byte[] bytes)
    {
        final ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final List<Integer> records = new ArrayList<>();
        records.add(RingDescriptor.CONSUMER_PARTY_OFFSET);
        if (file.getInt(RingDescriptor.RING_KIND_OFFSET) == SPSC)
        {
            records.add(RingDescriptor.PRODUCER_PARTY_OFFSET);
        }
        else
        {
            for (int slot = 0; slot < file.getInt(RingDescriptor.PRODUCER_SLOTS_OFFSET); slot++)
            {
                records.add(RingDescriptor.producerSlotOffset(slot) + ProducerSlotDescriptor.PARTY_OFFSET);
            }
        }
        return records;
    }

    private static void add(final List<HexVector.Annotation> out, final int offset, final int length, final String text)
    {
        out.add(new HexVector.Annotation(offset, length, text));
    }
}
