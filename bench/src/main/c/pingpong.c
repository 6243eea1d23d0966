/*
 * The physical floor of shmring-bench: two processes of this program move the harness's messages through two
 * single-producer single-consumer rings in one shared file mapping, as little code as that takes, so the harness
 * can show every Java transport beside what the machine itself costs in the same run.
 *
 *   pingpong measure --mode spin|futex --file MAP --capacity BYTES --plan PLANS --out DIR --ready FILE
 *                    --result FILE --stall-ms MS
 *   pingpong echo    --mode spin|futex --file MAP --plan PLANS --result FILE --stall-ms MS [--fault-at N]
 *
 * The measuring process creates MAP (zero-filled, so every page is present), announces itself in FILE --ready,
 * waits for the echo process to attach, then for each plan "size:rttWarmup:rttCount:onewayWarmup:onewayCount"
 * (comma separated; the harness's SizePlan encoding) times round trips through the echo process and then receives
 * the echo process's one-way stream, checking the sequence number and length of every message. It prints
 * "phase INDEX SIZE rtt|oneway" on stdout as each phase starts, writes each phase's measured latencies (int64 ns,
 * native byte order) to DIR/INDEX.rtt.lat and DIR/INDEX.oneway.lat, and its counts to FILE --result as
 * key=value lines (Java Properties). The echo process writes its own counts to its --result file.
 *
 * Messages follow the harness's MessageLayout: int64 sequence at 0, int64 send time (or 0) at 8; type 1 is data,
 * type 2 is the go of a one-way phase; 1 in 64 one-way messages carries its send time (CLOCK_MONOTONIC).
 *
 * Modes: spin polls with the CPU's pause hint and publishes with one release store (no wake protocol at all);
 * futex sleeps at once, on every message the other side has not yet answered, in FUTEX_WAIT on the ring's wake
 * word (shared, not FUTEX_PRIVATE_FLAG: two processes), and the other side FUTEX_WAKEs it after publishing.
 *
 * Every wait is bounded: nothing moving for --stall-ms, the peer process or the harness gone, ends the run with a
 * message on stderr. Exit codes: 0 done, 1 bad arguments or setup, 2 a message missing, repeated or out of order,
 * 3 stalled or peer gone. Single-threaded; x86_64 and aarch64 Linux, GCC or Clang.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAGIC UINT64_C(0x726f6f6c66686d73) /* "shmfloor" */
#define HEADER_BYTES 4096                  /* file header page; each ring's header page follows its predecessor */
#define RECORD_HEADER 8                    /* int32 payload length, int32 type */
#define PAD_TYPE (-1)                      /* a record that fills the ring's end; skipped */
#define DATA_TYPE 1
#define GO_TYPE 2
#define SEQUENCE_OFFSET 0
#define TIMESTAMP_OFFSET 8
#define MIN_SIZE 16
#define SAMPLE_MASK 63
#define ONEWAY_LIMIT 256 /* as the harness's ChildRun */
#define ECHO_LIMIT 64    /* as the harness's EchoChild */
#define CHECK_MASK 0xFFFF
#define SLICE_NS 100000000L /* longest single futex sleep: bounds how late a dead peer or a stall is seen */
#define MAX_PLANS 64

#define EXIT_SETUP 1
#define EXIT_ORDER 2
#define EXIT_STALL 3

/* One wake word with its waiter count, on a cache line of its own. */
typedef struct
{
    uint32_t seq;
    uint32_t waiters;
    char pad[56];
} wake_line;

/* One ring's header page: tail (producer), head (consumer), the two wake lines, each on its own cache line. */
typedef struct
{
    int64_t tail;
    char pad1[56];
    int64_t head;
    char pad2[56];
    wake_line not_empty;
    wake_line not_full;
} ring_header;

typedef struct
{
    uint64_t magic;
    int64_t capacity;
    pid_t measure_pid;
    pid_t echo_pid;
} file_header;

typedef struct
{
    ring_header *header;
    uint8_t *data;
    int64_t capacity;
    int64_t mask;
} ring;

typedef struct
{
    int size;
    int64_t rtt_warmup, rtt_count, oneway_warmup, oneway_count;
} plan;

/* How this process waits, its counters, and its stall check (one thread: one instance). */
typedef struct
{
    int futex;
    int64_t waits;
    int64_t wakes;
    int64_t stall_ns;
    int64_t stall_deadline;
    int stalling;
    uint32_t idles;
    pid_t *peer; /* in the mapping: the peer's pid once attached */
    pid_t harness;
    const char *what;
} waiting;

static waiting wait_state;

static void die(const int code, const char *format, ...) __attribute__((format(printf, 2, 3), noreturn));

static void die(const int code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "pingpong %s: ", wait_state.what);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(code);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}

static long futex(uint32_t *word, const int op, const uint32_t value, const struct timespec *timeout)
{
    return syscall(SYS_futex, word, op, value, timeout, NULL, 0);
}

static int alive(const pid_t pid)
{
    return kill(pid, 0) == 0 || errno == EPERM;
}

/* After progress: the next wait starts a new stall period. */
static inline void progressed(void)
{
    wait_state.stalling = 0;
}

/* Between empty polls: the peer and the harness must live, and something must move within the stall timeout. */
static void check_stall(void)
{
    const int64_t now = now_ns();
    if (!wait_state.stalling)
    {
        wait_state.stalling = 1;
        wait_state.stall_deadline = now + wait_state.stall_ns;
    }
    const pid_t peer = __atomic_load_n(wait_state.peer, __ATOMIC_ACQUIRE); /* written once by the peer at attach */
    if (peer != 0 && !alive(peer))
    {
        die(EXIT_STALL, "the peer process is gone: pid=%d", (int)peer);
    }
    if (getppid() != wait_state.harness)
    {
        die(EXIT_STALL, "the harness process is gone: pid=%d", (int)wait_state.harness);
    }
    if (now - wait_state.stall_deadline > 0)
    {
        die(EXIT_STALL, "nothing moved for %" PRId64 " ms", wait_state.stall_ns / 1000000);
    }
}

/*
 * Wait until *position differs from seen (the other side moved it), by the mode; returns the new value.
 * futex: register as a waiter, re-check, sleep on the line's word. The waiter's increment and re-check, and the
 * notifier's store and waiter read (signal), each have a full fence between them (Dekker): at least one side sees
 * the other's write, so a sleeper is never missed; a wake between the re-check and FUTEX_WAIT changed the word, so
 * FUTEX_WAIT returns at once.
 */
static int64_t await_change(int64_t *position, const int64_t seen, wake_line *line)
{
    int64_t value;
    for (;;)
    {
        if (!wait_state.futex)
        {
            cpu_relax();
            value = __atomic_load_n(position, __ATOMIC_ACQUIRE); /* pairs with the other side's release store */
            if (value != seen)
            {
                progressed();
                return value;
            }
            if ((++wait_state.idles & CHECK_MASK) == 0)
            {
                check_stall();
            }
            continue;
        }
        const uint32_t word = __atomic_load_n(&line->seq, __ATOMIC_ACQUIRE); /* before registering: a later wake changes it */
        __atomic_fetch_add(&line->waiters, 1, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* Dekker: the registration before the re-check of the position */
        value = __atomic_load_n(position, __ATOMIC_ACQUIRE);
        if (value == seen)
        {
            const struct timespec slice = { 0, SLICE_NS };
            futex(&line->seq, FUTEX_WAIT, word, &slice);
            wait_state.waits++;
        }
        __atomic_fetch_sub(&line->waiters, 1, __ATOMIC_RELAXED);
        value = __atomic_load_n(position, __ATOMIC_ACQUIRE);
        if (value != seen)
        {
            progressed();
            return value;
        }
        check_stall();
    }
}

/* After a release store of a position: wake the other side if it sleeps (futex mode; spin mode has no waiters). */
static inline void signal_line(wake_line *line)
{
    if (!wait_state.futex)
    {
        return;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* Dekker: the position store before the waiter read */
    if (__atomic_load_n(&line->waiters, __ATOMIC_RELAXED) != 0)
    {
        __atomic_fetch_add(&line->seq, 1, __ATOMIC_RELEASE);
        futex(&line->seq, FUTEX_WAKE, 1, NULL);
        wait_state.wakes++;
    }
}

static inline int64_t align8(const int64_t value)
{
    return (value + 7) & ~INT64_C(7);
}

/* The producing end: its own tail and the head it last saw. */
typedef struct
{
    ring r;
    int64_t tail;
    int64_t head_cache;
} producer;

/* The consuming end: its own head. */
typedef struct
{
    ring r;
    int64_t head;
} consumer;

static void send_message(producer *p, const int32_t type, const uint8_t *src, const int32_t length)
{
    const int64_t record = align8(RECORD_HEADER + length);
    int64_t index = p->tail & p->r.mask;
    const int64_t to_end = p->r.capacity - index;
    const int64_t pad = record > to_end ? to_end : 0;
    const int64_t needed = pad + record;
    while (p->tail + needed - p->head_cache > p->r.capacity)
    {
        const int64_t head = __atomic_load_n(&p->r.header->head, __ATOMIC_ACQUIRE); /* the consumer's reads are done */
        p->head_cache = head != p->head_cache ? head : await_change(&p->r.header->head, head, &p->r.header->not_full);
    }
    if (pad != 0)
    {
        int32_t *const header = (int32_t *)(p->r.data + index);
        header[0] = 0;
        header[1] = PAD_TYPE;
        p->tail += pad;
        index = 0;
    }
    int32_t *const header = (int32_t *)(p->r.data + index);
    header[0] = length;
    header[1] = type;
    memcpy(p->r.data + index + RECORD_HEADER, src, (size_t)length);
    p->tail += record;
    __atomic_store_n(&p->r.header->tail, p->tail, __ATOMIC_RELEASE); /* publishes the record (and padding) */
    signal_line(&p->r.header->not_empty);
}

typedef void (*handler)(void *context, int32_t type, const uint8_t *payload, int32_t length);

/* Deliver between 1 and limit messages, waiting for the first; one head store for the batch. */
static inline int receive_messages(consumer *c, const handler on_message, void *context, const int limit)
{
    int delivered = 0;
    while (delivered == 0)
    {
        int64_t tail = __atomic_load_n(&c->r.header->tail, __ATOMIC_ACQUIRE); /* pairs with the producer's release */
        if (tail == c->head)
        {
            tail = await_change(&c->r.header->tail, tail, &c->r.header->not_empty);
        }
        int64_t head = c->head;
        while (head != tail && delivered < limit)
        {
            const int64_t index = head & c->r.mask;
            const int32_t *const header = (const int32_t *)(c->r.data + index);
            if (header[1] == PAD_TYPE)
            {
                head += c->r.capacity - index;
                continue;
            }
            const int32_t length = header[0];
            if (length < 0 || RECORD_HEADER + (int64_t)length > c->r.capacity - index)
            {
                die(EXIT_ORDER, "corrupt record at position %" PRId64 ": length=%d", head, (int)length);
            }
            on_message(context, header[1], c->r.data + index + RECORD_HEADER, length);
            head += align8(RECORD_HEADER + length);
            delivered++;
        }
        c->head = head;
        __atomic_store_n(&c->r.header->head, head, __ATOMIC_RELEASE); /* frees what the handler read */
        signal_line(&c->r.header->not_full);
    }
    return delivered;
}

static int64_t get_long(const uint8_t *payload, const int offset)
{
    int64_t value;
    memcpy(&value, payload + offset, sizeof(value));
    return value;
}

static void put_long(uint8_t *payload, const int offset, const int64_t value)
{
    memcpy(payload + offset, &value, sizeof(value));
}

/* --- arguments --- */

typedef struct
{
    int measure;
    const char *mode;
    const char *file;
    int64_t capacity;
    const char *plan_text;
    const char *out;
    const char *ready;
    const char *result;
    int64_t stall_ms;
    int64_t fault_at;
    plan plans[MAX_PLANS];
    int plan_count;
} options;

static int64_t parse_long(const char *name, const char *text)
{
    char *end;
    errno = 0;
    const long long value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
    {
        die(EXIT_SETUP, "%s is not a number: %s", name, text);
    }
    return (int64_t)value;
}

static void parse_plans(options *o)
{
    char *copy = strdup(o->plan_text);
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save))
    {
        if (o->plan_count == MAX_PLANS)
        {
            die(EXIT_SETUP, "more than %d plans: plan=%s", MAX_PLANS, o->plan_text);
        }
        plan *const p = &o->plans[o->plan_count];
        long long size, rtt_warmup, rtt_count, oneway_warmup, oneway_count;
        int used = 0;
        if (sscanf(item, "%lld:%lld:%lld:%lld:%lld%n", &size, &rtt_warmup, &rtt_count, &oneway_warmup, &oneway_count,
                &used) != 5 || item[used] != '\0' || size < MIN_SIZE || rtt_warmup < 0 || rtt_count < 1 ||
            oneway_warmup < 0 || oneway_count < 1)
        {
            die(EXIT_SETUP, "a plan is size:rttWarmup:rttCount:onewayWarmup:onewayCount, size >= %d, counts >= 1, "
                "warm-ups >= 0: plan=%s", MIN_SIZE, item);
        }
        p->size = (int)size;
        p->rtt_warmup = rtt_warmup;
        p->rtt_count = rtt_count;
        p->oneway_warmup = oneway_warmup;
        p->oneway_count = oneway_count;
        o->plan_count++;
    }
    free(copy);
    if (o->plan_count == 0)
    {
        die(EXIT_SETUP, "no plan: plan=%s", o->plan_text);
    }
}

static void parse(const int argc, char **argv, options *o)
{
    static const struct option long_options[] = {
        { "mode", required_argument, NULL, 'm' }, { "file", required_argument, NULL, 'f' },
        { "capacity", required_argument, NULL, 'c' }, { "plan", required_argument, NULL, 'p' },
        { "out", required_argument, NULL, 'o' }, { "ready", required_argument, NULL, 'r' },
        { "result", required_argument, NULL, 'R' }, { "stall-ms", required_argument, NULL, 's' },
        { "fault-at", required_argument, NULL, 'F' }, { NULL, 0, NULL, 0 } };
    memset(o, 0, sizeof(*o));
    o->fault_at = -1;
    wait_state.what = argc > 1 ? argv[1] : "?";
    if (argc < 2 || (strcmp(argv[1], "measure") != 0 && strcmp(argv[1], "echo") != 0))
    {
        die(EXIT_SETUP, "usage: pingpong measure|echo --mode spin|futex --file MAP --plan PLANS --result FILE "
            "--stall-ms MS [measure: --capacity BYTES --out DIR --ready FILE] [echo: --fault-at N]");
    }
    o->measure = strcmp(argv[1], "measure") == 0;
    int option;
    optind = 2;
    while ((option = getopt_long(argc, argv, "", long_options, NULL)) != -1)
    {
        switch (option)
        {
        case 'm': o->mode = optarg; break;
        case 'f': o->file = optarg; break;
        case 'c': o->capacity = parse_long("--capacity", optarg); break;
        case 'p': o->plan_text = optarg; break;
        case 'o': o->out = optarg; break;
        case 'r': o->ready = optarg; break;
        case 'R': o->result = optarg; break;
        case 's': o->stall_ms = parse_long("--stall-ms", optarg); break;
        case 'F': o->fault_at = parse_long("--fault-at", optarg); break;
        default: die(EXIT_SETUP, "unknown option: %s", argv[optind - 1]);
        }
    }
    if (optind != argc)
    {
        die(EXIT_SETUP, "unexpected argument: %s", argv[optind]);
    }
    if (o->mode == NULL || (strcmp(o->mode, "spin") != 0 && strcmp(o->mode, "futex") != 0))
    {
        die(EXIT_SETUP, "--mode must be spin or futex: mode=%s", o->mode == NULL ? "(none)" : o->mode);
    }
    if (o->file == NULL || o->plan_text == NULL || o->result == NULL || o->stall_ms < 1)
    {
        die(EXIT_SETUP, "--file, --plan, --result and --stall-ms >= 1 are required");
    }
    if (o->measure && (o->out == NULL || o->ready == NULL || o->capacity < 4096 || (o->capacity & (o->capacity - 1)) != 0))
    {
        die(EXIT_SETUP, "measure needs --out, --ready and --capacity, a power of 2 >= 4096: capacity=%" PRId64,
            o->capacity);
    }
    parse_plans(o);
}

/* --- the mapping --- */

static uint8_t *map_file(const options *o, int64_t *capacity)
{
    const int create = o->measure;
    const int fd = open(o->file, create ? O_RDWR | O_CREAT | O_EXCL : O_RDWR, 0600);
    if (fd < 0)
    {
        die(EXIT_SETUP, "cannot open %s: %s", o->file, strerror(errno));
    }
    int64_t length;
    if (create)
    {
        length = HEADER_BYTES + 2 * (HEADER_BYTES + o->capacity);
        if (ftruncate(fd, length) != 0)
        {
            die(EXIT_SETUP, "cannot size %s to %" PRId64 " bytes: %s", o->file, length, strerror(errno));
        }
    }
    else
    {
        struct stat st;
        if (fstat(fd, &st) != 0)
        {
            die(EXIT_SETUP, "cannot stat %s: %s", o->file, strerror(errno));
        }
        length = st.st_size;
        if (length < 3 * HEADER_BYTES)
        {
            die(EXIT_SETUP, "%s is too short: length=%" PRId64, o->file, length);
        }
    }
    uint8_t *const base = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED)
    {
        die(EXIT_SETUP, "cannot map %s: %s", o->file, strerror(errno));
    }
    file_header *const header = (file_header *)base;
    if (create)
    {
        memset(base, 0, (size_t)length); /* every page present before anything is measured */
        header->capacity = o->capacity;
        header->measure_pid = getpid();
        __atomic_store_n(&header->magic, MAGIC, __ATOMIC_RELEASE); /* publishes capacity and pid */
        *capacity = o->capacity;
    }
    else
    {
        if (__atomic_load_n(&header->magic, __ATOMIC_ACQUIRE) != MAGIC)
        {
            die(EXIT_SETUP, "%s is not a pingpong mapping (no magic)", o->file);
        }
        *capacity = header->capacity;
        if (length != HEADER_BYTES + 2 * (HEADER_BYTES + *capacity))
        {
            die(EXIT_SETUP, "%s: length %" PRId64 " does not fit capacity %" PRId64, o->file, length, *capacity);
        }
    }
    return base;
}

static ring ring_at(uint8_t *base, const int index, const int64_t capacity)
{
    uint8_t *const start = base + HEADER_BYTES + index * (HEADER_BYTES + capacity);
    const ring r = { (ring_header *)start, start + HEADER_BYTES, capacity, capacity - 1 };
    return r;
}

/* --- key=value output (Java Properties: keys and numbers need no escapes) --- */

typedef struct
{
    char *text;
    size_t length;
    size_t room;
} counts;

static void count_put(counts *c, const int index, const char *mode, const char *key, const int64_t value)
{
    char line[128];
    const int n = snprintf(line, sizeof(line), "%d.%s.%s=%" PRId64 "\n", index, mode, key, value);
    if (c->length + (size_t)n + 1 > c->room)
    {
        c->room = 2 * (c->room + (size_t)n + 1);
        c->text = realloc(c->text, c->room);
        if (c->text == NULL)
        {
            die(EXIT_SETUP, "out of memory");
        }
    }
    memcpy(c->text + c->length, line, (size_t)n + 1);
    c->length += (size_t)n;
}

/* Write to a temporary name and rename, so a reader never sees half a file. */
static void write_file(const char *path, const void *bytes, const size_t length)
{
    char temporary[4096];
    snprintf(temporary, sizeof(temporary), "%s.tmp", path);
    FILE *const file = fopen(temporary, "wb");
    if (file == NULL || (length > 0 && fwrite(bytes, 1, length, file) != length) || fclose(file) != 0 ||
        rename(temporary, path) != 0)
    {
        die(EXIT_SETUP, "cannot write %s: %s", path, strerror(errno));
    }
}

static void write_latencies(const options *o, const int index, const char *mode, const int64_t *values, const int64_t n)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%d.%s.lat", o->out, index, mode);
    write_file(path, values, (size_t)n * sizeof(int64_t));
}

static int64_t *allocate_longs(const int64_t n)
{
    int64_t *const values = calloc((size_t)(n > 0 ? n : 1), sizeof(int64_t));
    if (values == NULL)
    {
        die(EXIT_SETUP, "out of memory for %" PRId64 " latencies", n);
    }
    return values;
}

/* --- the measuring process --- */

typedef struct
{
    int64_t sequence;
    int32_t length;
    int32_t type;
} echo_seen;

static void on_echo(void *context, const int32_t type, const uint8_t *payload, const int32_t length)
{
    echo_seen *const seen = context;
    seen->type = type;
    seen->length = length;
    seen->sequence = length >= 8 ? get_long(payload, SEQUENCE_OFFSET) : -1;
}

typedef struct
{
    int64_t expected;
    int32_t size;
    int64_t record_from;
    int64_t *latencies;
    int64_t sampled;
    int64_t room;
} stream_state;

static void on_stream(void *context, const int32_t type, const uint8_t *payload, const int32_t length)
{
    stream_state *const s = context;
    const int64_t sequence = get_long(payload, SEQUENCE_OFFSET);
    if (type != DATA_TYPE || sequence != s->expected || length != s->size)
    {
        die(EXIT_ORDER, "one-way message out of order: expected sequence=%" PRId64 " length=%d, got typeId=%d "
            "sequence=%" PRId64 " length=%d", s->expected, (int)s->size, (int)type, sequence, (int)length);
    }
    const int64_t sent_at = get_long(payload, TIMESTAMP_OFFSET);
    if (sent_at != 0 && sequence >= s->record_from)
    {
        if (s->sampled == s->room)
        {
            die(EXIT_ORDER, "more sampled one-way messages than planned: %" PRId64, s->sampled + 1);
        }
        const int64_t latency = now_ns() - sent_at;
        s->latencies[s->sampled++] = latency > 0 ? latency : 0;
    }
    s->expected++;
}

static void round_trips(const options *o, const int index, producer *ping, consumer *pong, uint8_t *payload,
    counts *out)
{
    const plan *const p = &o->plans[index];
    const int64_t total = p->rtt_warmup + p->rtt_count;
    int64_t *const latencies = allocate_longs(p->rtt_count);
    echo_seen seen = { 0, 0, 0 };
    int64_t waits = wait_state.waits;
    int64_t wakes = wait_state.wakes;
    int64_t start = now_ns();
    for (int64_t sequence = 0; sequence < total; sequence++)
    {
        if (sequence == p->rtt_warmup)
        {
            waits = wait_state.waits;
            wakes = wait_state.wakes;
            start = now_ns();
        }
        put_long(payload, SEQUENCE_OFFSET, sequence);
        const int64_t sent = now_ns();
        send_message(ping, DATA_TYPE, payload, p->size);
        receive_messages(pong, on_echo, &seen, 1);
        const int64_t round_trip = now_ns() - sent;
        if (seen.sequence != sequence || seen.length != p->size || seen.type != DATA_TYPE)
        {
            die(EXIT_ORDER, "echo does not match its ping: sent sequence=%" PRId64 " length=%d, got sequence=%" PRId64
                " length=%d typeId=%d", sequence, p->size, seen.sequence, (int)seen.length, (int)seen.type);
        }
        if (sequence >= p->rtt_warmup)
        {
            latencies[sequence - p->rtt_warmup] = round_trip;
        }
    }
    const int64_t elapsed = now_ns() - start;
    count_put(out, index, "rtt", "elapsed_ns", elapsed);
    count_put(out, index, "rtt", "checked", total);
    count_put(out, index, "rtt", "waits", wait_state.waits - waits);
    count_put(out, index, "rtt", "wakes", wait_state.wakes - wakes);
    write_latencies(o, index, "rtt", latencies, p->rtt_count);
    free(latencies);
}

static void oneway(const options *o, const int index, producer *ping, consumer *pong, uint8_t *payload, counts *out)
{
    const plan *const p = &o->plans[index];
    const int64_t total = p->oneway_warmup + p->oneway_count;
    stream_state s = { 0, p->size, p->oneway_warmup, NULL, 0, p->oneway_count / (SAMPLE_MASK + 1) + 1 };
    s.latencies = allocate_longs(s.room);
    put_long(payload, SEQUENCE_OFFSET, -1);
    send_message(ping, GO_TYPE, payload, MIN_SIZE);
    int64_t waits = wait_state.waits;
    int64_t wakes = wait_state.wakes;
    int64_t start = now_ns();
    int64_t measured_from = 0;
    int measuring = p->oneway_warmup == 0;
    while (s.expected < total)
    {
        receive_messages(pong, on_stream, &s, ONEWAY_LIMIT);
        if (!measuring && s.expected >= p->oneway_warmup)
        {
            measuring = 1;
            measured_from = s.expected;
            waits = wait_state.waits;
            wakes = wait_state.wakes;
            start = now_ns();
        }
    }
    const int64_t elapsed = now_ns() - start;
    count_put(out, index, "oneway", "elapsed_ns", elapsed);
    count_put(out, index, "oneway", "measured", total - measured_from);
    count_put(out, index, "oneway", "received", s.expected);
    count_put(out, index, "oneway", "sampled", s.sampled);
    count_put(out, index, "oneway", "waits", wait_state.waits - waits);
    count_put(out, index, "oneway", "wakes", wait_state.wakes - wakes);
    write_latencies(o, index, "oneway", s.latencies, s.sampled);
    free(s.latencies);
}

static int measure(const options *o, uint8_t *base, const int64_t capacity)
{
    file_header *const header = (file_header *)base;
    wait_state.peer = &header->echo_pid;
    write_file(o->ready, "", 0);
    while (__atomic_load_n(&header->echo_pid, __ATOMIC_ACQUIRE) == 0) /* written once by the echo process */
    {
        check_stall();
        usleep(1000);
    }
    progressed();
    producer ping = { ring_at(base, 0, capacity), 0, 0 };
    consumer pong = { ring_at(base, 1, capacity), 0 };
    int max_size = MIN_SIZE;
    for (int i = 0; i < o->plan_count; i++)
    {
        if (RECORD_HEADER + (int64_t)o->plans[i].size > capacity / 8)
        {
            die(EXIT_SETUP, "size %d does not fit a ring of %" PRId64 " bytes (capacity / 8)", o->plans[i].size, capacity);
        }
        max_size = o->plans[i].size > max_size ? o->plans[i].size : max_size;
    }
    uint8_t *const payload = calloc(1, (size_t)max_size);
    counts out = { NULL, 0, 0 };
    for (int index = 0; index < o->plan_count; index++)
    {
        printf("phase %d %d rtt\n", index, o->plans[index].size);
        fflush(stdout);
        round_trips(o, index, &ping, &pong, payload, &out);
        printf("phase %d %d oneway\n", index, o->plans[index].size);
        fflush(stdout);
        oneway(o, index, &ping, &pong, payload, &out);
    }
    write_file(o->result, out.text, out.length);
    free(out.text);
    free(payload);
    return 0;
}

/* --- the echo process --- */

typedef struct
{
    producer *pong;
    int64_t echoed;
    int64_t sent;
    int64_t fault_at;
    uint8_t *scratch;
} echo_state;

static void echo(void *context, const int32_t type, const uint8_t *payload, const int32_t length)
{
    echo_state *const e = context;
    if (type != DATA_TYPE)
    {
        die(EXIT_ORDER, "expected a ping: typeId=%d after %" PRId64 " echoes", (int)type, e->echoed);
    }
    if (e->sent++ == e->fault_at) /* tests only: prove the measuring side's check fails */
    {
        memcpy(e->scratch, payload, (size_t)length);
        put_long(e->scratch, SEQUENCE_OFFSET, get_long(payload, SEQUENCE_OFFSET) + 1);
        send_message(e->pong, type, e->scratch, length);
    }
    else
    {
        send_message(e->pong, type, payload, length);
    }
    e->echoed++;
}

static void on_go(void *context, const int32_t type, const uint8_t *payload, const int32_t length)
{
    (void)payload;
    (void)length;
    if (type != GO_TYPE)
    {
        die(EXIT_ORDER, "expected the go message: typeId=%d", (int)type);
    }
    *(int *)context = 1;
}

static int echo_run(const options *o, uint8_t *base, const int64_t capacity)
{
    file_header *const header = (file_header *)base;
    wait_state.peer = &header->measure_pid;
    __atomic_store_n(&header->echo_pid, getpid(), __ATOMIC_RELEASE); /* attach: the measuring side starts */
    consumer ping = { ring_at(base, 0, capacity), 0 };
    producer pong = { ring_at(base, 1, capacity), 0, 0 };
    int max_size = MIN_SIZE;
    for (int i = 0; i < o->plan_count; i++)
    {
        max_size = o->plans[i].size > max_size ? o->plans[i].size : max_size;
    }
    uint8_t *const payload = calloc(1, (size_t)max_size);
    echo_state e = { &pong, 0, 0, o->fault_at, calloc(1, (size_t)max_size) };
    counts out = { NULL, 0, 0 };
    for (int index = 0; index < o->plan_count; index++)
    {
        const plan *const p = &o->plans[index];
        const int64_t total = p->rtt_warmup + p->rtt_count;
        e.echoed = 0;
        int64_t waits = wait_state.waits;
        int64_t wakes = wait_state.wakes;
        int measuring = p->rtt_warmup == 0;
        while (e.echoed < total)
        {
            receive_messages(&ping, echo, &e, ECHO_LIMIT);
            if (!measuring && e.echoed >= p->rtt_warmup)
            {
                measuring = 1;
                waits = wait_state.waits;
                wakes = wait_state.wakes;
            }
        }
        count_put(&out, index, "rtt", "echoed", e.echoed);
        count_put(&out, index, "rtt", "waits", wait_state.waits - waits);
        count_put(&out, index, "rtt", "wakes", wait_state.wakes - wakes);

        int go = 0;
        while (!go)
        {
            receive_messages(&ping, on_go, &go, 1);
        }
        const int64_t stream = p->oneway_warmup + p->oneway_count;
        waits = wait_state.waits;
        wakes = wait_state.wakes;
        for (int64_t sequence = 0; sequence < stream; sequence++)
        {
            if (sequence == p->oneway_warmup)
            {
                waits = wait_state.waits;
                wakes = wait_state.wakes;
            }
            put_long(payload, SEQUENCE_OFFSET, e.sent++ == e.fault_at ? sequence + 1 : sequence);
            put_long(payload, TIMESTAMP_OFFSET, (sequence & SAMPLE_MASK) == 0 ? now_ns() : 0);
            send_message(&pong, DATA_TYPE, payload, p->size);
        }
        count_put(&out, index, "oneway", "sent", stream);
        count_put(&out, index, "oneway", "waits", wait_state.waits - waits);
        count_put(&out, index, "oneway", "wakes", wait_state.wakes - wakes);
    }
    write_file(o->result, out.text, out.length);
    free(out.text);
    free(e.scratch);
    free(payload);
    return 0;
}

int main(const int argc, char **argv)
{
    options o;
    parse(argc, argv, &o);
    wait_state.futex = strcmp(o.mode, "futex") == 0;
    wait_state.stall_ns = o.stall_ms * 1000000;
    wait_state.harness = getppid();
    static pid_t no_peer;
    wait_state.peer = &no_peer;
    int64_t capacity;
    uint8_t *const base = map_file(&o, &capacity);
    return o.measure ? measure(&o, base, capacity) : echo_run(&o, base, capacity);
}
