package io.shmring.ringbuffer.vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The annotated hex dump format of docs/vectors/README.md: the bytes of a whole ring file, line by line, each line
 * either up to 16 bytes (two hex digits each, {@code xx} for a masked byte) or a run of zero bytes, every line starting
 * at the offset where the previous one ended, with an optional annotation after {@code ;}. Immutable.
 */
final class HexVector
{
    /** Most bytes one line shows. */
    static final int BYTES_PER_LINE = 16;

    private static final String LENGTH_KEYWORD = "length";
    private static final String ZERO_KEYWORD = "zero";
    private static final String MASKED = "xx";

    private final byte[] bytes;
    private final boolean[] masked;

    private HexVector(final byte[] bytes, final boolean[] masked)
    {
        this.bytes = bytes;
        this.masked = masked;
    }

    /**
     * @return the file's bytes; a masked byte reads as 0.
     */
    byte[] bytes()
    {
        return bytes.clone();
    }

    /**
     * @return for each offset, whether the vector masks that byte.
     */
    boolean[] masked()
    {
        return masked.clone();
    }

    /**
     * One annotated range of a dump.
     *
     * @param offset first byte.
     * @param length bytes, {@code > 0}.
     * @param text   what the bytes are.
     */
    record Annotation(int offset, int length, String text)
    {
    }

    /**
     * Parse a vector.
     *
     * @param lines the file's lines.
     * @return its bytes and mask.
     * @throws IllegalArgumentException naming the line, if the text breaks the format (a gap or an overlap between lines,
     *                                  a bad byte, a missing or second {@code length} line, bytes past the length).
     */
    static HexVector parse(final List<String> lines)
    {
        byte[] bytes = null;
        boolean[] masked = null;
        int next = 0;
        for (int number = 1; number <= lines.size(); number++)
        {
            final String line = stripAnnotation(lines.get(number - 1)).trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] tokens = line.split("\\s+");
            if (tokens[0].equals(LENGTH_KEYWORD))
            {
                if (bytes != null || tokens.length != 2)
                {
                    throw bad(number, "one 'length N' line, before any bytes");
                }
                final int length = Integer.parseInt(tokens[1]);
                bytes = new byte[length];
                masked = new boolean[length];
                continue;
            }
            if (bytes == null)
            {
                throw bad(number, "bytes before the 'length N' line");
            }
            final int offset = parseOffset(number, tokens[0]);
            if (offset != next)
            {
                throw bad(number, "line starts at 0x" + Integer.toHexString(offset) + " but the previous one ended at 0x" +
                    Integer.toHexString(next));
            }
            if (tokens.length == 3 && tokens[1].equals(ZERO_KEYWORD))
            {
                final int count = Integer.parseInt(tokens[2]);
                if (count <= 0 || (long)offset + count > bytes.length)
                {
                    throw bad(number, "zero run of " + count + " bytes does not fit the length " + bytes.length);
                }
                next = offset + count;
                continue;
            }
            if (tokens.length - 1 > BYTES_PER_LINE || (long)offset + tokens.length - 1 > bytes.length)
            {
                throw bad(number, "at most " + BYTES_PER_LINE + " bytes a line, all inside the length " + bytes.length);
            }
            for (int i = 1; i < tokens.length; i++)
            {
                final String token = tokens[i];
                if (token.equals(MASKED))
                {
                    masked[offset + i - 1] = true;
                }
                else if (token.length() == 2 && Character.digit(token.charAt(0), 16) >= 0 && Character.digit(token.charAt(1), 16) >= 0)
                {
                    bytes[offset + i - 1] = (byte)Integer.parseInt(token, 16);
                }
                else
                {
                    throw bad(number, "a byte is two hex digits or 'xx': " + token);
                }
            }
            next = offset + tokens.length - 1;
        }
        if (bytes == null || next != bytes.length)
        {
            throw new IllegalArgumentException("vector ends at 0x" + Integer.toHexString(next) + " but its length is " +
                (bytes == null ? "missing" : Integer.toString(bytes.length)));
        }
        return new HexVector(bytes, masked);
    }

    /**
     * Write a vector: each annotated range as byte lines (a range longer than a line and all zero as one zero run), the
     * unannotated bytes between ranges as zero runs where they are zero and as plain byte lines where not.
     *
     * @param bytes       the file.
     * @param masked      bytes to show as {@code xx}.
     * @param annotations ranges in increasing order, not overlapping.
     * @param comments    lines for the top of the file, each written after {@code "# "}.
     * @return the text, lines ending in {@code \n}.
     */
    static String write(final byte[] bytes, final boolean[] masked, final List<Annotation> annotations, final List<String> comments)
    {
        final StringBuilder out = new StringBuilder();
        for (final String comment : comments)
        {
            out.append(comment.isEmpty() ? "#" : "# " + comment).append('\n');
        }
        out.append(LENGTH_KEYWORD).append(' ').append(bytes.length).append('\n');
        int position = 0;
        for (final Annotation annotation : annotations)
        {
            if (annotation.offset() < position)
            {
                throw new IllegalArgumentException("annotations overlap or are out of order at offset " + annotation.offset());
            }
            writeUnannotated(out, bytes, masked, position, annotation.offset());
            writeRange(out, bytes, masked, annotation.offset(), annotation.offset() + annotation.length(), annotation.text());
            position = annotation.offset() + annotation.length();
        }
        writeUnannotated(out, bytes, masked, position, bytes.length);
        return out.toString();
    }

    private static void writeUnannotated(final StringBuilder out, final byte[] bytes, final boolean[] masked, final int from, final int to)
    {
        int position = from;
        while (position < to)
        {
            int end = position;
            final boolean zero = isPlainZero(bytes, masked, position);
            while (end < to && isPlainZero(bytes, masked, end) == zero)
            {
                end++;
            }
            if (zero)
            {
                zeroLine(out, position, end - position, "");
            }
            else
            {
                byteLines(out, bytes, masked, position, end, "");
            }
            position = end;
        }
    }

    private static void writeRange(
        final StringBuilder out, final byte[] bytes, final boolean[] masked, final int from, final int to, final String text)
    {
        boolean allZero = true;
        for (int i = from; i < to; i++)
        {
            allZero &= isPlainZero(bytes, masked, i);
        }
        if (allZero && to - from > BYTES_PER_LINE)
        {
            zeroLine(out, from, to - from, text);
        }
        else
        {
            byteLines(out, bytes, masked, from, to, text);
        }
    }

    private static void zeroLine(final StringBuilder out, final int offset, final int count, final String text)
    {
        final String line = offset(offset) + "  " + ZERO_KEYWORD + " " + count;
        out.append(text.isEmpty() ? line : pad(line) + "; " + text).append('\n');
    }

    private static void byteLines(
        final StringBuilder out, final byte[] bytes, final boolean[] masked, final int from, final int to, final String text)
    {
        for (int line = from; line < to; line += BYTES_PER_LINE)
        {
            final StringBuilder hex = new StringBuilder(offset(line)).append(' ');
            for (int i = line; i < Math.min(to, line + BYTES_PER_LINE); i++)
            {
                hex.append(' ').append(masked[i] ? MASKED : String.format(Locale.ROOT, "%02x", bytes[i] & 0xFF));
            }
            out.append(line == from && !text.isEmpty() ? pad(hex.toString()) + "; " + text : hex.toString()).append('\n');
        }
    }

    private static boolean isPlainZero(final byte[] bytes, final boolean[] masked, final int index)
    {
        return bytes[index] == 0 && !masked[index];
    }

    private static String offset(final int offset)
    {
        return String.format(Locale.ROOT, "0x%06x", offset);
    }

    private static String pad(final String line)
    {
        final int column = 8 + 2 + 3 * BYTES_PER_LINE + 2;
        return line.length() >= column ? line + " " : line + " ".repeat(column - line.length());
    }

    private static String stripAnnotation(final String line)
    {
        final int semicolon = line.indexOf(';');
        return semicolon < 0 ? line : line.substring(0, semicolon);
    }

    private static int parseOffset(final int number, final String token)
    {
        if (!token.startsWith("0x"))
        {
            throw bad(number, "a line starts with its offset, 0x and hex digits: " + token);
        }
        return Integer.parseInt(token.substring(2), 16);
    }

    private static IllegalArgumentException bad(final int number, final String what)
    {
        return new IllegalArgumentException("vector line " + number + ": " + what);
    }

    static List<String> lines(final String text)
    {
        return new ArrayList<>(text.lines().toList());
    }
}
