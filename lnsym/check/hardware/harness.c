/* lnsym conformance harness: runs test cases on this CPU and writes a trace (JSON Lines).
 *
 * Written by `lnsym conform generate`; see docs/conformance-traces.md for the trace format.
 * Usage: ./harness CASES.bin > TRACE.jsonl
 *
 * Each case: map its memory regions at fixed addresses, write its bytes, then execute `brk #0x5a5`.
 * The SIGTRAP handler replaces the interrupted context by the case's initial state (X0-X30, SP, PC,
 * NZCV, V0-V31, FPCR, FPSR, TPIDR_EL0) and returns: the kernel's sigreturn loads all of it at once.
 * The case runs until a `brk` (the code region is filled with `brk #0`) or a fault; that signal's
 * handler records the state the kernel saved and restores the harness's own context.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <ucontext.h>
#include <unistd.h>
#include <asm/sigcontext.h>

#define MAX_WORDS 64
#define MAX_REGIONS 4
#define MAX_RUNS 16

struct run { uint32_t offset, length; const uint8_t *bytes; };
struct region { uint64_t address, size; uint32_t perm, fill, nruns; struct run runs[MAX_RUNS]; };
struct state { uint64_t x[31], sp, pc, nzcv, fpcr, fpsr, tpidr; uint8_t v[32][16]; };
struct test {
    uint32_t id, nwords, hwcap_word; uint64_t hwcap_mask; char kind[16], encoding[64], feature[32];
    uint32_t words[MAX_WORDS]; struct state initial; uint32_t nregions; struct region regions[MAX_REGIONS];
};

enum { FILL_ZERO = 0, FILL_BRK = 1, FILL_HASH = 2 };
enum { PERM_R = 1, PERM_W = 2, PERM_X = 4 };

static struct test t;
static struct state final;
static volatile int phase;          /* 0 idle, 1 starting, 2 running */
static int got_signal, got_code;
static uint64_t got_addr, harness_tpidr;
static ucontext_t saved;            /* the harness context at the start brk */
static uint8_t saved_fpsimd[sizeof(struct fpsimd_context)];
static uint8_t *mapped[MAX_REGIONS];
static uint64_t mapped_size[MAX_REGIONS];

/* The signal frame's record with `magic`, following an extra_context to the records it points to. */
static struct _aarch64_ctx *record_of(ucontext_t *uc, uint32_t magic) {
    struct _aarch64_ctx *head = (struct _aarch64_ctx *)uc->uc_mcontext.__reserved;
    while (head->magic != 0) {
        if (head->magic == magic) return head;
        if (head->magic == EXTRA_MAGIC) {
            head = (struct _aarch64_ctx *)(uintptr_t)((struct extra_context *)head)->datap;
            continue;
        }
        head = (struct _aarch64_ctx *)((char *)head + head->size);
    }
    return NULL;
}

static struct fpsimd_context *fpsimd_of(ucontext_t *uc) { return (struct fpsimd_context *)record_of(uc, FPSIMD_MAGIC); }

/* V<n> inside the SVE record (the low 128 bits of Z<n>) when the frame carries SVE registers: the kernel then
 * restores the vector registers from there, not from the FP/SIMD record. */
static uint8_t *sve_vreg(ucontext_t *uc, int n) {
    struct sve_context *sve = (struct sve_context *)record_of(uc, SVE_MAGIC);
    if (!sve) return NULL;
    unsigned vq = sve_vq_from_vl(sve->vl);
    if (sve->head.size < SVE_SIG_CONTEXT_SIZE(vq)) return NULL;
    return (uint8_t *)sve + SVE_SIG_ZREG_OFFSET(vq, n);
}

static uint8_t fill_byte(uint32_t fill, uint64_t address) {
    if (fill == FILL_BRK) return (uint8_t)(0xd4200000u >> (8 * (address & 3)));
    if (fill == FILL_HASH) return (uint8_t)(((address >> 2) * 0x9E3779B1u) >> (8 * (address & 3)));
    return 0;
}

static void handler(int sig, siginfo_t *info, void *context) {
    uint64_t tp;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(harness_tpidr));
    ucontext_t *uc = (ucontext_t *)context;
    mcontext_t *mc = &uc->uc_mcontext;
    struct fpsimd_context *fp = fpsimd_of(uc);
    if (phase == 1 && sig == SIGTRAP) {
        saved = *uc;
        memcpy(saved_fpsimd, fp, sizeof(struct fpsimd_context));
        for (int i = 0; i < 31; i++) mc->regs[i] = t.initial.x[i];
        mc->sp = t.initial.sp;
        mc->pc = t.initial.pc;
        mc->pstate = (mc->pstate & ~0xF0000000ull) | (t.initial.nzcv << 28);
        memcpy(fp->vregs, t.initial.v, sizeof(t.initial.v));
        for (int i = 0; i < 32; i++) {
            uint8_t *z = sve_vreg(uc, i);
            if (z) memcpy(z, t.initial.v[i], 16);
        }
        fp->fpcr = (uint32_t)t.initial.fpcr;
        fp->fpsr = (uint32_t)t.initial.fpsr;
        phase = 2;
        __asm__ volatile("msr tpidr_el0, %0" : : "r"(t.initial.tpidr));
        return;
    }
    if (phase != 2) { /* a fault in the harness itself */
        static const char msg[] = "harness: unexpected signal outside a test case\n";
        write(2, msg, sizeof msg - 1);
        _exit(3);
    }
    got_signal = sig;
    got_code = info->si_code;
    got_addr = (uint64_t)info->si_addr;
    for (int i = 0; i < 31; i++) final.x[i] = mc->regs[i];
    final.sp = mc->sp;
    final.pc = mc->pc;
    final.nzcv = (mc->pstate >> 28) & 15;
    memcpy(final.v, fp->vregs, sizeof(final.v));
    for (int i = 0; i < 32; i++) {
        uint8_t *z = sve_vreg(uc, i);
        if (z) memcpy(final.v[i], z, 16);
    }
    final.fpcr = fp->fpcr;
    final.fpsr = fp->fpsr;
    final.tpidr = tp;
    *uc = saved;
    memcpy(fpsimd_of(uc), saved_fpsimd, sizeof(struct fpsimd_context));
    uc->uc_mcontext.pc += 4; /* past the start brk */
    phase = 0;
}

/* ---- reading the cases file ---- */

static uint8_t *data;
static size_t data_size, cursor;

static void need(size_t n) {
    if (cursor + n > data_size) { fprintf(stderr, "harness: cases file truncated at byte %zu\n", cursor); exit(2); }
}
static uint32_t u32(void) { uint32_t v; need(4); memcpy(&v, data + cursor, 4); cursor += 4; return v; }
static uint64_t u64(void) { uint64_t v; need(8); memcpy(&v, data + cursor, 8); cursor += 8; return v; }
static void text(char *out, size_t n) { need(n); memcpy(out, data + cursor, n); out[n - 1] = 0; cursor += n; }

static void read_test(void) {
    t.id = u32(); t.nwords = u32(); t.hwcap_word = u32(); t.hwcap_mask = u64();
    text(t.kind, sizeof t.kind); text(t.encoding, sizeof t.encoding); text(t.feature, sizeof t.feature);
    if (t.nwords > MAX_WORDS) { fprintf(stderr, "harness: case %u has too many words\n", t.id); exit(2); }
    for (uint32_t i = 0; i < t.nwords; i++) t.words[i] = u32();
    for (int i = 0; i < 31; i++) t.initial.x[i] = u64();
    t.initial.sp = u64(); t.initial.pc = u64(); t.initial.nzcv = u64(); t.initial.fpcr = u64();
    t.initial.fpsr = u64(); t.initial.tpidr = u64();
    need(sizeof t.initial.v); memcpy(t.initial.v, data + cursor, sizeof t.initial.v); cursor += sizeof t.initial.v;
    t.nregions = u32();
    if (t.nregions > MAX_REGIONS) { fprintf(stderr, "harness: case %u has too many regions\n", t.id); exit(2); }
    for (uint32_t r = 0; r < t.nregions; r++) {
        struct region *g = &t.regions[r];
        g->address = u64(); g->size = u64(); g->perm = u32(); g->fill = u32(); g->nruns = u32();
        if (g->nruns > MAX_RUNS) { fprintf(stderr, "harness: case %u has too many runs\n", t.id); exit(2); }
        for (uint32_t k = 0; k < g->nruns; k++) {
            g->runs[k].offset = u32(); g->runs[k].length = u32();
            need(g->runs[k].length); g->runs[k].bytes = data + cursor; cursor += g->runs[k].length;
        }
    }
}

/* ---- setting up memory ---- */

static uint8_t *image[MAX_REGIONS];  /* what each region must hold at the start of the case */
static uint64_t image_key[MAX_REGIONS][3];

static void build_image(uint32_t r) {
    struct region *g = &t.regions[r];
    if (!image[r] || image_key[r][0] != g->address || image_key[r][1] != g->size || image_key[r][2] != g->fill) {
        free(image[r]);
        image[r] = malloc(g->size);
        for (uint64_t a = 0; a < g->size; a++) image[r][a] = fill_byte(g->fill, g->address + a);
        image_key[r][0] = g->address; image_key[r][1] = g->size; image_key[r][2] = g->fill;
    }
}

static void prepare_memory(void) {
    for (uint32_t r = 0; r < t.nregions; r++) {
        struct region *g = &t.regions[r];
        build_image(r);
        if (mapped[r] != (uint8_t *)g->address || mapped_size[r] != g->size) {
            if (mapped[r]) munmap(mapped[r], mapped_size[r]);
            void *p = mmap((void *)g->address, g->size, PROT_READ | PROT_WRITE,
                           MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) { perror("harness: mmap"); exit(2); }
            mapped[r] = p; mapped_size[r] = g->size;
        } else {
            mprotect(mapped[r], g->size, PROT_READ | PROT_WRITE);
        }
        memcpy(mapped[r], image[r], g->size);
        for (uint32_t k = 0; k < g->nruns; k++) memcpy(mapped[r] + g->runs[k].offset, g->runs[k].bytes, g->runs[k].length);
        int prot = (g->perm & PERM_R ? PROT_READ : 0) | (g->perm & PERM_W ? PROT_WRITE : 0) |
                   (g->perm & PERM_X ? PROT_EXEC : 0);
        if (g->perm & PERM_X) __builtin___clear_cache((char *)mapped[r], (char *)mapped[r] + g->size);
        if (mprotect(mapped[r], g->size, prot)) { perror("harness: mprotect"); exit(2); }
    }
}

/* ---- writing the trace ---- */

static void hex_bytes(const uint8_t *p, size_t n) { for (size_t i = 0; i < n; i++) printf("%02x", p[i]); }

static void print_state(const struct state *s) {
    printf("{\"x\":[");
    for (int i = 0; i < 31; i++) printf("%s\"%#llx\"", i ? "," : "", (unsigned long long)s->x[i]);
    printf("],\"sp\":\"%#llx\",\"pc\":\"%#llx\",\"nzcv\":%llu,\"fpcr\":\"%#llx\",\"fpsr\":\"%#llx\","
           "\"tpidr_el0\":\"%#llx\",\"v\":[", (unsigned long long)s->sp, (unsigned long long)s->pc,
           (unsigned long long)s->nzcv, (unsigned long long)s->fpcr, (unsigned long long)s->fpsr,
           (unsigned long long)s->tpidr);
    for (int i = 0; i < 32; i++) {
        printf("%s\"0x", i ? "," : "");
        for (int b = 15; b >= 0; b--) printf("%02x", s->v[i][b]);
        printf("\"");
    }
    printf("]}");
}

static void print_regions(void) {
    printf("[");
    for (uint32_t r = 0; r < t.nregions; r++) {
        const struct region *g = &t.regions[r];
        static const char *fills[] = {"zero", "brk", "hash"};
        printf("%s{\"address\":\"%#llx\",\"size\":%llu,\"perm\":\"%s%s%s\",\"fill\":\"%s\",\"runs\":[", r ? "," : "",
               (unsigned long long)g->address, (unsigned long long)g->size, g->perm & PERM_R ? "r" : "-",
               g->perm & PERM_W ? "w" : "-", g->perm & PERM_X ? "x" : "-", fills[g->fill % 3]);
        for (uint32_t k = 0; k < g->nruns; k++) {
            printf("%s[%u,\"", k ? "," : "", g->runs[k].offset);
            hex_bytes(g->runs[k].bytes, g->runs[k].length);
            printf("\"]");
        }
        printf("]}");
    }
    printf("]");
}

/* the bytes that differ from the initial contents, as [address, hex] runs */
static void print_changes(void) {
    printf("[");
    int first = 1;
    for (uint32_t r = 0; r < t.nregions; r++) {
        const struct region *g = &t.regions[r];
        uint8_t *expected = image[r];  /* the fill, with this case's runs applied below */
        for (uint32_t k = 0; k < g->nruns; k++) memcpy(expected + g->runs[k].offset, g->runs[k].bytes, g->runs[k].length);
        if (!(g->perm & PERM_R)) mprotect(mapped[r], g->size, PROT_READ);
        if (memcmp(mapped[r], expected, g->size) != 0) {
            for (uint64_t a = 0; a < g->size;) {
                if (mapped[r][a] == expected[a]) { a++; continue; }
                uint64_t b = a;
                while (b < g->size && mapped[r][b] != expected[b]) b++;
                printf("%s[\"%#llx\",\"", first ? "" : ",", (unsigned long long)(g->address + a));
                hex_bytes(mapped[r] + a, b - a);
                printf("\"]");
                first = 0;
                a = b;
            }
        }
        for (uint32_t k = 0; k < g->nruns; k++)  /* back to the bare fill for the next case */
            for (uint32_t i = 0; i < g->runs[k].length; i++)
                expected[g->runs[k].offset + i] = fill_byte(g->fill, g->address + g->runs[k].offset + i);
    }
    printf("]");
}

static void print_machine(void) {
    struct utsname u;
    uname(&u);
    unsigned long hwcap = getauxval(AT_HWCAP), hwcap2 = getauxval(AT_HWCAP2);
    unsigned long long midr = 0;
    if (hwcap & HWCAP_CPUID) __asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
    long page = sysconf(_SC_PAGESIZE);
    printf("{\"record\":\"machine\",\"format\":\"lnsym-trace\",\"version\":1,\"midr_el1\":\"%#llx\","
           "\"hwcap\":\"%#lx\",\"hwcap2\":\"%#lx\",\"kernel\":\"%s %s %s\",\"page_size\":%ld}\n",
           midr, hwcap, hwcap2, u.sysname, u.release, u.machine, page);
}

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGTRAP: return "SIGTRAP";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGALRM: return "SIGALRM";
    default: return "none";
    }
}

static void start_case(void) {
    phase = 1;
    /* The handler restores every general-purpose register; vector registers are declared clobbered so that no
     * value lives in them across the test (with a large SVE frame their saved copy may not come back). */
    __asm__ volatile("brk #0x5a5" ::: "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10",
                     "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24",
                     "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s CASES.bin > TRACE.jsonl\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END); data_size = ftell(f); fseek(f, 0, SEEK_SET);
    data = malloc(data_size);
    if (fread(data, 1, data_size, f) != data_size) { perror(argv[1]); return 2; }
    fclose(f);
    if (data_size < 12 || memcmp(data, "LNSYMCS1", 8)) { fprintf(stderr, "harness: %s is not a cases file\n", argv[1]); return 2; }
    cursor = 8;
    uint32_t count = u32();

    static uint8_t altstack[1 << 16];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    int signals[] = {SIGTRAP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGALRM};
    for (unsigned i = 0; i < sizeof signals / sizeof *signals; i++) sigaction(signals[i], &sa, NULL);
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(harness_tpidr));

    unsigned long hwcaps[3] = {0, getauxval(AT_HWCAP), getauxval(AT_HWCAP2)};
    print_machine();
    for (uint32_t n = 0; n < count; n++) {
        read_test();
        printf("{\"record\":\"test\",\"id\":%u,\"kind\":\"%s\",\"encoding\":\"%s\",\"feature\":\"%s\",\"words\":[",
               t.id, t.kind, t.encoding, t.feature);
        for (uint32_t i = 0; i < t.nwords; i++) printf("%s\"%08x\"", i ? "," : "", t.words[i]);
        printf("],\"initial\":");
        print_state(&t.initial);
        printf(",\"memory\":");
        print_regions();
        if (t.hwcap_word && !(hwcaps[t.hwcap_word % 3] & t.hwcap_mask)) {
            printf(",\"skipped\":\"%s is not in this machine's HWCAP%s\"}\n", t.feature, t.hwcap_word == 2 ? "2" : "");
            continue;
        }
        prepare_memory();
        got_signal = 0;
        alarm(2);
        start_case();
        alarm(0);
        printf(",\"final\":");
        print_state(&final);
        printf(",\"changes\":");
        print_changes();
        printf(",\"ending\":{\"signal\":\"%s\",\"code\":%d,\"address\":\"%#llx\"}}\n", signal_name(got_signal),
               got_code, (unsigned long long)got_addr);
        fflush(stdout);
    }
    return 0;
}
