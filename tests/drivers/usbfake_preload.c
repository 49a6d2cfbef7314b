/* usbfake_preload: an emulated USB barcode scanner and USB receipt printer
 * for running the REAL till (or any program using libusb) in end-to-end
 * tests. Load it after umockdev's preload:
 *
 *   umockdev-wrapper env LD_PRELOAD="libumockdev-preload.so.0:$PWD/libusbfake_preload.so" \
 *       USBFAKE_DIR=/tmp/x coopmart till
 *   (or set LD_PRELOAD to both yourself, as tests/e2e/usb_scanner.sh does)
 *
 * Its constructor, which runs before main() and so before libusb_init(),
 * makes a umockdev testbed with the two devices (tests/drivers/usbemu.c)
 * and starts a thread that reads commands. Control interface, all in the
 * directory $USBFAKE_DIR (created if missing):
 *
 *   ctl            a FIFO made by the library. Write one command a line:
 *                    scan TEXT         the scanner types TEXT, then Enter
 *                    unplug scanner|printer
 *                    plug scanner|printer    (back at a new USB address)
 *                  Commands run in order; each line is acted on at once.
 *   ready          written (empty) once the devices exist and ctl is open.
 *   done           appended with one line "N" after the Nth command ran.
 *   printer.out    every byte the program wrote to the printer's bulk OUT
 *                  endpoint 0x01, appended as it arrives.
 *   printer.state  one word the test may write at any time: online (also
 *                  when missing), paperout, coveropen or draweropen (the
 *                  drawer's switch, DLE EOT 1 bit 2). It sets the
 *                  answer to the ESC/POS real-time status request
 *                  DLE EOT n (10 04 n), queued on bulk IN 0x82, and the
 *                  GET_PORT_STATUS byte.
 *
 * Devices (vendor:product from the environment, hexadecimal):
 *   scanner  $USBFAKE_SCANNER (default 0c2e:0b61): HID boot keyboard,
 *            interface 0, interrupt IN 0x81, bound to "usbhid" at first.
 *   printer  $USBFAKE_PRINTER (default 04b8:0202): printer class 7/1/2,
 *            bulk OUT 0x01 and IN 0x82, GET_DEVICE_ID
 *            "MFG:EPSON;MDL:TM-T82;CMD:ESC/POS;".
 * With USBFAKE_NO_PRINTER=1 or USBFAKE_NO_SCANNER=1 one is left out. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usbemu.h"

static struct usbemu *emu;
static struct usbemu_dev *scanner, *printer;
static char dir[1024];
static int out_fd = -1;

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void ids(const char *env, uint16_t *vid, uint16_t *pid)
{
	const char *v = getenv(env);
	unsigned a, b;
	if (v && sscanf(v, "%4x:%4x", &a, &b) == 2) {
		*vid = (uint16_t)a;
		*pid = (uint16_t)b;
	}
}

/* ESC/POS DLE EOT n answers (bits 1 and 4 are always set). */
static uint8_t status_byte(int n)
{
	char p[1100], word[32] = "online";
	path_of(p, sizeof p, "printer.state");
	FILE *f = fopen(p, "r");
	if (f) {
		if (fscanf(f, "%31s", word) != 1)
			snprintf(word, sizeof word, "online");
		fclose(f);
	}
	int paper = strcmp(word, "paperout") == 0, cover = strcmp(word, "coveropen") == 0;
	int drawer = strcmp(word, "draweropen") == 0;
	switch (n) {
	case 1: return (uint8_t)(0x12 | ((paper || cover) ? 0x08 : 0) | (drawer ? 0x04 : 0));
	case 2: return (uint8_t)(0x12 | (cover ? 0x04 : 0) | (paper ? 0x20 : 0));
	case 3: return 0x12;
	case 4: return (uint8_t)(0x12 | (paper ? 0x6C : 0));		/* near end + end */
	default: return 0x12;
	}
}

static void answer(void *arg, struct usbemu_dev *d, const uint8_t *out, size_t len)
{
	(void)arg;
	if (out_fd >= 0 && len > 0 && write(out_fd, out, len) != (ssize_t)len)
		perror("usbfake: printer.out");
	for (size_t i = 0; i + 2 < len; i++)
		if (out[i] == 0x10 && out[i + 1] == 0x04) {
			uint8_t b = status_byte(out[i + 2]);
			usbemu_in_locked(d, &b, 1);
		}
}

static void update_port_status(void)
{
	uint8_t s = status_byte(1);
	/* GET_PORT_STATUS: 0x08 no error (active low), 0x10 selected, 0x20 paper empty. */
	uint8_t port = (s & 0x08) ? 0x00 : 0x18;
	if (status_byte(4) & 0x60)
		port |= 0x20;
	usbemu_set_port_status(printer, port);
}

static void run(const char *line)
{
	if (strncmp(line, "scan ", 5) == 0 && scanner)
		usbemu_type(scanner, line + 5, 1);
	else if (strcmp(line, "unplug scanner") == 0 && scanner)
		usbemu_unplug(scanner);
	else if (strcmp(line, "plug scanner") == 0 && scanner)
		usbemu_replug(scanner);
	else if (strcmp(line, "unplug printer") == 0 && printer)
		usbemu_unplug(printer);
	else if (strcmp(line, "plug printer") == 0 && printer)
		usbemu_replug(printer);
	else
		fprintf(stderr, "usbfake: unknown command '%s'\n", line);
	if (printer)
		update_port_status();
}

static void *control(void *arg)
{
	char p[1100], line[1024];
	unsigned long n = 0;
	(void)arg;
	path_of(p, sizeof p, "ctl");
	/* Opened read-write: writers coming and going never give us EOF. */
	FILE *f = fopen(p, "r+");
	if (!f) {
		perror("usbfake: ctl");
		return NULL;
	}
	path_of(p, sizeof p, "ready");
	FILE *r = fopen(p, "w");
	if (r)
		fclose(r);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		run(line);
		path_of(p, sizeof p, "done");
		FILE *d = fopen(p, "a");
		if (d) {
			fprintf(d, "%lu\n", ++n);
			fclose(d);
		}
	}
	fclose(f);
	return NULL;
}

__attribute__((constructor)) static void usbfake_init(void)
{
	const char *d = getenv("USBFAKE_DIR");
	char p[1100];
	pthread_t t;

	if (!d || !*d)
		return;
	snprintf(dir, sizeof dir, "%s", d);
	mkdir(dir, 0700);
	emu = usbemu_new();
	if (!emu) {
		fprintf(stderr, "usbfake: load libumockdev-preload.so.0 first (umockdev-wrapper)\n");
		return;
	}
	uint16_t sv = 0x0c2e, sp = 0x0b61, pv = 0x04b8, pp = 0x0202;
	ids("USBFAKE_SCANNER", &sv, &sp);
	ids("USBFAKE_PRINTER", &pv, &pp);
	/* USBFAKE_SCANNER_REPORT_ID=N: a scanner that starts in report
	 * protocol with report id N until the till sets the boot protocol. */
	const char *rid = getenv("USBFAKE_SCANNER_REPORT_ID");
	if (getenv("USBFAKE_NO_SCANNER"))
		;
	else if (rid && *rid)
		scanner = usbemu_add_report_scanner(emu, sv, sp, atoi(rid), 0);
	else
		scanner = usbemu_add_scanner(emu, sv, sp, 1);
	if (!getenv("USBFAKE_NO_PRINTER")) {
		path_of(p, sizeof p, "printer.out");
		out_fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		printer = usbemu_add_printer(emu, pv, pp, "MFG:EPSON;MDL:TM-T82;CMD:ESC/POS;");
		usbemu_set_answer(printer, answer, NULL);
		update_port_status();
	}
	path_of(p, sizeof p, "ctl");
	if (mkfifo(p, 0600) != 0 && errno != EEXIST) {
		perror("usbfake: mkfifo");
		return;
	}
	if (pthread_create(&t, NULL, control, NULL) == 0)
		pthread_detach(t);
}
