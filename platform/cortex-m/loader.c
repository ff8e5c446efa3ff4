/*
 * The resident bootloader's loader (loader mode): on reset it announces itself on the console
 * UART and waits a short window for a host; with none it boots the image in its slot when that
 * verifies, otherwise it stays here. A host sends an image in framed, CRC-checked chunks into the
 * staging area; only an image that verified whole there is installed into the slot, so a transfer
 * cut anywhere leaves the previous image bootable. docs/flash.md describes the frames and states.
 *
 * Frame (both ways): 0xA5, type, length (u16 LE), payload, CRC-32 (u32 LE) of type..payload.
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "clock.h"
#include "console.h"
#include "host.h"
#include "loader.h"
#include "report.h"
#ifdef ANYK_LOADER_KEY
#include "ed25519.h"
/* The key images must be signed with (anyk build --bootloader --key): built in, never received. */
static const uint8_t loader_key[32] = ANYK_LOADER_KEY;

/* The check's arguments and answer, for verify_on_image_ram's call without arguments. */
static const uint8_t* verify_image;
static int verify_result;

static void verify_now(void) {
  const anyk_image_header_t* h = (const anyk_image_header_t*)verify_image;
  uint32_t signed_length = h->length - ANYK_IMAGE_SIGNATURE_BYTES;
  uint32_t header_signed = (uint32_t)((uintptr_t)&h->payload_crc - (uintptr_t)h);
  verify_result = ed25519_verify_parts(verify_image + sizeof *h + signed_length, verify_image, header_signed, verify_image + sizeof *h, signed_length, loader_key);
}

/* The check needs about 3 KiB of stack, three times the bootloader's: it runs with the stack at the
   top of the image RAM, which nothing uses while the bootloader runs (it checks images only then). */
__attribute__((noinline)) static int signature_verifies(const uint8_t* image) {
  verify_image = image;
  uint32_t top = (ANYK_IMAGE_RAM_START + ANYK_IMAGE_RAM_SIZE) & ~7u;
  __asm__ volatile(
      "mov r4, sp\n"
      "mov sp, %0\n"
      "blx %1\n"
      "mov sp, r4\n"
      :
      : "r"(top), "r"(verify_now)
      : "r0", "r1", "r2", "r3", "r4", "r12", "lr", "memory", "cc");
  return verify_result;
}
#endif
#ifdef ANYK_LOADER_INTERP
#include "loader-interp.h"
#define RUNS_WASM 1
#else
#define RUNS_WASM 0
#endif

#define BYTE_TIMEOUT_NS 200000000ull      /* a frame stalled this long is dropped */
#define SESSION_TIMEOUT_NS 5000000000ull  /* a host silent this long is gone: boot the slot if it can */
#define WINDOW_NS ((uint64_t)ANYK_LOADER_WINDOW_MS * 1000000ull)
/* Idle this long, the loader sleeps between polls (1 ms at a time) instead of spinning: a spinning
   CPU makes time crawl under QEMU's instruction counting, and wastes power on a board. */
#define SPIN_NS 2000000ull
#define NAP_NS 1000000ull

/* Frame types and refusals: abi/loader.json (ANYK_FRAME_*, ANYK_REFUSED_*). */

/* The staging area: a record page, then the image's bytes. The record is append-only, so that it
   works the same in flash (where bits only go from 1 to 0 until a page is erased) and in RAM: a
   magic word, then the offsets received so far, one word per acknowledged chunk; an unwritten word
   reads 0xFFFFFFFF. */
#define STAGE_MAGIC 0x47415453u /* "STAG" */
#define RECORD_BYTES ANYK_MEDIUM_PAGE
#define RECORD ((const volatile uint32_t*)ANYK_STAGING_START)
#define RECORD_WORDS (RECORD_BYTES / 4u)
#define STAGED_IMAGE ((const uint8_t*)(ANYK_STAGING_START + RECORD_BYTES))
#define STAGING_CAPACITY (ANYK_STAGING_SIZE - RECORD_BYTES)
#define SLOT ((const uint8_t*)ANYK_SLOT_START)

/* ---- CRC-32 (IEEE 802.3, reflected, as zlib) ---- */

uint32_t anyk_crc32(const uint8_t* bytes, uint32_t length, uint32_t crc) {
  crc = ~crc;
  for (uint32_t i = 0; i < length; i++) {
    crc ^= bytes[i];
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

/* ---- fault injection (test bootloaders only: anyk build --bootloader --fault-injection) ---- */

#ifdef ANYK_LOADER_FAULTS
/* Medium operations (page erases, writes) since the last FAULT frame, and how many to allow
   before the power goes (0: no cut). A cut stops the CPU dead, as a power loss would. */
static uint32_t operations, cut_after;

static void operation_done(void) {
  operations++;
  if (cut_after != 0u && operations >= cut_after) {
    for (;;) __asm__ volatile("cpsid i\n wfi");
  }
}
#else
#define operation_done() ((void)0)
#endif

/* ---- the medium: RAM, or flash through the nRF51's NVMC ---- */

#if ANYK_LOADER_FLASH
#define NVMC_READY (ANYK_NVMC_BASE + 0x400u)
#define NVMC_CONFIG (ANYK_NVMC_BASE + 0x504u)
#define NVMC_ERASEPAGE (ANYK_NVMC_BASE + 0x508u)
#define CONFIG_READ_ONLY 0u
#define CONFIG_WRITE 1u
#define CONFIG_ERASE 2u

static void nvmc_ready(void) {
  while (!(stub_read32(NVMC_READY) & 1u)) {
  }
}

static void medium_erase(uint32_t start, uint32_t size) {
  stub_write32(NVMC_CONFIG, CONFIG_ERASE);
  for (uint32_t page = start & ~(ANYK_MEDIUM_PAGE - 1u); page < start + size; page += ANYK_MEDIUM_PAGE) {
    stub_write32(NVMC_ERASEPAGE, page);
    nvmc_ready();
    operation_done();
  }
  stub_write32(NVMC_CONFIG, CONFIG_READ_ONLY);
}

/* Writes whole words: bytes past `length` in the last word are 0xFF, which leaves flash as it is. */
static void medium_write(uint32_t at, const uint8_t* bytes, uint32_t length) {
  stub_write32(NVMC_CONFIG, CONFIG_WRITE);
  for (uint32_t i = 0; i < length; i += 4u) {
    uint32_t word = 0xFFFFFFFFu;
    for (uint32_t b = 0; b < 4u && i + b < length; b++) word = (word & ~(0xFFu << (8u * b))) | ((uint32_t)bytes[i + b] << (8u * b));
    stub_write32(at + i, word);
    nvmc_ready();
  }
  stub_write32(NVMC_CONFIG, CONFIG_READ_ONLY);
  operation_done();
}
#else
static void medium_erase(uint32_t start, uint32_t size) {
  for (uint32_t i = 0; i < size; i += 4u) *(volatile uint32_t*)(start + i) = 0xFFFFFFFFu;
  operation_done();
}

static void medium_write(uint32_t at, const uint8_t* bytes, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) *(volatile uint8_t*)(at + i) = bytes[i];
  operation_done();
}
#endif

static void write_word(uint32_t at, uint32_t value) {
  uint8_t bytes[4] = {(uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24)};
  medium_write(at, bytes, 4u);
}

static int stage_begun(void) {
  return RECORD[0] == STAGE_MAGIC;
}

/* Bytes of the image staged so far (header included): the last offset in the record. */
static uint32_t stage_received(void) {
  if (!stage_begun()) return 0u;
  uint32_t received = 0u;
  for (uint32_t i = 1; i < RECORD_WORDS && RECORD[i] != 0xFFFFFFFFu; i++) received = RECORD[i];
  return received;
}

static int stage_note(uint32_t received) {
  for (uint32_t i = 1; i < RECORD_WORDS; i++) {
    if (RECORD[i] == 0xFFFFFFFFu) {
      write_word(ANYK_STAGING_START + 4u * i, received);
      return 1;
    }
  }
  return 0;
}

/* ---- frames ---- */

static void put_frame(uint8_t type, const uint8_t* payload, uint32_t length) {
  uint8_t head[4] = {ANYK_FRAME_START, type, (uint8_t)length, (uint8_t)(length >> 8)};
  uint32_t crc = anyk_crc32(head + 1, 3, 0);
  crc = anyk_crc32(payload, length, crc);
  for (int i = 0; i < 4; i++) stub_console_putc(head[i]);
  for (uint32_t i = 0; i < length; i++) stub_console_putc(payload[i]);
  for (int i = 0; i < 4; i++) stub_console_putc((uint8_t)(crc >> (8 * i)));
}

static void put_u32(uint8_t* at, uint32_t value) {
  for (int i = 0; i < 4; i++) at[i] = (uint8_t)(value >> (8 * i));
}

static uint32_t get_u32(const uint8_t* at) {
  return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

static void ack(uint8_t type, uint32_t offset) {
  uint8_t payload[4];
  put_u32(payload, offset);
  put_frame(type, payload, 4);
}

/* Refuses with a reason on both sides: a REFUSED frame for the host, a line for a person. The
   reason is text, then detail (a module's own refusal; "" when there is none). */
static void refuse_with(uint8_t code, const char* text, const char* detail) {
  uint8_t payload[160];
  uint32_t n = 0;
  payload[n++] = code;
  for (const char* t = text; *t && n < sizeof payload; t++) payload[n++] = (uint8_t)*t;
  for (const char* t = detail; *t && n < sizeof payload; t++) payload[n++] = (uint8_t)*t;
  put_frame(ANYK_FRAME_REFUSED, payload, n);
  stub_puts("\r\nanyk-boot: refused: ");
  stub_puts(text);
  stub_puts(detail);
  stub_puts("\r\n");
}

static void refuse(uint8_t code, const char* text) {
  refuse_with(code, text, "");
}

static uint8_t frame[ANYK_FRAME_MAX_PAYLOAD + 8];

/* Receives one frame into `frame`; returns its payload length, or -1 when `until` passed first. */
static int get_frame(uint8_t* type, uint64_t until) {
  uint32_t have = 0, need = 4;
  uint64_t last = anyk_clock_monotonic();
  for (;;) {
    int byte = stub_console_getc();
    uint64_t now = anyk_clock_monotonic();
    if (byte < 0) {
      if (have > 0 && now - last > BYTE_TIMEOUT_NS) have = 0, need = 4; /* drop a stalled frame */
      if (have == 0 && now >= until) return -1;
      if (now - last > SPIN_NS) anyk_wait(now + NAP_NS);
      continue;
    }
    last = now;
    if (have == 0 && byte != ANYK_FRAME_START) continue; /* noise between frames */
    frame[have++] = (uint8_t)byte;
    if (have == 4) {
      uint32_t length = frame[2] | (uint32_t)frame[3] << 8;
      if (length > ANYK_FRAME_MAX_PAYLOAD) {
        have = 0, need = 4;
        continue;
      }
      need = 4 + length + 4;
    }
    if (have == need && need > 4) {
      uint32_t length = need - 8;
      if (anyk_crc32(frame + 1, 3 + length, 0) == get_u32(frame + 4 + length)) {
        *type = frame[1];
        return (int)length;
      }
      ack(ANYK_FRAME_NAK, stage_received()); /* garbled: the host resends */
      have = 0, need = 4;
    }
  }
}

/* ---- images ---- */

static int board_matches(const anyk_image_header_t* h) {
  const char* mine = ANYK_BOARD_NAME;
  for (uint32_t i = 0; i < ANYK_IMAGE_BOARD_CHARS; i++) {
    if (h->board[i] != mine[i]) return 0;
    if (mine[i] == '\0') return 1;
  }
  return 0;
}

/* Checks a header on its own; refuses (with the reason) and returns 0 when it cannot be loaded. */
static int header_acceptable(const anyk_image_header_t* h, int report) {
#define NO(code, text) do { if (report) refuse(code, text); return 0; } while (0)
  if (h->magic != ANYK_IMAGE_MAGIC) NO(ANYK_REFUSED_BAD_MAGIC_CODE, ANYK_REFUSED_BAD_MAGIC_TEXT);
  if (anyk_crc32((const uint8_t*)h, (uint32_t)((uintptr_t)&h->header_crc - (uintptr_t)h), 0) != h->header_crc) NO(ANYK_REFUSED_HEADER_CRC_CODE, ANYK_REFUSED_HEADER_CRC_TEXT);
  uint32_t format = h->format & ~ANYK_IMAGE_SIGNED;
  if (format != ANYK_IMAGE_FORMAT && !(RUNS_WASM && format == ANYK_IMAGE_FORMAT_WASM)) NO(ANYK_REFUSED_OTHER_FORMAT_CODE, ANYK_REFUSED_OTHER_FORMAT_TEXT);
#ifdef ANYK_LOADER_KEY
  if (!(h->format & ANYK_IMAGE_SIGNED) || h->length < ANYK_IMAGE_SIGNATURE_BYTES) NO(ANYK_REFUSED_NOT_SIGNED_CODE, ANYK_REFUSED_NOT_SIGNED_TEXT);
#endif
  if (!board_matches(h)) NO(ANYK_REFUSED_OTHER_BOARD_CODE, ANYK_REFUSED_OTHER_BOARD_TEXT ANYK_BOARD_NAME);
  if (h->abi_version != ANYK_ABI_VERSION) NO(ANYK_REFUSED_OTHER_ABI_CODE, ANYK_REFUSED_OTHER_ABI_TEXT);
  if (h->load_address != ANYK_SLOT_START) NO(ANYK_REFUSED_NOT_FOR_SLOT_CODE, ANYK_REFUSED_NOT_FOR_SLOT_TEXT);
  if (h->length > ANYK_SLOT_SIZE - sizeof *h || h->length > STAGING_CAPACITY - sizeof *h) NO(ANYK_REFUSED_LARGER_THAN_SLOT_CODE, ANYK_REFUSED_LARGER_THAN_SLOT_TEXT);
  if (h->ram_start < ANYK_IMAGE_RAM_START || h->ram_start + h->ram_size > ANYK_IMAGE_RAM_START + ANYK_IMAGE_RAM_SIZE) NO(ANYK_REFUSED_RAM_OUTSIDE_CODE, ANYK_REFUSED_RAM_OUTSIDE_TEXT);
  if (h->grant_count > ANYK_IMAGE_MAX_GRANTS || h->line_count > ANYK_IMAGE_MAX_LINES) NO(ANYK_REFUSED_TOO_MANY_GRANTS_CODE, ANYK_REFUSED_TOO_MANY_GRANTS_TEXT);
  if (!stub_grants_known(h)) NO(ANYK_REFUSED_GRANT_NOT_BOARDS_CODE, ANYK_REFUSED_GRANT_NOT_BOARDS_TEXT);
  return 1;
#undef NO
}

static int image_valid(const uint8_t* image, int report) {
  const anyk_image_header_t* h = (const anyk_image_header_t*)image;
  if (!header_acceptable(h, report)) return 0;
  if (anyk_crc32(image + sizeof *h, h->length, 0) != h->payload_crc) {
    if (report) refuse(ANYK_REFUSED_PAYLOAD_CRC_CODE, ANYK_REFUSED_PAYLOAD_CRC_TEXT);
    return 0;
  }
#ifdef ANYK_LOADER_KEY
  /* Checked whenever an image is installed or booted: a slot in RAM could have been rewritten since. */
  if (!signature_verifies(image)) {
    if (report) refuse(ANYK_REFUSED_BAD_SIGNATURE_CODE, ANYK_REFUSED_BAD_SIGNATURE_TEXT);
    return 0;
  }
#endif
#ifdef ANYK_LOADER_INTERP
  /* A module is validated here, before it is installed and before it runs: never one that does not. */
  if ((h->format & ~ANYK_IMAGE_SIGNED) == ANYK_IMAGE_FORMAT_WASM) {
    const char* why = loader_load_module(h);
    if (why) {
      if (report) refuse_with(ANYK_REFUSED_MODULE_INVALID_CODE, ANYK_REFUSED_MODULE_INVALID_TEXT, why);
      return 0;
    }
  }
#endif
  return 1;
}

extern char anyk_stack_guard[];

static const anyk_table_t table = {
    .abi_version = ANYK_ABI_VERSION,
    .stack_guard = (uintptr_t)anyk_stack_guard,
    .mmio_read8 = anyk_mmio_read8,
    .mmio_read16 = anyk_mmio_read16,
    .mmio_read32 = anyk_mmio_read32,
    .mmio_write8 = anyk_mmio_write8,
    .mmio_write16 = anyk_mmio_write16,
    .mmio_write32 = anyk_mmio_write32,
    .clock_monotonic = anyk_clock_monotonic,
    .wait = anyk_wait,
    .irq_unmask = anyk_irq_unmask,
    .console_write = stub_console_write_bytes,
    .console_read = stub_console_read_bytes,
    .exit = stub_exit,
    .puts = stub_puts,
};

__attribute__((noreturn)) static void boot_slot(void) {
  const anyk_image_header_t* h = (const anyk_image_header_t*)SLOT;
  stub_puts("anyk-boot: starting the image\r\n");
  stub_console_flush();
  stub_grant(h);
#ifdef ANYK_LOADER_INTERP
  if ((h->format & ~ANYK_IMAGE_SIGNED) == ANYK_IMAGE_FORMAT_WASM) loader_run_module(h);
#endif
  ((anyk_image_entry_t)h->entry)(&table);
  stub_panic("image: its entry returned", 0u);
}

/* Installs the verified staged image into the slot. In RAM this is a copy; the staging area keeps
   the image until the next transfer, so a reset during the copy copies again. */
static void install(void) {
  const anyk_image_header_t* h = (const anyk_image_header_t*)STAGED_IMAGE;
  uint32_t total = sizeof *h + h->length;
  medium_erase(ANYK_SLOT_START, total);
  medium_write(ANYK_SLOT_START, STAGED_IMAGE, total);
}

static int staged_complete(void) {
  const anyk_image_header_t* h = (const anyk_image_header_t*)STAGED_IMAGE;
  uint32_t received = stage_received();
  return received >= sizeof *h && header_acceptable(h, 0) && received == sizeof *h + h->length && image_valid(STAGED_IMAGE, 0);
}

/* ---- the session ---- */

static void send_info(void) {
  uint8_t payload[ANYK_INFO_BYTES] = {0};
  const anyk_image_header_t* staged = (const anyk_image_header_t*)STAGED_IMAGE;
  uint32_t received = stage_received();
  int has_header = received >= sizeof *staged;
  /* The highest format it runs: a bootloader with the interpreter takes wasm images beside native ones. */
  put_u32(payload + ANYK_INFO_FORMAT, RUNS_WASM ? ANYK_IMAGE_FORMAT_WASM : ANYK_IMAGE_FORMAT);
  put_u32(payload + ANYK_INFO_ABI_VERSION, ANYK_ABI_VERSION);
  const char* name = ANYK_BOARD_NAME;
  for (uint32_t i = 0; i < ANYK_IMAGE_BOARD_CHARS && name[i]; i++) payload[ANYK_INFO_BOARD + i] = (uint8_t)name[i];
  put_u32(payload + ANYK_INFO_SLOT_SIZE, ANYK_SLOT_SIZE);
  put_u32(payload + ANYK_INFO_STAGED, has_header ? received : 0u);
  put_u32(payload + ANYK_INFO_STAGED_CRC, has_header ? staged->payload_crc : 0u);
  put_u32(payload + ANYK_INFO_MAX_CHUNK, ANYK_FRAME_MAX_PAYLOAD - 4u);
  put_frame(ANYK_FRAME_INFO, payload, sizeof payload);
}

void stub_main(void) {
  stub_puts("anyk-boot 1 " ANYK_BOARD_NAME " slot=" ANYK_LOADER_MEDIUM "\r\n");
  /* A reset during an install: the staged image verified whole, the slot may not have. */
  if (!image_valid(SLOT, 0) && staged_complete()) install();
  int slot_ok = image_valid(SLOT, 0);
  uint64_t window_end = anyk_clock_monotonic() + WINDOW_NS;
  int in_session = 0;
  for (;;) {
    uint8_t type;
    uint64_t until = in_session ? anyk_clock_monotonic() + SESSION_TIMEOUT_NS : (slot_ok ? window_end : ~0ull);
    int length = get_frame(&type, until);
    if (length < 0) {
      if (slot_ok) boot_slot();
      if (!in_session) continue;
      in_session = 0; /* the host went away; keep waiting for the next */
      continue;
    }
    in_session = 1;
    const uint8_t* p = frame + 4;
    switch (type) {
      case ANYK_FRAME_HELLO:
        send_info();
        break;
      case ANYK_FRAME_BEGIN: {
        if ((uint32_t)length != sizeof(anyk_image_header_t) + 4u) {
          refuse(ANYK_REFUSED_BEGIN_LENGTH_CODE, ANYK_REFUSED_BEGIN_LENGTH_TEXT);
          break;
        }
        const anyk_image_header_t* h = (const anyk_image_header_t*)p;
        if (!header_acceptable(h, 1)) break;
        const anyk_image_header_t* staged = (const anyk_image_header_t*)STAGED_IMAGE;
        int resume = get_u32(p + sizeof *h) != 0u && stage_received() >= sizeof *h && staged->payload_crc == h->payload_crc && staged->length == h->length;
        if (!resume) {
          /* The record page first: until its magic is written again, nothing here counts as staged. */
          medium_erase(ANYK_STAGING_START, RECORD_BYTES + sizeof *h + h->length);
          medium_write((uint32_t)STAGED_IMAGE, p, sizeof *h);
          write_word(ANYK_STAGING_START, STAGE_MAGIC);
          stage_note(sizeof *h);
        }
        ack(ANYK_FRAME_ACK, stage_received());
        break;
      }
      case ANYK_FRAME_DATA: {
        uint32_t received = stage_received();
        if (received == 0u || length < 4) {
          refuse(ANYK_REFUSED_DATA_BEFORE_BEGIN_CODE, ANYK_REFUSED_DATA_BEFORE_BEGIN_TEXT);
          break;
        }
        uint32_t offset = get_u32(p), n = (uint32_t)length - 4u;
        const anyk_image_header_t* h = (const anyk_image_header_t*)STAGED_IMAGE;
        if (offset + n > sizeof *h + h->length) {
          refuse(ANYK_REFUSED_DATA_PAST_END_CODE, ANYK_REFUSED_DATA_PAST_END_TEXT);
          break;
        }
        if (offset == received) {
          medium_write((uint32_t)STAGED_IMAGE + offset, p + 4, n);
          if (!stage_note(offset + n)) {
            refuse(ANYK_REFUSED_TOO_MANY_CHUNKS_CODE, ANYK_REFUSED_TOO_MANY_CHUNKS_TEXT);
            break;
          }
          ack(ANYK_FRAME_ACK, offset + n);
        } else if (offset < received) {
          ack(ANYK_FRAME_ACK, received); /* a resend of what arrived: its ack was lost */
        } else {
          ack(ANYK_FRAME_NAK, received); /* a gap: the host goes back to what arrived */
        }
        break;
      }
      case ANYK_FRAME_END:
        if (staged_complete()) {
          install();
          slot_ok = image_valid(SLOT, 1);
          if (slot_ok) ack(ANYK_FRAME_VERIFIED, stage_received());
        } else if (stage_begun() && stage_received() < sizeof(anyk_image_header_t) + ((const anyk_image_header_t*)STAGED_IMAGE)->length) {
          refuse(ANYK_REFUSED_TRUNCATED_CODE, ANYK_REFUSED_TRUNCATED_TEXT);
        } else {
          image_valid(STAGED_IMAGE, 1); /* says why */
          medium_erase(ANYK_STAGING_START, RECORD_BYTES);
        }
        break;
      case ANYK_FRAME_GO:
        if (!image_valid(SLOT, 1)) break;
        ack(ANYK_FRAME_VERIFIED, 0u);
        boot_slot();
#ifdef ANYK_LOADER_FAULTS
      case ANYK_FRAME_FAULT:
        ack(ANYK_FRAME_ACK, operations);
        operations = 0u;
        cut_after = length >= 4 ? get_u32(p) : 0u;
        break;
#endif
      default:
        refuse(ANYK_REFUSED_UNKNOWN_FRAME_CODE, ANYK_REFUSED_UNKNOWN_FRAME_TEXT);
    }
  }
}
